using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>
/// PostgreSQL: binary COPY per table and batch with typed writes, commits not waiting for the disk, batches written
/// side by side on <see cref="Connections"/> connections (each batch in its own transaction). The load writes bare
/// tables: the seeded tables' primary keys, unique constraints, foreign keys (theirs and those referring to them) and
/// secondary indexes are dropped before the first batch, and the triggers that keep counts of what is inserted
/// (<see cref="Derived"/>) are disabled. After the last batch (<see cref="FinishAsync"/>) the counts are written once
/// from the loaded rows, as the schema scripts first filled them; every index is built from the whole table (on both
/// connections), the keys are put back on their indexes, and every foreign key is checked over its table, with the
/// statistics. A seed that fails part-way leaves a database to throw away (it only ever loads into an empty one).
/// Kept during the load, the keys' B-trees outgrow the shared buffers at a million cases (a batch's cases span five years
/// and their ids follow their rows' times, so each COPY inserts all over them), and the escalation trigger joined each
/// COPY of reminders to the steps by key.
/// </summary>
internal sealed class PostgresSeedWriter(string connectionString) : SeedWriter
{
    /// <summary>Connections writing batches at the same time, and building indexes at the same time after the load.</summary>
    public const int Connections = 2;

    /// <summary>
    /// The insert triggers disabled for the load, each with what it would have written, computed over the loaded rows
    /// (the statements the schema scripts 0038, 0040, 0041 and 0043 fill the counts with).
    /// </summary>
    private static readonly (string Table, string Trigger, string What, string Sql)[] Derived =
    [
        ("cases", "tr_cases_counts_insert", "counts of open cases",
            """
            INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
            SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date, COUNT(*)
            FROM cases WHERE status <> 'closed'
            GROUP BY region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date
            """),
        ("cases", "tr_cases_strategy_counts_insert", "strategies per region and day",
            """
            INSERT INTO strategy_counts (region_code, on_day, opened, completed, withdrawn)
            SELECT s.region_code, s.on_day, SUM(s.opened), SUM(s.completed), SUM(s.withdrawn)
            FROM cases c CROSS JOIN LATERAL strategy_count_rows(1, c.region_code, c.opened_at, c.status, c.current_step, c.closed_at) s
            GROUP BY s.region_code, s.on_day
            """),
        ("reminders", "tr_reminders_escalations_insert", "escalations of open steps",
            """
            UPDATE cases c SET open_escalations = c.open_escalations + e.n
            FROM (SELECT r.case_id, COUNT(*) AS n
                  FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
                  WHERE r.kind = 'escalation' AND r.status = 'sent' AND r.case_id IS NOT NULL AND s.completed_at IS NULL
                  GROUP BY r.case_id) e
            WHERE c.id = e.case_id
            """),
        ("companies", "tr_companies_counts_insert", "companies per country",
            "INSERT INTO company_counts (country_code, companies) SELECT country_code, COUNT(*) FROM companies GROUP BY country_code"),
    ];

    private readonly List<NpgsqlConnection> all = [];
    private readonly Channel<NpgsqlConnection> idle = Channel.CreateUnbounded<NpgsqlConnection>();
    private NpgsqlConnection connection = null!;
    private List<(string Table, string Name, string Sql)> indexes = [];
    private List<(string Table, string Name, string Index, string Attach)> keys = [];
    private List<(string Table, string Name, string Definition)> foreignKeys = [];
    private List<(string Table, string Trigger, string What, string Sql)> disabled = [];

    public override int Parallelism => Connections;

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Connections; i++)
        {
            var c = new NpgsqlConnection(connectionString);
            all.Add(c);
            await c.OpenAsync(cancellationToken);
            await ExecuteAsync(c, "SET synchronous_commit = off", cancellationToken);
            await idle.Writer.WriteAsync(c, cancellationToken);
        }

        connection = all[0];
        var tables = SeedTables.All.Select(t => t.Name).ToArray();
        indexes = [.. (await ReadAsync(
            """
            SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
            ORDER BY i.tablename, i.indexname
            """, tables, cancellationToken)).Select(i => (i[0], i[1], i[2]))];

        // A primary key or unique constraint comes back as its index built alone, then attached by name (USING INDEX):
        // building it is the long part, and an index build lets the other indexes of its table be built beside it.
        keys = [.. (await ReadAsync(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_indexdef(c.conindid),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s USING INDEX %I%s', c.conrelid::regclass, c.conname,
                          CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, c.conname,
                          CASE WHEN c.condeferrable THEN ' DEFERRABLE' || CASE WHEN c.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END ELSE '' END)
            FROM pg_constraint c
            WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text = ANY(@tables)
            ORDER BY 1, 2
            """, tables, cancellationToken)).Select(k => (k[0], k[1], k[2], k[3]))];
        foreignKeys = [.. (await ReadAsync(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.contype = 'f' AND (c.conrelid::regclass::text = ANY(@tables) OR c.confrelid::regclass::text = ANY(@tables))
            ORDER BY 1, 2
            """, tables, cancellationToken)).Select(f => (f[0], f[1], f[2]))];
        var enabled = (await ReadAsync(
            """
            SELECT c.relname::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(@tables)
            """, tables, cancellationToken)).Select(t => (t[0], t[1])).ToHashSet();
        disabled = [.. Derived.Where(d => enabled.Contains((d.Table, d.Trigger)))];

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (table, trigger, _, _) in disabled)
        {
            await ExecuteAsync($"ALTER TABLE {table} DISABLE TRIGGER {trigger}", cancellationToken);
        }

        foreach (var (table, name, _) in foreignKeys)
        {
            await ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"", cancellationToken);
        }

        foreach (var (table, name, _, _) in keys)
        {
            await ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"", cancellationToken);
        }

        foreach (var (_, name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX \"{name}\"", cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    private async Task<List<string[]>> ReadAsync(string sql, string[] tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tables", tables);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<string[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }

        return result;
    }

    public override async Task WriteAsync(SeedBatch batch, CancellationToken cancellationToken = default)
    {
        var connection = await idle.Reader.ReadAsync(cancellationToken);
        try
        {
            await WriteAsync(connection, batch, cancellationToken);
        }
        finally
        {
            idle.Writer.TryWrite(connection);
        }
    }

    private async Task WriteAsync(NpgsqlConnection connection, SeedBatch batch, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in SeedTables.All)
        {
            var rows = batch.Of(table);
            if (rows.Count == 0)
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            var columns = string.Join(", ", table.Columns.Select(c => c.Name));
            var types = table.Columns.Select(c => c.Type).ToArray();
            using (var importer = connection.BeginBinaryImport($"COPY {table.Name} ({columns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in rows)
                {
                    importer.StartRow();
                    for (var i = 0; i < row.Length; i++)
                    {
                        Write(importer, types[i], row[i]);
                    }
                }

                importer.Complete();
            }

            Tally.Add(table, rows.Count, watch.Elapsed);
        }

        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Each value through the typed writer of its column's type (no lookup of a converter per value).</summary>
    private static void Write(NpgsqlBinaryImporter importer, SeedType type, object? value)
    {
        if (value is null)
        {
            importer.WriteNull();
            return;
        }

        switch (type)
        {
            case SeedType.Uuid:
                importer.Write((Guid)value, NpgsqlDbType.Uuid);
                break;
            case SeedType.Int:
                importer.Write((int)value, NpgsqlDbType.Integer);
                break;
            case SeedType.Long:
                importer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint);
                break;
            case SeedType.Bool:
                importer.Write((bool)value, NpgsqlDbType.Boolean);
                break;
            case SeedType.Timestamp:
                importer.Write(Utc(value), NpgsqlDbType.TimestampTz);
                break;
            case SeedType.Date:
                importer.Write((DateOnly)value, NpgsqlDbType.Date);
                break;
            case SeedType.Numeric:
                importer.Write((decimal)value, NpgsqlDbType.Numeric);
                break;
            default:
                importer.Write((string)value, NpgsqlDbType.Text);
                break;
        }
    }

    public override async Task FinishAsync(TextWriter? log, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();

        // Every index from its whole table, on both connections, largest tables first: index builds of one table run
        // side by side (they lock out writes, not each other).
        var byTable = SeedTables.All.Select(t => t.Name).OrderByDescending(t => Tally.Tables.GetValueOrDefault(t).Rows).ToList();
        var spent = new ConcurrentDictionary<string, TimeSpan>();
        await RunAsync(
            byTable.SelectMany(t => keys.Where(k => k.Table == t).Select(k => ("index", k.Index))
                .Concat(indexes.Where(i => i.Table == t).Select(i => ("index", i.Sql)))),
            spent, cancellationToken);

        // The keys on their indexes and the foreign keys back unchecked (catalogue changes). Adding a checked foreign key
        // would lock its parent table and run one at a time; checked below, they run side by side.
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (_, _, _, attach) in keys)
            {
                await ExecuteAsync(attach, cancellationToken);
            }

            foreach (var (table, name, definition) in foreignKeys)
            {
                await ExecuteAsync($"ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition} NOT VALID", cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        var indexed = watch.Elapsed;

        // What the disabled triggers would have written batch by batch, in one statement each over the loaded rows (the
        // counts are read summed, so one row per group stands for the trigger's rows per batch), read through the keys
        // just built; then the triggers on again.
        var counting = Stopwatch.StartNew();
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (table, trigger, _, sql) in disabled)
            {
                await ExecuteAsync(sql, cancellationToken);
                await ExecuteAsync($"ALTER TABLE {table} ENABLE TRIGGER {trigger}", cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        var counted = counting.Elapsed;

        // Each foreign key checked over its table, then each table's statistics (those not seeded too).
        var others = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() AND NOT tablename = ANY(@seeded) ORDER BY 1", connection))
        {
            command.Parameters.AddWithValue("seeded", byTable.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                others.Add(reader.GetString(0));
            }
        }

        var order = byTable.Concat(others).ToList();
        await RunAsync(
            foreignKeys.OrderBy(f => order.IndexOf(f.Table.Trim('"'))).Select(f => ("foreign key", $"ALTER TABLE {f.Table} VALIDATE CONSTRAINT \"{f.Name}\""))
                .Concat(order.Select(t => ("statistics", $"ANALYZE {t}"))),
            spent, cancellationToken);
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {keys.Count + indexes.Count} indexes ({keys.Count} of keys) in {indexed.TotalSeconds:F1} s, {string.Join(", ", disabled.Select(d => d.What))} in {counted.TotalSeconds:F1} s, {foreignKeys.Count} foreign keys checked over their tables and statistics of {order.Count} tables in {(watch.Elapsed - indexed - counted).TotalSeconds:F1} s, on {all.Count} connections (indexes {spent.GetValueOrDefault("index").TotalSeconds:F1} s, keys {spent.GetValueOrDefault("foreign key").TotalSeconds:F1} s, statistics {spent.GetValueOrDefault("statistics").TotalSeconds:F1} s of connection time)"));
    }

    /// <summary>The statements on every connection, each taking the next from one queue until it is empty.</summary>
    private Task RunAsync(IEnumerable<(string Kind, string Sql)> statements, ConcurrentDictionary<string, TimeSpan> spent, CancellationToken cancellationToken)
    {
        var work = new ConcurrentQueue<(string Kind, string Sql)>(statements);
        return Task.WhenAll(all.Select(c => Task.Run(async () =>
        {
            await ExecuteAsync(c, "SET maintenance_work_mem = '512MB'", cancellationToken);
            while (work.TryDequeue(out var item))
            {
                var step = Stopwatch.StartNew();
                await ExecuteAsync(c, item.Sql, cancellationToken);
                spent.AddOrUpdate(item.Kind, step.Elapsed, (_, t) => t + step.Elapsed);
            }
        }, cancellationToken)));
    }

    private Task ExecuteAsync(string sql, CancellationToken cancellationToken) => ExecuteAsync(connection, sql, cancellationToken);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var c in all)
        {
            await c.DisposeAsync();
        }
    }
}
