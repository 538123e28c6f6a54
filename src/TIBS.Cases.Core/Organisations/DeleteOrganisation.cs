using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Organisations;

/// <summary>Deletes an organisation that no user belongs to (one with users can only be archived).</summary>
public sealed class DeleteOrganisation(IOrganisationStore store, TimeProvider time)
{
    public sealed record Request(Guid Id, int Version);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!OrganisationRules.MayMaintain(actor))
        {
            return OrganisationRules.Forbidden();
        }

        if (await store.FindAsync(request.Id, cancellationToken) is not { } saved)
        {
            return CaseCommandResult.NotFound(Localized.Text("The organisation"));
        }

        var now = time.GetUtcNow();
        var entry = OrganisationRules.Entry(actor, AdministrationActions.OrganisationDeleted, $"Deleted the organisation {OrganisationRules.Describe(saved)}.", now);
        return await store.DeleteAsync(saved.Id, request.Version, entry, cancellationToken) switch
        {
            OrganisationWrite.InUse => new CaseCommandResult(CaseCommandStatus.Refused,
                Localized.Format("{0} cannot be deleted: users belong to it. Archive it instead, or move its users to another organisation first.", saved.Name)),
            OrganisationWrite.Conflict => OrganisationRules.Conflict(saved.Name),
            _ => new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("{0} is deleted.", saved.Name)),
        };
    }
}
