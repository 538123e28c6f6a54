using System.Data;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
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

    /// <summary>After the last batch: statistics for the planner, the journal folded back.</summary>
    public abstract Task FinishAsync(CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    protected static DateTimeOffset Utc(object value) => ((DateTimeOffset)value).ToUniversalTime();
}

internal sealed class PostgresSeedWriter(string connectionString) : SeedWriter
{
    private NpgsqlConnection connection = null!;

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
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
            await using (var importer = await connection.BeginBinaryImportAsync($"COPY {table.Name} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    for (var i = 0; i < row.Length; i++)
                    {
                        var column = table.Columns[i];
                        if (row[i] is null)
                        {
                            await importer.WriteNullAsync(cancellationToken);
                        }
                        else if (column.Type == SeedType.Timestamp)
                        {
                            await importer.WriteAsync(Utc(row[i]!), column.PostgresType, cancellationToken);
                        }
                        else
                        {
                            await importer.WriteAsync(row[i], column.PostgresType, cancellationToken);
                        }
                    }
                }

                await importer.CompleteAsync(cancellationToken);
            }

            Tally.Add(table, rows.Count, watch.Elapsed);
        }

        await tx.CommitAsync(cancellationToken);
    }

    public override async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
}

/// <summary>
/// SQLite: WAL and synchronous=OFF while loading (a seed can be loaded again), one prepared INSERT per table reused for
/// every row of a batch. Events get their feed position here, as the application's writes do, so the feed trigger
/// has nothing to number.
/// </summary>
internal sealed class SqliteSeedWriter(string connectionString) : SeedWriter
{
    private SqliteConnection connection = null!;
    private long feedPosition;

    protected override async Task OpenAsync(CancellationToken cancellationToken)
    {
        connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;", cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(feed_position), 0) FROM case_events";
        feedPosition = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public override async Task WriteAsync(SeedBatch batch, CancellationToken cancellationToken = default)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in SeedTables.All)
        {
            var rows = batch.Of(table);
            if (rows.Count == 0)
            {
                continue;
            }

            var watch = Stopwatch.StartNew();
            var events = table == SeedTables.Events;
            var names = table.Columns.Select(c => c.Name).Concat(events ? ["feed_position", "feed_commit"] : []).ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
            var parameters = names.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null))).ToArray();
            command.Prepare();
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

        await tx.CommitAsync(cancellationToken);
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

    public override async Task FinishAsync(CancellationToken cancellationToken = default) =>
        await ExecuteAsync("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA synchronous=FULL;", cancellationToken);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
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

    public override async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        await using var command = new SqlCommand("EXEC sp_updatestats", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
