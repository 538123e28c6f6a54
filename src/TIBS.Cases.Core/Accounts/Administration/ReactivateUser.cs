using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>Reactivates a deactivated user: they may sign in again with their password.</summary>
public sealed class ReactivateUser(IUserAdministrationStore store, TimeProvider time)
{
    public sealed record Request(Guid UserId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (target, refusal) = await AdministrationRules.TargetAsync(store, actor, request.UserId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var user = target!.Account;

        if (user.IsActive)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is active already.", user.DisplayName));
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.Reactivated, user.Id, $"Reactivated {user.DisplayName} <{user.Email}>.", time.GetUtcNow());
        await store.SetActiveAsync(user.Id, true, user.SecurityStamp, entry, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is active again.", user.DisplayName));
    }
}
