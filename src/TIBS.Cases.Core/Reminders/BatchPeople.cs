using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Core.Reminders;

/// <summary>
/// The people of one batch, each group read once: the users of a role (in given regions) and users by id. A
/// delivery never reads the whole user list, and a batch of a hundred rows for one region reads its brokers once.
/// </summary>
internal sealed class BatchPeople(IUserStore users)
{
    private readonly Dictionary<string, IReadOnlyList<UserAccount>> byRole = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, UserAccount> byId = [];

    public async Task LoadAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var missing = ids.Where(id => !byId.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var user in await users.GetManyAsync(missing, cancellationToken))
            {
                byId[user.Id] = user;
            }
        }
    }

    public async Task<IReadOnlyList<UserAccount>> ActiveAsync(Guid id, CancellationToken cancellationToken)
    {
        await LoadAsync([id], cancellationToken);
        return byId.TryGetValue(id, out var user) && user.IsActive ? [user] : [];
    }

    public async Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, IReadOnlyCollection<string>? regions, CancellationToken cancellationToken)
    {
        var key = regions is null ? role : $"{role}|{string.Join(',', regions.Order(StringComparer.Ordinal))}";
        if (!byRole.TryGetValue(key, out var found))
        {
            found = byRole[key] = await users.ListInRoleAsync(role, regions, cancellationToken: cancellationToken);
        }

        return found;
    }
}
