using System.Data;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using TIBS.Cases.Data;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>Rows written and time spent per table, summed over the batches.</summary>
internal sealed class SeedTally
{
    private readonly Dictionary<string, (long Rows, TimeSpan Time)> tables = new(StringComparer.Ordinal);

    public void Add(SeedTable table, long rows, TimeSpan time)
    {
        var (r, t) = tables.GetValueOrDefault(table.Name);
        tables[table.Name] = (r + rows, t + time);
    }

    public IReadOnlyDictionary<string, (long Rows, TimeSpan Time)> Tables => tables;

    public long Rows => tables.Values.Sum(t => t.Rows);
}

/// <summary>
/// Writes seed batches the fastest way each provider offers: PostgreSQL binary COPY, SQLite one prepared INSERT per
/// table in one transaction per batch, SQL Server <see cref="SqlBulkCopy"/>. Each batch is one transaction, tables in
/// <see cref="SeedTables.All"/> order so that foreign keys are checked as rows arrive.
/// </summary>
internal abstract class SeedWriter : IAsyncDisposable
{
    public SeedTally Tally { get; } = new();

    public static async Task<SeedWriter> OpenAsync(DatabaseProvider provider, string connectionString, CancellationToken cancellationToken = default)
    {
        SeedWriter writer = provider switch
        {
            DatabaseProvider.Postgres => new PostgresSeedWriter(connectionString),
            DatabaseProvider.Sqlite => new SqliteSeedWriter(connectionString),
            DatabaseProvider.SqlServer => new SqlServerSeedWriter(connectionString),
            _ => throw new NotSupportedException($"No seed writer for {provider}."),
        };
        await writer.OpenAsync(cancellationToken);
        return writer;
    }

    protected abstract Task OpenAsync(CancellationToken cancellationToken);

    public abstract Task WriteAsync(SeedBatch batch, CancellationToken cancellationToken = default);

    /// <summary>After the last batch: what was set aside for the load put back and checked, statistics for the planner.</summary>
    public abstract Task FinishAsync(TextWriter? log, CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    protected static DateTimeOffset Utc(object value) => ((DateTimeOffset)value).ToUniversalTime();
}

/// <summary>
/// PostgreSQL: binary COPY per table and batch with typed writes, commits not waiting for the disk. The seeded tables'
/// foreign keys and secondary indexes (those no constraint owns or refers to) are dropped before the first batch and
/// put back after the last one, where every foreign key and unique index is checked over the whole table at once: a
/// seed that fails part-way leaves a database to throw away (it only ever loads into an empty one).
/// </summary>
internal sealed class PostgresSeedWriter(string connectionString) : SeedWriter
{
    private NpgsqlConnection connection = null!;
    private List<(string Table, string Name, string Sql)> indexes = [];
    private List<(string Table, string Name, string Definition)> foreignKeys = [];

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync("SET synchronous_commit = off", cancellationToken);
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
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
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
        await ExecuteAsync("SET maintenance_work_mem = '256MB'", cancellationToken);
        var watch = Stopwatch.StartNew();
        foreach (var (_, _, sql) in indexes)
        {
            await ExecuteAsync(sql, cancellationToken);
        }

        log?.WriteLine($"  {indexes.Count} indexes built in {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        foreach (var (table, name, definition) in foreignKeys)
        {
            await ExecuteAsync($"ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}", cancellationToken);
        }

        log?.WriteLine($"  {foreignKeys.Count} foreign keys added and checked in {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        await ExecuteAsync("ANALYZE", cancellationToken);
        log?.WriteLine($"  statistics in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
}

/// <summary>
/// SQLite: no journal and no waiting for the disk while loading (a failed seed leaves a file to delete), foreign keys
/// and secondary indexes off during the load and put back after it (indexes built, <c>PRAGMA foreign_key_check</c> over
/// every seeded table), one prepared INSERT per table kept for the whole load, transactions of about
/// <see cref="RowsPerTransaction"/> rows. Events get their feed position here, as the application's writes do, so the
/// feed trigger has nothing to number.
/// </summary>
internal sealed class SqliteSeedWriter(string connectionString) : SeedWriter
{
    private const int RowsPerTransaction = 250_000;
    private SqliteConnection connection = null!;
    private SqliteTransaction? transaction;
    private long inTransaction;
    private long feedPosition;
    private string journal = "wal";
    private List<(string Name, string Sql)> indexes = [];
    private readonly Dictionary<SeedTable, (SqliteCommand Command, SqliteParameter[] Parameters)> inserts = [];

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        // The product's connection (name collations for the indexes that use them).
        connection = (SqliteConnection)await new ConnectionFactory(DatabaseProvider.Sqlite, connectionString).OpenAsync(cancellationToken);
        journal = Convert.ToString(await ScalarAsync("PRAGMA journal_mode", cancellationToken), CultureInfo.InvariantCulture) ?? "wal";
        await ExecuteAsync("PRAGMA foreign_keys=OFF; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;", cancellationToken);
        feedPosition = Convert.ToInt64(await ScalarAsync("SELECT COALESCE(MAX(feed_position), 0) FROM case_events", cancellationToken), CultureInfo.InvariantCulture);
        var names = string.Join(", ", SeedTables.All.Select(t => $"'{t.Name}'"));
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names}) ORDER BY tbl_name, name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX \"{name}\"", cancellationToken);
        }

        foreach (var table in SeedTables.All)
        {
            var events = table == SeedTables.Events;
            var columns = table.Columns.Select(c => c.Name).Concat(events ? ["feed_position", "feed_commit"] : []).ToList();
            var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
            var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("?" + (i + 1).ToString(CultureInfo.InvariantCulture), null))).ToArray();
            inserts[table] = (command, parameters);
        }
    }

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
            var (command, parameters) = inserts[table];
            if (command.Transaction != transaction)
            {
                command.Transaction = transaction;
                command.Prepare();
            }

            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = ToSqlite(row[i]);
                }

                if (events)
                {
                    feedPosition++;
                    parameters[^2].Value = feedPosition;
                    parameters[^1].Value = feedPosition;
                }

                command.ExecuteNonQuery();
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

    /// <summary>Guids and instants as the stores keep them (<see cref="DapperTypeHandlers"/>).</summary>
    private static object ToSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        DateTimeOffset d => DapperTypeHandlers.ToSqliteText(d),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? 1 : 0,
        _ => value,
    };

    public override async Task FinishAsync(TextWriter? log, CancellationToken cancellationToken = default)
    {
        await CommitAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        foreach (var (_, sql) in indexes)
        {
            await ExecuteAsync(sql, cancellationToken);
        }

        log?.WriteLine($"  {indexes.Count} indexes built in {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        foreach (var table in SeedTables.All)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA foreign_key_check({table.Name})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"A seeded row of {table.Name} refers to a missing row of {reader.GetString(2)} (row {reader.GetValue(1)}).");
            }
        }

        log?.WriteLine($"  foreign keys checked in {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        await ExecuteAsync($"ANALYZE; PRAGMA journal_mode={journal}; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", cancellationToken);
        log?.WriteLine($"  statistics in {watch.Elapsed.TotalSeconds:F1} s");
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
        foreach (var (command, _) in inserts.Values)
        {
            await command.DisposeAsync();
        }

        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        await connection.DisposeAsync();
    }
}

/// <summary>
/// SQL Server: one <see cref="SqlBulkCopy"/> per table and batch inside the batch's transaction, constraints checked
/// (a bulk load that skipped them would leave the foreign keys untrusted). Not run on the build machine (no SQL Server).
/// </summary>
internal sealed class SqlServerSeedWriter(string connectionString) : SeedWriter
{
    private SqlConnection connection = null!;

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
    }

    public override async Task WriteAsync(SeedBatch batch, CancellationToken cancellationToken = default)
    {
        await using var tx = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in SeedTables.All)
        {
            var rows = batch.Of(table);
            if (rows.Count == 0)
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            using var data = new DataTable(table.Name) { Locale = CultureInfo.InvariantCulture };
            foreach (var column in table.Columns)
            {
                data.Columns.Add(column.Name, column.Type switch
                {
                    SeedType.Uuid => typeof(Guid),
                    SeedType.Int => typeof(int),
                    SeedType.Long => typeof(long),
                    SeedType.Bool => typeof(bool),
                    SeedType.Timestamp => typeof(DateTimeOffset),
                    SeedType.Date => typeof(DateTime),
                    SeedType.Numeric => typeof(decimal),
                    _ => typeof(string),
                });
            }

            foreach (var row in rows)
            {
                data.Rows.Add([.. row.Select(v => v switch { null => DBNull.Value, DateOnly d => d.ToDateTime(TimeOnly.MinValue), _ => v })]);
            }

            using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints, tx)
            {
                DestinationTableName = table.Name,
                BatchSize = 0,
                BulkCopyTimeout = 0,
            };
            foreach (var column in table.Columns)
            {
                copy.ColumnMappings.Add(column.Name, column.Name);
            }

            await copy.WriteToServerAsync(data, cancellationToken);
            Tally.Add(table, rows.Count, watch.Elapsed);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public override async Task FinishAsync(TextWriter? log, CancellationToken cancellationToken = default)
    {
        await using var command = new SqlCommand("EXEC sp_updatestats", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
