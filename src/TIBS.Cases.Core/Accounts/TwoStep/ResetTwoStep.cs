using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>
/// An administrator resets a user's two-step sign-in (a lost phone): the secret and recovery codes are removed and a
/// new security stamp ends the user's sessions and remembered devices. Logged.
/// </summary>
public sealed class ResetTwoStep(IUserAdministrationStore administration, ITwoStepStore store, TimeProvider time)
{
    public sealed record Request(Guid UserId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (target, refusal) = await AdministrationRules.TargetAsync(administration, actor, request.UserId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var user = target!.Account;
        if (await store.FindAsync(user.Id, cancellationToken) is null)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("{0} has not set up two-step sign-in: there is nothing to reset.", user.DisplayName));
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.TwoStepReset, user.Id,
            $"Reset the two-step sign-in of {user.DisplayName} <{user.Email}>: secret and recovery codes removed, sessions and remembered devices ended.", time.UtcNow());
        await store.RemoveAsync(user.Id, UserLinkTokens.NewSecurityStamp(), entry, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done,
            Localized.Format("The two-step sign-in of {0} is reset: they sign in with their password and set it up again; their sessions ended.", user.DisplayName));
    }
}
