using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>The users for administrators, filtered by role, region, organisation and whether they are active, with their last sign-in.</summary>
public sealed class ListUsers(IUserAdministrationStore store, IReferenceDataStore reference, IOrganisationStore organisations)
{
    /// <param name="Organisation">An organisation's id, <see cref="NoOrganisation"/> for the users without one, or null (any).</param>
    public sealed record Request(string? Role = null, string? RegionCode = null, bool? Active = null, string? Organisation = null);

    /// <summary>The value of the organisation filter that finds the users who belong to no organisation yet.</summary>
    public const string NoOrganisation = "none";

    /// <summary>The users found, every partner region and every organisation (for the filters).</summary>
    public sealed record UserList(IReadOnlyList<AdministeredUser> Users, IReadOnlyList<Region> Regions)
    {
        public IReadOnlyList<Organisation> Organisations { get; init; } = [];
    }

    /// <summary>Null when the actor is no administrator.</summary>
    public async Task<UserList?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AdministrationRules.IsAdministrator(actor))
        {
            return null;
        }

        var role = Roles.IsKnown(request.Role) ? request.Role : null;
        var region = string.IsNullOrWhiteSpace(request.RegionCode) ? null : request.RegionCode.Trim();
        var organisation = Guid.TryParse(request.Organisation, out var id) ? id : (Guid?)null;
        var filter = new UserFilter(role, region, request.Active, organisation, request.Organisation == NoOrganisation);
        return new UserList(await store.ListAsync(filter, cancellationToken), await reference.RegionsAsync(cancellationToken))
        {
            Organisations = [.. (await organisations.ListAsync(cancellationToken)).Select(s => s.Organisation)],
        };
    }
}
