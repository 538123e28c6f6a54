using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.SingleSignOn;

/// <summary>
/// Finds the user an OpenID Connect provider vouched for (decision 0042): first by the identity linked at an earlier
/// sign-in (issuer and subject), otherwise by the e-mail address (any case), and then links that identity. Only
/// active users with a known role; no account is ever created. An invited user who has no password yet may sign in
/// this way: their invitation link is used up. A different identity for a user already linked at the same provider
/// is refused. Links and refusals go to the administration log. The session is started by the host's sign-in, as
/// after a password.
/// </summary>
public sealed class SignInWithProvider(IUserStore users, IExternalLoginStore logins, TimeProvider time)
{
    /// <param name="ProviderName">The provider's name as users know it, such as "Entra ID".</param>
    /// <param name="EmailVerified">The provider's email_verified claim; null when it sent none.</param>
    /// <param name="RequireVerifiedEmail">Refuse when the provider says the address is not verified.</param>
    public sealed record Request(string ProviderName, string Issuer, string Subject, string? Email, bool? EmailVerified, bool RequireVerifiedEmail);

    /// <summary>The user to sign in, or the refusal in words (<paramref name="Problem"/>).</summary>
    public sealed record Result(UserAccount? User, string? Problem)
    {
        public bool Succeeded => User is not null;
    }

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Issuer) || string.IsNullOrWhiteSpace(request.Subject))
        {
            return await RefuseAsync(request, null, () => Localized.Format("{0} did not say who you are (no subject in its answer). Sign in with your password, or ask an administrator.", request.ProviderName), cancellationToken);
        }

        if (await logins.FindUserAsync(request.Issuer, request.Subject, cancellationToken) is { } linkedId)
        {
            var linked = await users.FindByIdAsync(linkedId, cancellationToken);
            return linked is { IsActive: true } && Roles.IsKnown(linked.Role)
                ? new Result(linked, null)
                : await RefuseAsync(request, linked, () => Deactivated(request), cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            return await RefuseAsync(request, null,
                () => Localized.Format("{0} did not send your e-mail address, so it cannot be matched to an account here. Ask the administrator of {0} to release it, or sign in with your password.", request.ProviderName), cancellationToken);
        }

        var email = request.Email.Trim();
        if (request.RequireVerifiedEmail && request.EmailVerified == false)
        {
            return await RefuseAsync(request, null,
                () => Localized.Format("{0} says your e-mail address {1} is not verified. Verify it there first, then sign in again.", request.ProviderName, email), cancellationToken);
        }

        var user = await users.FindByEmailAsync(email, cancellationToken);
        if (user is null)
        {
            return await RefuseAsync(request, null,
                () => Localized.Format("No account here uses the e-mail address {0}. Ask an administrator to invite you with this address; accounts are not created by signing in.", email), cancellationToken);
        }

        if (!user.IsActive || !Roles.IsKnown(user.Role))
        {
            return await RefuseAsync(request, user, () => Deactivated(request), cancellationToken);
        }

        if ((await logins.ListForUserAsync(user.Id, cancellationToken)).Any(l => l.Issuer == request.Issuer))
        {
            return await RefuseAsync(request, user,
                () => Localized.Format("The account of {0} is linked to another {1} identity. Sign in with that one, or ask an administrator to remove the link.", email, request.ProviderName), cancellationToken);
        }

        var now = time.UtcNow();
        var invited = string.IsNullOrEmpty(user.PasswordHash);
        var entry = Entry(SingleSignOnActions.Linked, user,
            $"{user.DisplayName} <{user.Email}> signed in with {request.ProviderName} for the first time; linked to its identity {request.Subject} at {request.Issuer}."
            + (invited ? " The invitation is accepted this way; no password is set." : ""), now);
        var login = new ExternalLogin { Issuer = request.Issuer, Subject = request.Subject, UserId = user.Id, LinkedAt = now };
        return await logins.LinkAsync(login, invited, entry, cancellationToken)
            ? new Result(user, null)
            : new Result(null, Localized.Format("Your {0} identity was linked to an account at the same moment by another sign-in. Sign in again.", request.ProviderName));
    }

    private static string Deactivated(Request request) =>
        Localized.Format("Your account is deactivated, so signing in with {0} is not possible either. Ask an administrator.", request.ProviderName);

    /// <summary>Logs the refusal with <paramref name="problem"/> in English (the log is a record) and answers it in the reader's language.</summary>
    private async Task<Result> RefuseAsync(Request request, UserAccount? user, Func<string> problem, CancellationToken cancellationToken)
    {
        string logged;
        using (CultureScope.Of(Languages.Default))
        {
            logged = problem();
        }

        var who = user is null ? $"Someone ({request.Email ?? "no e-mail address"})" : $"{user.DisplayName} <{user.Email}>";
        var entry = Entry(SingleSignOnActions.Refused, user,
            $"{who} could not sign in with {request.ProviderName} (identity {request.Subject} at {request.Issuer}): {logged}", time.UtcNow());
        await logins.LogAsync(entry, cancellationToken);
        return new Result(null, problem());
    }

    /// <summary>The person who signed in is the actor of their own line; the system when no user was found.</summary>
    private static AdministrationLogEntry Entry(string action, UserAccount? user, string details, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OccurredAt = now,
        ActorId = user?.Id,
        Action = action,
        SubjectUserId = user?.Id,
        Details = details.Length > 2000 ? details[..2000] : details,
    };
}
