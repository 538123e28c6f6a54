using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reminders;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Claiming due reminder rows: <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, <c>UPDLOCK, READPAST</c> on SQL Server, and
/// SQLite's single writer (its write transaction serialises claimers). A claim expires, so rows whose job was lost
/// (Hangfire storage gone, a server killed) are claimed again later.
/// </summary>
internal sealed class ReminderStore(IDbConnectionFactory db) : IReminderStore
{
    private const string Columns =
        "id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at, case_track_id, subject_kind, subject_id";

    public async Task<IReadOnlyList<Guid>> ClaimDueAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        var d = db.Dialect;
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var select = d.Limit(
            $"""
            SELECT id FROM reminders{d.ClaimTableHint}
            WHERE due_at <= @now AND (status = 'pending' OR (status = 'claimed' AND claimed_until < @now))
            ORDER BY due_at, id
            """, "@take") + d.ClaimSuffix;
        var ids = (await c.QueryAsync<Guid>(new CommandDefinition(select, new { now, take = batchSize }, tx, cancellationToken: cancellationToken))).ToList();
        if (ids.Count > 0)
        {
            var sql = $"UPDATE reminders SET status = 'claimed', claimed_by = @workerId, claimed_until = @until WHERE {d.InList("id", "@ids")}";
            await c.ExecuteAsync(new CommandDefinition(sql, ClaimArgs(workerId, now + claimFor, ids), tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<Guid>> RenewClaimAsync(IReadOnlyList<Guid> ids, string workerId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var d = db.Dialect;
        var args = ClaimArgs(workerId, until, ids);
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"UPDATE reminders SET claimed_until = @until WHERE {d.InList("id", "@ids")} AND status = 'claimed' AND claimed_by = @workerId",
            args, cancellationToken: cancellationToken));
        return [.. await c.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT id FROM reminders WHERE {d.InList("id", "@ids")} AND status = 'claimed' AND claimed_by = @workerId",
            args, cancellationToken: cancellationToken))];
    }

    public async Task<ReminderRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<ReminderRecord>(new CommandDefinition($"SELECT {Columns} FROM reminders WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<bool> MarkSentAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE reminders SET status = 'sent', sent_at = @now, claimed_until = NULL WHERE id = @id AND status IN ('pending', 'claimed')",
            new { id, now }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task SetStatusAsync(Guid id, string status, string? note, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE reminders SET status = @status, last_error = @note, claimed_until = NULL WHERE id = @id AND status IN ('pending', 'claimed')",
            new { id, status, note }, cancellationToken: cancellationToken));
    }

    public async Task RecordFailureAsync(Guid id, string error, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE reminders SET attempts = attempts + 1, last_error = @error WHERE id = @id",
            new { id, error = error.Length > 1000 ? error[..1000] : error }, cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> OldestDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var d = db.Dialect;
        await using var c = await db.OpenAsync(cancellationToken);
        var due = await c.QueryAsync<DateTimeOffset>(new CommandDefinition(
            d.Limit("SELECT due_at FROM reminders WHERE due_at <= @now AND status IN ('pending', 'claimed') ORDER BY due_at", "@take"),
            new { now, take = 1 }, cancellationToken: cancellationToken));
        return due.Select(t => (DateTimeOffset?)t).FirstOrDefault();
    }

    /// <summary>Dapper expands lists without the type handlers, and SQLite keeps ids as text.</summary>
    private object ClaimArgs(string workerId, DateTimeOffset until, IEnumerable<Guid> ids) => db.Provider == DatabaseProvider.Sqlite
        ? new { workerId, until, ids = ids.Select(i => i.ToString("D")).ToArray() }
        : new { workerId, until, ids = ids.ToArray() };
}
