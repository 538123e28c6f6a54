using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>
/// The user switches their two-step sign-in off, confirming with a current code or their password. Logged. Not for a
/// role that requires it (<see cref="TwoStepRequirement"/>). Wrong confirmations count in the sign-in throttle like
/// wrong passwords and codes, so a session left open is no way to guess either.
/// </summary>
public sealed class TurnOffTwoStep(
    ITwoStepStore store, IUserStore users, ITwoStepSecretProtector protector, IPasswordHashing passwords, TimeProvider time,
    TwoStepRequirement requirement, SignInThrottle throttle)
{
    public const string ConfirmationField = "confirmation";

    /// <param name="Confirmation">A current 6-digit code from the app, or the user's password.</param>
    /// <param name="ClientAddress">The address the request came from, counted in the throttle.</param>
    public sealed record Request(string? Confirmation, string? ClientAddress = null);

    public sealed record Result(string? Message, IReadOnlyList<FieldError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;

        /// <summary>Set when the confirmation was not checked because of earlier wrong ones: how long to wait.</summary>
        public TimeSpan? RetryAfter { get; init; }
    }

    public async Task<Result> HandleAsync(Request request, Cases.Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var user = actor.IsSystem ? null : await users.FindByIdAsync(actor.UserId, cancellationToken);
        var record = user is null ? null : await store.FindAsync(user.Id, cancellationToken);
        if (record is not { IsEnabled: true })
        {
            return new Result(Localized.Text("Two-step sign-in is off already."), []);
        }

        if (requirement.IsRequiredFor(user!.Role))
        {
            return new Result(null, [new FieldError(ConfirmationField, TwoStepRequirement.CannotTurnOff(user.Role))]);
        }

        var confirmation = request.Confirmation ?? "";
        if (string.IsNullOrWhiteSpace(confirmation))
        {
            return new Result(null, [new FieldError(ConfirmationField, Localized.Text("Enter the 6-digit code your app shows now, or your password, to turn two-step sign-in off."))]);
        }

        var wait = await throttle.WaitAsync(user.Email, request.ClientAddress, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return new Result(null, [new FieldError(ConfirmationField, SignInThrottle.TooManyAttempts(wait))]) { RetryAfter = wait };
        }

        var confirmed = TwoStepCodes.SixDigits(confirmation) is not null
            ? (await CheckTwoStepCode.VerifyAsync(store, protector, time, user!, record, confirmation, cancellationToken)).Outcome == TwoStepCodeOutcome.Accepted
            : passwords.Verifies(user!, confirmation);
        if (!confirmed)
        {
            await throttle.RecordFailureAsync(user.Email, request.ClientAddress, cancellationToken);
            return new Result(null, [new FieldError(ConfirmationField,
                Localized.Text("This is neither a current code from your app nor your password; two-step sign-in stays on."))]);
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.TwoStepDisabled, user!.Id,
            $"{user.DisplayName} <{user.Email}> turned off two-step sign-in; their recovery codes no longer work.", time.UtcNow());
        await store.RemoveAsync(user.Id, null, entry, cancellationToken);
        return new Result(Localized.Text("Two-step sign-in is off: you sign in with your password only. Your recovery codes no longer work."), []);
    }
}
