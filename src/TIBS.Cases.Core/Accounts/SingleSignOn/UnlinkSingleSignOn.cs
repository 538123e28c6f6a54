using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.SingleSignOn;

/// <summary>
/// An administrator removes the link between a user and their identity at the provider (the person got a new
/// identity there, or the wrong one was linked): the next sign-in with the provider links again by e-mail address.
/// Logged. Sessions go on.
/// </summary>
public sealed class UnlinkSingleSignOn(IUserAdministrationStore administration, IExternalLoginStore logins, TimeProvider time)
{
    public sealed record Request(Guid UserId, string ProviderName);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (target, refusal) = await AdministrationRules.TargetAsync(administration, actor, request.UserId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var user = target!.Account;
        var entry = AdministrationRules.Entry(actor, SingleSignOnActions.Unlinked, user.Id,
            $"Removed the link of {user.DisplayName} <{user.Email}> to their {request.ProviderName} identity; the next sign-in with {request.ProviderName} links again by e-mail address.", time.UtcNow());
        return await logins.UnlinkAsync(user.Id, entry, cancellationToken)
            ? new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is no longer linked to a {1} identity; their next sign-in with {1} links again by e-mail address.", user.DisplayName, request.ProviderName))
            : new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("{0} is not linked to a {1} identity: there is nothing to remove.", user.DisplayName, request.ProviderName));
    }
}
