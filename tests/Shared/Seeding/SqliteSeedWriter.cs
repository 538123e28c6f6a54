using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using TIBS.Cases.Data;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>
/// SQLite: no journal and no waiting for the disk while loading (a failed seed leaves a file to delete), foreign keys
/// and secondary indexes (but the small partial ones) off during the load and put back after it (indexes built,
/// each table's statistics from samples right after its indexes, every foreign key checked set by set on two
/// connections (<see cref="SqliteKeyCheck"/>)), one prepared
/// INSERT per table kept for the whole load, transactions of about <see cref="RowsPerTransaction"/> rows. Events get
/// their feed position here, as the application's writes do, so the feed trigger has nothing to number. The load is the
/// one thread writing, so its values are bound straight to SQLite's statements (SQLitePCL, UTF-8 from a reused buffer)
/// in the text the stores write (<see cref="DapperTypeHandlers"/>): through <see cref="SqliteCommand"/> each row cost a
/// look-up of every parameter and an allocation per value.
/// </summary>
internal sealed class SqliteSeedWriter(string connectionString) : SeedWriter
{
    private readonly ConnectionFactory factory = new(DatabaseProvider.Sqlite, connectionString);
    private const int RowsPerTransaction = 250_000;
    private SqliteConnection connection = null!;
    private SqliteTransaction? transaction;
    private long inTransaction;
    private long feedPosition;
    private string journal = "wal";
    private List<(string Name, string Table, string Sql)> indexes = [];
    private readonly Dictionary<SeedTable, sqlite3_stmt> inserts = [];
    private byte[] utf8 = new byte[4096];

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        // Leaving WAL needs the only connection to the file: the setup's pooled ones (same connection string) are closed
        // first. The product's connection (name collations for the indexes that use them).
        using (var pooled = new SqliteConnection(factory.ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        connection = (SqliteConnection)await factory.OpenAsync(cancellationToken);
        journal = Convert.ToString(await ScalarAsync("PRAGMA journal_mode", cancellationToken), CultureInfo.InvariantCulture) ?? "wal";
        await ExecuteAsync($"PRAGMA foreign_keys=OFF; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-{CacheKibibytes()}; PRAGMA temp_store=MEMORY; PRAGMA threads={Math.Min(4, Environment.ProcessorCount)};", cancellationToken);
        feedPosition = Convert.ToInt64(await ScalarAsync("SELECT COALESCE(MAX(feed_position), 0) FROM case_events", cancellationToken), CultureInfo.InvariantCulture);
        var names = string.Join(", ", SeedTables.All.Select(t => $"'{t.Name}'"));
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names}) ORDER BY tbl_name, name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        indexes.RemoveAll(i => KeptDuringLoad.Contains(i.Name));
        foreach (var (name, _, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX \"{name}\"", cancellationToken);
        }

        foreach (var table in SeedTables.All)
        {
            var events = table == SeedTables.Events;
            var columns = table.Columns.Select(c => c.Name).Concat(events ? ["feed_position", "feed_commit"] : []).ToList();
            var sql = $"INSERT INTO {table.Name} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
            Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement), sql);
            inserts[table] = statement;
        }
    }

    /// <summary>
    /// Partial indexes of the few live rows (script 0045: pending and claimed reminders, sent escalations, reminders
    /// with a subject; cases with an open escalation): the load adds an entry for one row in thirty or fewer, where
    /// building each afterwards would read the whole table once more.
    /// </summary>
    private static readonly HashSet<string> KeptDuringLoad = new(StringComparer.Ordinal)
    {
        "ix_reminders_due", "ix_reminders_claimed", "ix_reminders_escalation", "ix_reminders_subject", "ix_cases_escalated",
    };

    /// <summary>
    /// The page cache, in KiB: a quarter of the memory the process may use, between 200 MiB and 1 GiB. Building an index,
    /// SQLite sorts as many keys in memory at a time as the cache holds (up to 512 MiB), then merges the sorted runs.
    /// </summary>
    private static long CacheKibibytes() =>
        Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 / 1024, 200L * 1024, 1024L * 1024);

    public override async Task WriteAsync(SeedBatch batch, CancellationToken cancellationToken = default)
    {
        transaction ??= (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in SeedTables.All)
        {
            var rows = batch.Of(table);
            if (rows.Count == 0)
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            var events = table == SeedTables.Events;
            var statement = inserts[table];
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    Bind(statement, i + 1, row[i]);
                }

                if (events)
                {
                    feedPosition++;
                    raw.sqlite3_bind_int64(statement, row.Length + 1, feedPosition);
                    raw.sqlite3_bind_int64(statement, row.Length + 2, feedPosition);
                }

                if (raw.sqlite3_step(statement) != raw.SQLITE_DONE)
                {
                    raw.sqlite3_reset(statement);
                    throw new InvalidOperationException($"Writing a row of {table.Name} failed: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
                }

                raw.sqlite3_reset(statement);
            }

            Tally.Add(table, rows.Count, watch.Elapsed);
        }

        inTransaction += batch.Count;
        if (inTransaction >= RowsPerTransaction)
        {
            await CommitAsync(cancellationToken);
        }
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
            transaction = null;
        }

        inTransaction = 0;
    }

    /// <summary>A value as the stores keep it (<see cref="DapperTypeHandlers"/>): guids and instants as text, true as 1.</summary>
    private void Bind(sqlite3_stmt statement, int index, object? value)
    {
        switch (value)
        {
            case null:
                raw.sqlite3_bind_null(statement, index);
                return;
            case int n:
                raw.sqlite3_bind_int64(statement, index, n);
                return;
            case long n:
                raw.sqlite3_bind_int64(statement, index, n);
                return;
            case bool b:
                raw.sqlite3_bind_int64(statement, index, b ? 1 : 0);
                return;
            case Guid g:
                g.TryFormat(utf8, out var written, "D");
                raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, written));
                return;
            case DateTimeOffset d:
                d.ToUniversalTime().TryFormat(utf8, out written, DapperTypeHandlers.SqliteTimestampFormat, CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, written));
                return;
            case DateOnly d:
                d.TryFormat(utf8, out written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, written));
                return;
            case decimal m:
                // As text, which the column's numeric affinity stores as the number, as a parameter's text does.
                m.TryFormat(utf8, out written, provider: CultureInfo.InvariantCulture);
                raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, written));
                return;
            case string text:
                if (Encoding.UTF8.GetMaxByteCount(text.Length) > utf8.Length)
                {
                    utf8 = new byte[Math.Max(utf8.Length * 2, Encoding.UTF8.GetMaxByteCount(text.Length))];
                }

                raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)));
                return;
            default:
                throw new InvalidOperationException($"The seed has no SQLite binding for a {value.GetType().Name}.");
        }
    }

    private void Check(int result, string sql)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite refused \"{sql}\": {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
        }
    }

    public override async Task FinishAsync(TextWriter? log, CancellationToken cancellationToken = default)
    {
        await CommitAsync(cancellationToken);

        // Table by table, the smallest first: its indexes, then its statistics, while its rows and new indexes are still
        // in memory (ANALYZE counts every entry of each index: at a million cases, after all the builds, that read 40 s
        // of index pages back from the disk). The largest tables come last, so that their rows are still in memory for
        // the key checks' reads of them. Statistics come from a sample of each index (analysis_limit): exact counts of
        // tens of millions of rows do not plan better than estimates from a thousand.
        await ExecuteAsync("PRAGMA analysis_limit=1000", cancellationToken);
        var watch = Stopwatch.StartNew();
        var took = new List<(string Name, string Table, TimeSpan Time)>();
        var analysing = TimeSpan.Zero;
        foreach (var table in SeedTables.All.OrderBy(t => Tally.Tables.GetValueOrDefault(t.Name).Rows))
        {
            foreach (var (name, _, sql) in indexes.Where(i => i.Table == table.Name))
            {
                var started = watch.Elapsed;
                await ExecuteAsync(sql, cancellationToken);
                took.Add((name, table.Name, watch.Elapsed - started));
            }

            var analysed = watch.Elapsed;
            await ExecuteAsync($"ANALYZE \"{table.Name}\"", cancellationToken);
            analysing += watch.Elapsed - analysed;
        }

        log?.WriteLine($"  {indexes.Count} indexes built in {took.Sum(t => t.Time.TotalSeconds):F1} s, and the tables' statistics in {analysing.TotalSeconds:F1} s; the longest: "
            + string.Join(", ", took.OrderByDescending(t => t.Time).Take(6).Select(t => $"{t.Name} {t.Time.TotalSeconds:F1} s")));
        log?.WriteLine("  by table: " + string.Join(", ", took.GroupBy(t => t.Table)
            .Select(g => (Table: g.Key, Count: g.Count(), Seconds: g.Sum(t => t.Time.TotalSeconds)))
            .OrderByDescending(g => g.Seconds).Select(g => $"{g.Table} {g.Count} in {g.Seconds:F1} s")));

        // The keys are checked on two connections at once, each taking the next check (the reads of the largest tables
        // first): each check only reads, and the writing connection has committed.
        watch.Restart();
        var checks = await SqliteKeyCheck.PlanAsync(connection, SeedTables.All.Select(t => (t.Name, Tally.Tables.GetValueOrDefault(t.Name).Rows)), cancellationToken);
        var queue = new ConcurrentQueue<SqliteKeyCheck.Check>(checks);
        var checkTimes = new ConcurrentBag<(SqliteKeyCheck.Check Check, TimeSpan Time)>();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => CheckKeysAsync(queue, checkTimes, cancellationToken), cancellationToken)));
        using (var pooled = new SqliteConnection(factory.ConnectionString))
        {
            // Back to the journal the database had (WAL) with no other connection open.
            SqliteConnection.ClearPool(pooled);
        }

        log?.WriteLine($"  foreign keys checked in {watch.Elapsed.TotalSeconds:F1} s ({checks.Count(c => c.ReadsTable)} table reads, {checks.Count(c => !c.ReadsTable)} index reads, two connections); the longest: "
            + string.Join(", ", checkTimes.OrderByDescending(t => t.Time).Take(5).Select(t => $"{t.Check.Table} {(t.Check.ReadsTable ? "table" : "index")} {t.Time.TotalSeconds:F1} s")));

        // The statistics of the tables the seed did not write (users, regions, definitions), and back to the journal the
        // database had, which writes out what is still waiting for the disk.
        watch.Restart();
        var others = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT IN @seeded ORDER BY name",
            new { seeded = SeedTables.All.Select(t => t.Name).ToList() }, cancellationToken: cancellationToken));
        foreach (var other in others)
        {
            await ExecuteAsync($"ANALYZE \"{other}\"", cancellationToken);
        }

        var analysedOthers = watch.Elapsed;
        await ExecuteAsync($"PRAGMA journal_mode={journal}; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", cancellationToken);
        log?.WriteLine($"  statistics of the other tables in {analysedOthers.TotalSeconds:F1} s, back to the {journal} journal in {(watch.Elapsed - analysedOthers).TotalSeconds:F1} s");
    }

    private async Task CheckKeysAsync(ConcurrentQueue<SqliteKeyCheck.Check> checks, ConcurrentBag<(SqliteKeyCheck.Check, TimeSpan)> times, CancellationToken cancellationToken)
    {
        await using var checking = await factory.OpenAsync(cancellationToken);
        while (checks.TryDequeue(out var check))
        {
            var watch = Stopwatch.StartNew();
            if (await SqliteKeyCheck.RunAsync(checking, check, cancellationToken) is { } broken)
            {
                throw new InvalidOperationException($"A seeded row refers to a missing row: {broken}.");
            }

            times.Add((check, watch.Elapsed));
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var statement in inserts.Values)
        {
            statement.Dispose();
        }

        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        await connection.DisposeAsync();
    }
}
