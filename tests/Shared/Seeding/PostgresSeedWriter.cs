using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>
/// PostgreSQL: binary COPY per table and batch with typed writes, commits not waiting for the disk, batches written
/// side by side on <see cref="Connections"/> connections (each batch in its own transaction). The seeded tables'
/// foreign keys and secondary indexes (those no constraint owns or refers to) are dropped before the first batch and
/// put back after the last one, where every unique index and foreign key is checked over the whole table at once (on
/// both connections, with the statistics: see <see cref="FinishAsync"/>): a
/// seed that fails part-way leaves a database to throw away (it only ever loads into an empty one). The trigger that
/// keeps the overview's counts of open cases (<c>tr_cases_counts_insert</c>) is disabled for the load and the counts
/// are written once from the loaded cases, grouped as the trigger groups them.
/// </summary>
internal sealed class PostgresSeedWriter(string connectionString) : SeedWriter
{
    /// <summary>Connections writing batches at the same time, and building indexes at the same time after the load.</summary>
    public const int Connections = 2;

    private const string CountsTrigger = "tr_cases_counts_insert";

    private readonly List<NpgsqlConnection> all = [];
    private readonly Channel<NpgsqlConnection> idle = Channel.CreateUnbounded<NpgsqlConnection>();
    private NpgsqlConnection connection = null!;
    private List<(string Table, string Name, string Sql)> indexes = [];
    private List<(string Table, string Name, string Definition)> foreignKeys = [];
    private bool countsTrigger;

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
        indexes = await ReadAsync(
            """
            SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
            ORDER BY i.tablename, i.indexname
            """, tables, cancellationToken);
        foreignKeys = await ReadAsync(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(@tables)
            ORDER BY 1, 2
            """, tables, cancellationToken);
        await using (var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'cases'::regclass AND tgname = @name AND tgenabled <> 'D')", connection))
        {
            command.Parameters.AddWithValue("name", CountsTrigger);
            countsTrigger = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (countsTrigger)
        {
            await ExecuteAsync($"ALTER TABLE cases DISABLE TRIGGER {CountsTrigger}", cancellationToken);
        }

        foreach (var (table, name, _) in foreignKeys)
        {
            await ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"", cancellationToken);
        }

        foreach (var (_, name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX \"{name}\"", cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
    }

    private async Task<List<(string, string, string)>> ReadAsync(string sql, string[] tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tables", tables);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<(string, string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
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
        if (countsTrigger)
        {
            // What the trigger would have added batch by batch, in one row per group (the counts are read summed).
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(
                """
                INSERT INTO open_case_counts (region_code, definition_version_id, current_step, status, due_on, cases)
                SELECT region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date, COUNT(*)
                FROM cases WHERE status <> 'closed'
                GROUP BY region_code, definition_version_id, current_step, status, (step_due_at AT TIME ZONE 'UTC')::date
                """, cancellationToken);
            await ExecuteAsync($"ALTER TABLE cases ENABLE TRIGGER {CountsTrigger}", cancellationToken);
            await tx.CommitAsync(cancellationToken);
            log?.WriteLine($"  counts of open cases in {watch.Elapsed.TotalSeconds:F1} s");
        }

        // The foreign keys go back unchecked (a catalogue change), and are checked below: a check locks only its own
        // table against writes and its parent against nothing a check does, so checks of different tables run side by
        // side, where adding a checked key would lock the parent and run one at a time.
        watch.Restart();
        await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (table, name, definition) in foreignKeys)
            {
                await ExecuteAsync($"ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition} NOT VALID", cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        // Then the work of the finish on both connections, largest tables first: each table's indexes, then the check of
        // each of its foreign keys over the whole table, then its statistics. What one table's step waits for (an index
        // being built on it) holds one connection while the other goes on with the queue.
        var byTable = SeedTables.All.Select(t => t.Name).OrderByDescending(t => Tally.Tables.GetValueOrDefault(t).Rows).ToList();
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

        var work = new ConcurrentQueue<(string Kind, string Sql)>(
            byTable.SelectMany(t => indexes.Where(i => i.Table == t).Select(i => ("index", i.Sql)))
                .Concat(byTable.SelectMany(t => foreignKeys.Where(f => f.Table == t).Select(f => ("foreign key", $"ALTER TABLE {f.Table} VALIDATE CONSTRAINT \"{f.Name}\""))))
                .Concat(byTable.Concat(others).Select(t => ("statistics", $"ANALYZE {t}"))));
        var spent = new ConcurrentDictionary<string, TimeSpan>();
        await Task.WhenAll(all.Select(c => Task.Run(async () =>
        {
            await ExecuteAsync(c, "SET maintenance_work_mem = '512MB'", cancellationToken);
            while (work.TryDequeue(out var item))
            {
                var step = Stopwatch.StartNew();
                await ExecuteAsync(c, item.Sql, cancellationToken);
                spent.AddOrUpdate(item.Kind, step.Elapsed, (_, t) => t + step.Elapsed);
            }
        }, cancellationToken)));
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {indexes.Count} indexes, {foreignKeys.Count} foreign keys checked over their tables and statistics of {byTable.Count + others.Count} tables in {watch.Elapsed.TotalSeconds:F1} s on {all.Count} connections (indexes {spent.GetValueOrDefault("index").TotalSeconds:F1} s, keys {spent.GetValueOrDefault("foreign key").TotalSeconds:F1} s, statistics {spent.GetValueOrDefault("statistics").TotalSeconds:F1} s of connection time)"));
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
