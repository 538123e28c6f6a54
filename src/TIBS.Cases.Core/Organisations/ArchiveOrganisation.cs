using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Organisations;

/// <summary>
/// Archives an organisation (its users keep it, but it is no longer offered for new ones) or brings it back. Like an
/// edit, it names the version it started from.
/// </summary>
public sealed class ArchiveOrganisation(IOrganisationStore store, TimeProvider time)
{
    /// <param name="Archived">True to archive, false to bring the organisation back.</param>
    public sealed record Request(Guid Id, int Version, bool Archived);

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

        if (saved.Version != request.Version)
        {
            return OrganisationRules.Conflict(saved.Name);
        }

        if (saved.IsArchived == request.Archived)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, saved.IsArchived ? Localized.Format("{0} is archived already.", saved.Name) : Localized.Format("{0} is active already.", saved.Name));
        }

        var now = time.GetUtcNow();
        var entry = request.Archived
            ? OrganisationRules.Entry(actor, AdministrationActions.OrganisationArchived, $"Archived the organisation {OrganisationRules.Describe(saved)}.", now)
            : OrganisationRules.Entry(actor, AdministrationActions.OrganisationRestored, $"Brought back the organisation {OrganisationRules.Describe(saved)}.", now);
        var written = await store.UpdateAsync(saved with { IsArchived = request.Archived, Version = saved.Version + 1, UpdatedAt = now }, request.Version, entry, cancellationToken);
        if (written != OrganisationWrite.Saved)
        {
            return OrganisationRules.Conflict(saved.Name);
        }

        return new CaseCommandResult(CaseCommandStatus.Done, request.Archived
            ? Localized.Format("{0} is archived: its users keep it, and it is no longer offered for new users.", saved.Name)
            : Localized.Format("{0} is active again.", saved.Name));
    }
}
