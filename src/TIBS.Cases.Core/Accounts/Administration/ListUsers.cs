using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>The users for administrators, filtered by role, region and whether they are active, with their last sign-in.</summary>
public sealed class ListUsers(IUserAdministrationStore store, IReferenceDataStore reference)
{
    public sealed record Request(string? Role = null, string? RegionCode = null, bool? Active = null);

    /// <summary>The users found and every partner region (for the filter).</summary>
    public sealed record UserList(IReadOnlyList<AdministeredUser> Users, IReadOnlyList<Region> Regions);

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
        return new UserList(await store.ListAsync(new UserFilter(role, region, request.Active), cancellationToken), await reference.RegionsAsync(cancellationToken));
    }
}
