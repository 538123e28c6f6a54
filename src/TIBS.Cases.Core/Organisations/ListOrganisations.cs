using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Organisations;

/// <summary>The partner organisations with their number of users, for coordinators and administrators.</summary>
public sealed class ListOrganisations(IOrganisationStore store)
{
    public sealed record Request;

    /// <summary>Every organisation, by country and name; null when the actor may not maintain them.</summary>
    public async Task<IReadOnlyList<OrganisationSummary>?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return OrganisationRules.MayMaintain(actor) ? await store.ListAsync(cancellationToken) : null;
    }
}
