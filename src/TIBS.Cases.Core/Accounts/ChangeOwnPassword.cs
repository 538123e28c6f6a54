using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts;

/// <summary>
/// The signed-in user changes their own password: the current one is required, the new one follows
/// <see cref="PasswordRule"/> and is typed twice. In one transaction the password and a new security stamp are
/// written, every OTHER session of the user is ended and the administration log gets "changed their own password"
/// (never the password). The session that asked stays: the host renews its cookie with the new stamp. A wrong current
/// password counts in the sign-in throttle (<see cref="SignInThrottle"/>) like a wrong password at sign-in, so a session
/// left open is no way to guess the password.
/// </summary>
public sealed class ChangeOwnPassword(IUserStore users, IUserAdministrationStore store, IPasswordHashing hashing, TimeProvider time, SignInThrottle throttle)
{
    /// <param name="CurrentSessionId">The session that asks, which stays signed in.</param>
    /// <param name="ClientAddress">The address the request came from, counted in the throttle.</param>
    public sealed record Request(string? CurrentPassword, string? NewPassword, string? Confirmation, Guid CurrentSessionId, string? ClientAddress = null);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem || await users.FindByIdAsync(actor.UserId, cancellationToken) is not { IsActive: true } user)
        {
            return CaseCommandResult.NotFound(Localized.Text("Your account"));
        }

        if (string.IsNullOrEmpty(request.CurrentPassword))
        {
            return Invalid("CurrentPassword", Localized.Text("Enter your current password."));
        }

        var wait = await throttle.WaitAsync(user.Email, request.ClientAddress, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return Invalid("CurrentPassword", SignInThrottle.TooManyAttempts(wait)) with { RetryAfter = wait };
        }

        if (!hashing.Verifies(user, request.CurrentPassword))
        {
            await throttle.RecordFailureAsync(user.Email, request.ClientAddress, cancellationToken);
            return Invalid("CurrentPassword", Localized.Text("This is not your current password: nothing was changed. Type it again."));
        }

        if (PasswordRule.Problem(request.NewPassword, user.Email, user.DisplayName) is { } problem)
        {
            return Invalid("NewPassword", problem);
        }

        if (string.Equals(request.NewPassword, request.CurrentPassword, StringComparison.Ordinal))
        {
            return Invalid("NewPassword", Localized.Text("The new password is the same as the current one; choose a different one."));
        }

        if (!string.Equals(request.NewPassword, request.Confirmation, StringComparison.Ordinal))
        {
            return Invalid("Confirmation", Localized.Text("The two new passwords are not the same; type the same password twice."));
        }

        var now = time.GetUtcNow();
        var entry = AdministrationRules.Entry(actor, AdministrationActions.OwnPasswordChanged, user.Id, $"{user.DisplayName} changed their own password.", now);
        var ended = await store.ChangeOwnPasswordAsync(user.Id, hashing.Hash(user, request.NewPassword!), UserLinkTokens.NewSecurityStamp(), request.CurrentSessionId, entry, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, ended switch
        {
            0 => Localized.Text("Your password is changed. You stay signed in here."),
            1 => Localized.Text("Your password is changed. You stay signed in here; your 1 other session was signed out."),
            _ => Localized.Format("Your password is changed. You stay signed in here; your {0} other sessions were signed out.", ended),
        });
    }

    private static CaseCommandResult Invalid(string field, string message) =>
        new(CaseCommandStatus.InvalidForm, message) { FieldErrors = [new FieldError(field, message)] };
}
