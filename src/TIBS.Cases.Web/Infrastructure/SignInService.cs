using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Web.Infrastructure;

public enum SignInStatus
{
    Succeeded,
    Failed,
    LockedOut,
}

public sealed record SignInResult(SignInStatus Status, ClaimsPrincipal? Principal = null, DateTimeOffset? LockedUntil = null);

/// <summary>Checks credentials against the users table, counting failures and locking the account after too many.</summary>
public sealed class SignInService(IUserStore users, IPasswordHasher<UserAccount> hasher, IOptions<SecurityOptions> options, TimeProvider time)
{
    public const string RegionClaim = "tibs:region";
    public const string SecurityStampClaim = "tibs:stamp";

    public async Task<SignInResult> PasswordSignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await users.FindByEmailAsync(email, cancellationToken);
        if (user is null || !user.IsActive)
        {
            // Same work as a real check, so the answer time does not reveal which e-mails exist.
            hasher.VerifyHashedPassword(new UserAccount { Id = Guid.Empty, Email = "", DisplayName = "", Role = "", PasswordHash = "", SecurityStamp = "" }, DummyHash, password);
            return new SignInResult(SignInStatus.Failed);
        }

        if (user.IsLockedOut(now))
        {
            return new SignInResult(SignInStatus.LockedOut, LockedUntil: user.LockoutEnd);
        }

        var verification = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            var o = options.Value;
            await users.RecordFailedSignInAsync(user.Id, o.LockoutAfterFailedSignIns, now + o.LockoutDuration, now, cancellationToken);
            return user.FailedSignInCount + 1 >= o.LockoutAfterFailedSignIns
                ? new SignInResult(SignInStatus.LockedOut, LockedUntil: now + o.LockoutDuration)
                : new SignInResult(SignInStatus.Failed);
        }

        await users.RecordSuccessfulSignInAsync(user.Id, now, cancellationToken);
        return new SignInResult(SignInStatus.Succeeded, CreatePrincipal(user));
    }

    public static ClaimsPrincipal CreatePrincipal(UserAccount user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
            new(SecurityStampClaim, user.SecurityStamp),
        };
        if (user.RegionCode is not null)
        {
            claims.Add(new Claim(RegionClaim, user.RegionCode));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static readonly string DummyHash = new PasswordHasher<object>().HashPassword(new object(), Guid.NewGuid().ToString());
}
