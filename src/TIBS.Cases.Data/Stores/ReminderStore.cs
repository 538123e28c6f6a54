using System.Text;
using Dapper;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
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

    public async Task<IReadOnlyList<Guid>> ClaimDueAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default) =>
        [.. (await ClaimDueRowsAsync(now, batchSize, workerId, claimFor, cancellationToken)).Select(r => r.Id)];

    public async Task<IReadOnlyList<ReminderRecord>> ClaimDueRowsAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        var d = db.Dialect;
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);

        // The rows whose claim expired, then the pending ones, each read through its own partial index (script 0045),
        // and the first of both by due time taken. One condition joining the two with OR could not be read in due order
        // from either index: with many rows due (after downtime) the plan read every reminder, 8.6 s a claim at 18.5
        // million reminders, where each part reads its first rows in milliseconds. Rows locked and not taken are let go
        // at commit.
        var rows = new List<ReminderRecord>();
        foreach (var select in ClaimSelects(d))
        {
            rows.AddRange(await c.QueryAsync<ReminderRecord>(new CommandDefinition(select, new { now, take = batchSize }, tx, cancellationToken: cancellationToken)));
        }

        rows = [.. rows.OrderBy(r => r.DueAt).Take(batchSize)];
        if (rows.Count > 0)
        {
            var sql = $"UPDATE reminders SET status = 'claimed', claimed_by = @workerId, claimed_until = @until WHERE {d.InList("id", "@ids")}";
            await c.ExecuteAsync(new CommandDefinition(sql, ClaimArgs(workerId, now + claimFor, rows.Select(r => r.Id)), tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return [.. rows.Select(r => r with { Status = "claimed" })];
    }

    public async Task<IReadOnlySet<string>> DeliverAsync(IReadOnlyList<NotificationRecord> notifications, IReadOnlyCollection<Guid> sent, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(sent);
        var added = new HashSet<string>(StringComparer.Ordinal);
        if (notifications.Count == 0 && sent.Count == 0)
        {
            return added;
        }

        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        foreach (var chunk in notifications.DistinctBy(n => n.DeliveryKey).Chunk(db.Provider == DatabaseProvider.SqlServer ? 150 : 500))
        {
            var (sql, args) = InsertNotifications(chunk);
            added.UnionWith(await c.QueryAsync<string>(new CommandDefinition(sql, args, tx, cancellationToken: cancellationToken)));
        }

        if (sent.Count > 0)
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE reminders SET status = 'sent', sent_at = @until, claimed_until = NULL WHERE {db.Dialect.InList("id", "@ids")} AND status IN ('pending', 'claimed')",
                ClaimArgs("", now, sent), tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// One multi-row insert that leaves out the rows whose delivery key (or id, derived from it) is taken and returns
    /// the keys it added: <c>ON CONFLICT DO NOTHING … RETURNING</c> on PostgreSQL and SQLite, <c>OUTPUT … WHERE NOT
    /// EXISTS</c> on SQL Server.
    /// </summary>
    private (string Sql, DynamicParameters Args) InsertNotifications(IReadOnlyList<NotificationRecord> rows)
    {
        var sqlite = db.Provider == DatabaseProvider.Sqlite;
        var args = new DynamicParameters();
        var values = new StringBuilder();
        for (var i = 0; i < rows.Count; i++)
        {
            var n = rows[i];
            values.Append(i == 0 ? "" : ",\n").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@i{i}, @u{i}, @c{i}, @k{i}, @t{i}, @b{i}, @d{i}, @a{i}, @e{i}, 0, @j{i})");
            args.Add($"i{i}", sqlite ? n.Id.ToString("D") : n.Id);
            args.Add($"u{i}", sqlite ? n.UserId.ToString("D") : n.UserId);
            args.Add($"c{i}", n.CaseId is { } caseId ? (sqlite ? caseId.ToString("D") : caseId) : null);
            args.Add($"k{i}", n.Kind);
            args.Add($"t{i}", n.Title.Length <= NotificationRows.MaxTitleLength ? n.Title : n.Title[..NotificationRows.MaxTitleLength]);
            args.Add($"b{i}", n.Body);
            args.Add($"d{i}", n.DeliveryKey);
            args.Add($"a{i}", Timestamps.Normalize(n.CreatedAt));
            args.Add($"e{i}", n.EmailDueAt is { } due ? Timestamps.Normalize(due) : null);
            args.Add($"j{i}", n.Template);
        }

        const string columns = "id, user_id, case_id, kind, title, body, delivery_key, created_at, email_due_at, email_attempts, template";
        var sql = db.Provider == DatabaseProvider.SqlServer
            ? $"""
              INSERT INTO notifications ({columns}) OUTPUT inserted.delivery_key
              SELECT {columns} FROM (VALUES {values}) AS v ({columns})
              WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.delivery_key = v.delivery_key)
              """
            : $"INSERT INTO notifications ({columns}) VALUES {values} ON CONFLICT DO NOTHING RETURNING delivery_key";
        return (sql, args);
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
        // The first of each status from its own partial index (script 0045): neither index holds both.
        var d = db.Dialect;
        await using var c = await db.OpenAsync(cancellationToken);
        DateTimeOffset? oldest = null;
        foreach (var select in OldestDueSelects(d))
        {
            var due = await c.QueryAsync<DateTimeOffset>(new CommandDefinition(select, new { now, take = 1 }, cancellationToken: cancellationToken));
            foreach (var first in due)
            {
                oldest = oldest is null || first < oldest ? first : oldest;
            }
        }

        return oldest;
    }

    /// <summary>The claim's two reads (@now, @take): the expired claims, then the pending rows, each in due order.</summary>
    internal static IEnumerable<string> ClaimSelects(ISqlDialect d) =>
        from due in (string[])["status = 'claimed' AND claimed_until < @now AND due_at <= @now", "status = 'pending' AND due_at <= @now"]
        select d.Limit($"SELECT {Columns} FROM reminders{d.ClaimTableHint} WHERE {due} ORDER BY due_at, id", "@take") + d.ClaimSuffix;

    /// <summary>The first due of the pending rows and of the claimed ones (@now, @take = 1).</summary>
    internal static IEnumerable<string> OldestDueSelects(ISqlDialect d) =>
        from status in (string[])["pending", "claimed"]
        select d.Limit($"SELECT due_at FROM reminders WHERE status = '{status}' AND due_at <= @now ORDER BY due_at", "@take");

    /// <summary>Dapper expands lists without the type handlers, and SQLite keeps ids as text.</summary>
    private object ClaimArgs(string workerId, DateTimeOffset until, IEnumerable<Guid> ids) => db.Provider == DatabaseProvider.Sqlite
        ? new { workerId, until, ids = ids.Select(i => i.ToString("D")).ToArray() }
        : new { workerId, until, ids = ids.ToArray() };
}
