using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Organisations;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>Sets the partner organisation a user belongs to (an active one); users from before organisations get theirs this way.</summary>
public sealed class ChangeUserOrganisation(IUserAdministrationStore store, IOrganisationStore organisations, TimeProvider time)
{
    public sealed record Request(Guid UserId, Guid? OrganisationId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (found, refusal) = await AdministrationRules.TargetAsync(store, actor, request.UserId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var user = found!.Account;
        if (request.OrganisationId is { } same && same == user.OrganisationId)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Nothing changed for {0}.", user.DisplayName));
        }

        var (organisation, problem) = await AdministrationRules.OrganisationAsync(organisations, request.OrganisationId, required: true, cancellationToken);
        if (problem is not null)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem.Message) { FieldErrors = [problem] };
        }

        var entry = AdministrationRules.Entry(actor, AdministrationActions.OrganisationSet, user.Id,
            $"{user.DisplayName}: {found.OrganisationName ?? "no organisation"} became {organisation!.Name}.", time.GetUtcNow());
        await store.SetOrganisationAsync(user.Id, organisation.Id, entry, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} now belongs to {1}.", user.DisplayName, organisation.Name));
    }
}
