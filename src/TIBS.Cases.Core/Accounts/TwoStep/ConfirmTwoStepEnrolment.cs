using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>
/// Switches two-step sign-in on once the user typed a current code from their app, and makes ten recovery codes:
/// their text is returned once, only their hashes are stored. Logged.
/// </summary>
public sealed class ConfirmTwoStepEnrolment(ITwoStepStore store, IUserStore users, ITwoStepSecretProtector protector, TimeProvider time)
{
    public const string CodeField = "code";

    public sealed record Request(string? Code);

    /// <summary>The recovery codes (shown once), or the problems of the code, or why nothing can be confirmed.</summary>
    public sealed record Result(IReadOnlyList<string>? RecoveryCodes, IReadOnlyList<FieldError> Errors, string? Refusal = null)
    {
        public bool Succeeded => RecoveryCodes is not null;
    }

    public async Task<Result> HandleAsync(Request request, Cases.Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var user = actor.IsSystem ? null : await users.FindByIdAsync(actor.UserId, cancellationToken);
        var pending = user is { IsActive: true } ? await store.FindAsync(user.Id, cancellationToken) : null;
        if (pending is null)
        {
            return new Result(null, [], Localized.Text("There is no set-up of two-step sign-in in progress: start again."));
        }

        if (pending.IsEnabled)
        {
            return new Result(null, [], Localized.Text("Two-step sign-in is on already."));
        }

        var now = time.UtcNow();
        var code = TwoStepCodes.SixDigits(request.Code);
        if (code is null)
        {
            return new Result(null, [new FieldError(CodeField, Localized.Text("Enter the 6-digit code your authenticator app shows."))]);
        }

        if (TwoStepCodes.MatchingStep(protector.Unprotect(pending.ProtectedSecret), code, now) is not { } step)
        {
            return new Result(null, [new FieldError(CodeField,
                Localized.Text("This code is not correct. Enter the code your app shows now; if it still fails, check that your phone's clock is set automatically."))]);
        }

        var codes = TwoStepCodes.NewRecoveryCodes();
        var entry = AdministrationRules.Entry(actor, AdministrationActions.TwoStepEnabled, user!.Id,
            $"{user.DisplayName} <{user.Email}> turned on two-step sign-in; {TwoStepCodes.RecoveryCodeCount} recovery codes made.", now);
        if (!await store.EnableAsync(user.Id, pending.ProtectedSecret, step, [.. codes.Select(c => TwoStepCodes.HashRecoveryCode(user.Id, c))], entry, cancellationToken))
        {
            return new Result(null, [], Localized.Text("The set-up changed in the meantime (another window?): start again."));
        }

        return new Result(codes, []);
    }
}
