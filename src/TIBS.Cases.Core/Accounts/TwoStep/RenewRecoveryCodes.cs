using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>Ten new recovery codes for the user (shown once); the old ones stop working. Logged.</summary>
public sealed class RenewRecoveryCodes(ITwoStepStore store, IUserStore users, TimeProvider time)
{
    public sealed record Request;

    /// <summary>The new codes, or why there are none.</summary>
    public sealed record Result(IReadOnlyList<string>? RecoveryCodes, string? Refusal);

    public async Task<Result> HandleAsync(Request request, Cases.Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var user = actor.IsSystem ? null : await users.FindByIdAsync(actor.UserId, cancellationToken);
        var record = user is null ? null : await store.FindAsync(user.Id, cancellationToken);
        if (record is not { IsEnabled: true })
        {
            return new Result(null, Localized.Text("Recovery codes belong to two-step sign-in: turn it on first."));
        }

        var now = time.UtcNow();
        var codes = TwoStepCodes.NewRecoveryCodes();
        var entry = AdministrationRules.Entry(actor, AdministrationActions.RecoveryCodesRenewed, user!.Id,
            $"{user.DisplayName} <{user.Email}> made {TwoStepCodes.RecoveryCodeCount} new recovery codes; the earlier ones no longer work.", now);
        await store.ReplaceRecoveryCodesAsync(user.Id, [.. codes.Select(c => TwoStepCodes.HashRecoveryCode(user.Id, c))], now, entry, cancellationToken);
        return new Result(codes, null);
    }
}
