using Dapper;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Data.Stores;

internal sealed class AbsenceStore(IDbConnectionFactory db) : IAbsenceStore
{
    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    private const string Select =
        """
        SELECT a.id AS Id, a.user_id AS UserId, a.deputy_user_id AS DeputyUserId, a.starts_on AS StartsOn, a.ends_on AS EndsOn,
               a.created_at AS CreatedAt, a.created_by AS CreatedBy, u.display_name AS UserName, d.display_name AS DeputyName
        FROM user_absences a
        JOIN users u ON u.id = a.user_id
        JOIN users d ON d.id = a.deputy_user_id
        """;

    public async Task<IReadOnlyList<Absence>> ListForUserAsync(Guid userId, DateOnly from, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<Absence>(new CommandDefinition(
            $"{Select} WHERE a.user_id = @userId AND a.ends_on >= @from ORDER BY a.starts_on, a.id", new { userId, from }, cancellationToken: cancellationToken))];
    }

    public async Task<Absence?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<Absence>(new CommandDefinition($"{Select} WHERE a.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Absence>> ListCurrentAsync(IReadOnlyCollection<Guid> userIds, DateOnly day, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<Absence>(new CommandDefinition(
            $"{Select} WHERE {db.Dialect.InList("a.user_id", "@ids")} AND a.starts_on <= @day AND a.ends_on >= @day ORDER BY a.starts_on, a.id",
            new { ids = db.Dialect.IdList(userIds), day }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<Absence>> ListDeputisingAsync(Guid deputyUserId, DateOnly from, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<Absence>(new CommandDefinition(
            $"{Select} WHERE a.deputy_user_id = @deputyUserId AND a.ends_on >= @from ORDER BY a.starts_on, a.id", new { deputyUserId, from }, cancellationToken: cancellationToken))];
    }

    public async Task<Absence?> AddAsync(Absence absence, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(absence);
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);

        // Touching the user's row locks it until the end of the transaction (SQLite's write lock does the same), so two
        // absences of one user recorded at the same instant are checked one after the other.
        await c.ExecuteAsync(new CommandDefinition("UPDATE users SET updated_at = updated_at WHERE id = @UserId", absence, tx, cancellationToken: cancellationToken));
        var overlapping = await c.QueryFirstOrDefaultAsync<Absence>(new CommandDefinition(
            $"{Select} WHERE a.user_id = @UserId AND a.starts_on <= @EndsOn AND a.ends_on >= @StartsOn ORDER BY a.starts_on",
            absence, tx, cancellationToken: cancellationToken));
        if (overlapping is not null)
        {
            await tx.RollbackAsync(cancellationToken);
            return overlapping;
        }

        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_absences (id, user_id, deputy_user_id, starts_on, ends_on, created_at, created_by)
            VALUES (@Id, @UserId, @DeputyUserId, @StartsOn, @EndsOn, @CreatedAt, @CreatedBy)
            """, absence, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return null;
    }

    public Task<bool> SetEndAsync(Guid id, DateOnly expectedEndsOn, DateOnly endsOn, AdministrationLogEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE user_absences SET ends_on = @endsOn WHERE id = @id AND ends_on = @expectedEndsOn", new { id, expectedEndsOn, endsOn }, entry, cancellationToken);

    public Task<bool> DeleteAsync(Guid id, DateOnly expectedEndsOn, AdministrationLogEntry entry, CancellationToken cancellationToken = default) =>
        WriteAsync("DELETE FROM user_absences WHERE id = @id AND ends_on = @expectedEndsOn", new { id, expectedEndsOn }, entry, cancellationToken);

    private async Task<bool> WriteAsync(string sql, object parameters, AdministrationLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        if (await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: cancellationToken)) != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
