using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Organisations;

/// <summary>One partner organisation as saved, with its number of users, for its edit form.</summary>
public sealed class GetOrganisation(IOrganisationStore store)
{
    public sealed record Request(Guid Id);

    /// <summary>Null when the actor may not maintain organisations or the organisation does not exist.</summary>
    public async Task<OrganisationSummary?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!OrganisationRules.MayMaintain(actor))
        {
            return null;
        }

        return (await store.ListAsync(cancellationToken)).FirstOrDefault(s => s.Organisation.Id == request.Id);
    }
}
