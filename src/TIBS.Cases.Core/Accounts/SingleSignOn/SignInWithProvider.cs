using TIBS.Cases.Core.Accounts.Administration;

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
            return await RefuseAsync(request, null, $"{request.ProviderName} did not say who you are (no subject in its answer). Sign in with your password, or ask an administrator.", cancellationToken);
        }

        if (await logins.FindUserAsync(request.Issuer, request.Subject, cancellationToken) is { } linkedId)
        {
            var linked = await users.FindByIdAsync(linkedId, cancellationToken);
            return linked is { IsActive: true } && Roles.IsKnown(linked.Role)
                ? new Result(linked, null)
                : await RefuseAsync(request, linked, Deactivated(request), cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            return await RefuseAsync(request, null,
                $"{request.ProviderName} did not send your e-mail address, so it cannot be matched to an account here. Ask the administrator of {request.ProviderName} to release it, or sign in with your password.", cancellationToken);
        }

        var email = request.Email.Trim();
        if (request.RequireVerifiedEmail && request.EmailVerified == false)
        {
            return await RefuseAsync(request, null,
                $"{request.ProviderName} says your e-mail address {email} is not verified. Verify it there first, then sign in again.", cancellationToken);
        }

        var user = await users.FindByEmailAsync(email, cancellationToken);
        if (user is null)
        {
            return await RefuseAsync(request, null,
                $"No account here uses the e-mail address {email}. Ask an administrator to invite you with this address; accounts are not created by signing in.", cancellationToken);
        }

        if (!user.IsActive || !Roles.IsKnown(user.Role))
        {
            return await RefuseAsync(request, user, Deactivated(request), cancellationToken);
        }

        if ((await logins.ListForUserAsync(user.Id, cancellationToken)).Any(l => l.Issuer == request.Issuer))
        {
            return await RefuseAsync(request, user,
                $"The account of {email} is linked to another {request.ProviderName} identity. Sign in with that one, or ask an administrator to remove the link.", cancellationToken);
        }

        var now = time.UtcNow();
        var invited = string.IsNullOrEmpty(user.PasswordHash);
        var entry = Entry(SingleSignOnActions.Linked, user,
            $"{user.DisplayName} <{user.Email}> signed in with {request.ProviderName} for the first time; linked to its identity {request.Subject} at {request.Issuer}."
            + (invited ? " The invitation is accepted this way; no password is set." : ""), now);
        var login = new ExternalLogin { Issuer = request.Issuer, Subject = request.Subject, UserId = user.Id, LinkedAt = now };
        return await logins.LinkAsync(login, invited, entry, cancellationToken)
            ? new Result(user, null)
            : new Result(null, $"Your {request.ProviderName} identity was linked to an account at the same moment by another sign-in. Sign in again.");
    }

    private static string Deactivated(Request request) =>
        $"Your account is deactivated, so signing in with {request.ProviderName} is not possible either. Ask an administrator.";

    private async Task<Result> RefuseAsync(Request request, UserAccount? user, string problem, CancellationToken cancellationToken)
    {
        var who = user is null ? $"Someone ({request.Email ?? "no e-mail address"})" : $"{user.DisplayName} <{user.Email}>";
        var entry = Entry(SingleSignOnActions.Refused, user,
            $"{who} could not sign in with {request.ProviderName} (identity {request.Subject} at {request.Issuer}): {problem}", time.UtcNow());
        await logins.LogAsync(entry, cancellationToken);
        return new Result(null, problem);
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
