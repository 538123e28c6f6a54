using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Web.Infrastructure.Mail;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>The host's part of user administration: password hashing as sign-in checks it, and where the links in mails point to.</summary>
internal static class UserAdministrationSetup
{
    public static IServiceCollection AddTibsUserAdministration(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHashing, IdentityPasswordHashing>();
        services.AddSingleton(sp =>
        {
            var mail = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            return new UserLinkSettings { BaseUrl = mail.BaseUrl, MessageIdDomain = MailSetup.MessageIdDomain(mail.From) };
        });
        return services;
    }

    private sealed class IdentityPasswordHashing(IPasswordHasher<UserAccount> hasher) : IPasswordHashing
    {
        public string Hash(UserAccount user, string password) => hasher.HashPassword(user, password);

        public bool Verifies(UserAccount user, string password) =>
            !string.IsNullOrEmpty(user.PasswordHash) && !string.IsNullOrEmpty(password)
            && hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }
}
