using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>What became of a code typed at sign-in.</summary>
public enum TwoStepCodeOutcome
{
    /// <summary>A current code from the app, not used before.</summary>
    Accepted,

    /// <summary>An unused recovery code; it is used now.</summary>
    AcceptedRecoveryCode,

    /// <summary>Neither a current code nor an unused recovery code.</summary>
    Wrong,

    /// <summary>A code of a time step whose code was accepted already (or an older one).</summary>
    Replayed,

    /// <summary>The user has no two-step sign-in switched on.</summary>
    NotEnabled,
}

/// <summary>
/// The second step of sign-in: a six-digit code from the user's app, accepted one time step before or after now and
/// only once (the last accepted step is remembered), or one of their recovery codes, which works once (logged).
/// The caller counts a refusal in the sign-in throttle.
/// </summary>
public sealed class CheckTwoStepCode(ITwoStepStore store, IUserStore users, ITwoStepSecretProtector protector, TimeProvider time)
{
    public sealed record Request(Guid UserId, string? Code);

    public sealed record Result(TwoStepCodeOutcome Outcome, int RecoveryCodesLeft = 0)
    {
        public bool Accepted => Outcome is TwoStepCodeOutcome.Accepted or TwoStepCodeOutcome.AcceptedRecoveryCode;

        /// <summary>What the code page says about a refused code.</summary>
        public string? Message => Outcome switch
        {
            TwoStepCodeOutcome.Wrong => Localized.Text("This code is not correct. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes."),
            TwoStepCodeOutcome.Replayed => Localized.Text("This code has been used already. Wait until your app shows the next code and enter that one."),
            TwoStepCodeOutcome.NotEnabled => Localized.Text("Two-step sign-in is not on for this account any more: sign in again."),
            _ => null,
        };
    }

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await store.FindAsync(request.UserId, cancellationToken);
        var user = record is { IsEnabled: true } ? await users.FindByIdAsync(request.UserId, cancellationToken) : null;
        if (user is not { IsActive: true })
        {
            return new Result(TwoStepCodeOutcome.NotEnabled);
        }

        return await VerifyAsync(store, protector, time, user, record!, request.Code, cancellationToken);
    }

    /// <summary>Checks a six-digit code (and remembers its step) or a recovery code (and uses it up).</summary>
    internal static async Task<Result> VerifyAsync(
        ITwoStepStore store, ITwoStepSecretProtector protector, TimeProvider time, UserAccount user, TwoStepRecord record, string? code, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        if (TwoStepCodes.SixDigits(code) is { } digits)
        {
            if (TwoStepCodes.MatchingStep(protector.Unprotect(record.ProtectedSecret), digits, now) is not { } step)
            {
                return new Result(TwoStepCodeOutcome.Wrong);
            }

            return await store.TryUseStepAsync(user.Id, step, cancellationToken)
                ? new Result(TwoStepCodeOutcome.Accepted, record.RecoveryCodesLeft)
                : new Result(TwoStepCodeOutcome.Replayed);
        }

        if (!TwoStepCodes.LooksLikeRecoveryCode(code))
        {
            return new Result(TwoStepCodeOutcome.Wrong);
        }

        var left = record.RecoveryCodesLeft - 1;
        var entry = AdministrationRules.Entry(user.AsActor(), AdministrationActions.RecoveryCodeUsed, user.Id,
            $"{user.DisplayName} <{user.Email}> signed in with a recovery code; {TwoStepCodes.Count(left, "recovery code", "recovery codes")} left.", now);
        return await store.TryUseRecoveryCodeAsync(user.Id, TwoStepCodes.HashRecoveryCode(user.Id, code), now, entry, cancellationToken)
            ? new Result(TwoStepCodeOutcome.AcceptedRecoveryCode, left)
            : new Result(TwoStepCodeOutcome.Wrong);
    }
}
