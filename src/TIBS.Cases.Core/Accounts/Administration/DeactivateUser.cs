using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>
/// Deactivates a user: they can no longer sign in and every session of theirs ends at once (a new security stamp, and
/// every session revoked). The last active administrator cannot be deactivated.
/// </summary>
public sealed class DeactivateUser(IUserAdministrationStore store, SessionService sessions, TimeProvider time)
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

        if (!user.IsActive)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is deactivated already.", user.DisplayName));
        }

        if (await AdministrationRules.LastAdministratorAsync(store, user, Doing, cancellationToken) is { } refused)
        {
            return refused;
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.Deactivated, user.Id, $"Deactivated {user.DisplayName} <{user.Email}>; every session ended.", time.GetUtcNow());
        if (!await store.SetActiveAsync(user.Id, false, UserLinkTokens.NewSecurityStamp(), entry, cancellationToken))
        {
            return AdministrationRules.LastAdministrator(user, Doing);
        }

        var ended = await sessions.RevokeAllSessionsAsync(user.Id, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, ended == 1
            ? Localized.Format("{0} is deactivated; 1 session ended.", user.DisplayName)
            : Localized.Format("{0} is deactivated; {1} sessions ended.", user.DisplayName, ended));
    }

    private const string Doing = AdministrationRules.Deactivation;

}
