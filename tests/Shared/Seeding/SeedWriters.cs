using System.Data;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.SqlClient;
using TIBS.Cases.Data;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>Rows written and time spent per table, summed over the batches.</summary>
internal sealed class SeedTally
{
    private readonly Dictionary<string, (long Rows, TimeSpan Time)> tables = new(StringComparer.Ordinal);

    private readonly Lock gate = new();

    /// <summary>Safe to call from writers running side by side; their times add up (a table's time is the sum over its connections).</summary>
    public void Add(SeedTable table, long rows, TimeSpan time)
    {
        lock (gate)
        {
            var (r, t) = tables.GetValueOrDefault(table.Name);
            tables[table.Name] = (r + rows, t + time);
        }
    }

    public IReadOnlyDictionary<string, (long Rows, TimeSpan Time)> Tables => tables;

    public long Rows => tables.Values.Sum(t => t.Rows);
}

/// <summary>
/// Writes seed batches the fastest way each provider offers: PostgreSQL binary COPY (<see cref="PostgresSeedWriter"/>),
/// SQLite prepared INSERTs in large transactions (<see cref="SqliteSeedWriter"/>), SQL Server <see cref="SqlBulkCopy"/>.
/// Tables are written in <see cref="SeedTables.All"/> order, parents before children; where foreign keys and indexes
/// are set aside during the load, <see cref="FinishAsync"/> puts them back and checks every row.
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

    /// <summary>How many batches <see cref="WriteAsync"/> may be given at the same time (each on its own connection).</summary>
    public virtual int Parallelism => 1;

    public abstract Task WriteAsync(SeedBatch batch, CancellationToken cancellationToken = default);

    /// <summary>After the last batch: what was set aside for the load put back and checked, statistics for the planner.</summary>
    public abstract Task FinishAsync(TextWriter? log, CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    protected static DateTimeOffset Utc(object value) => ((DateTimeOffset)value).ToUniversalTime();
}

/// <summary>
/// SQL Server: one <see cref="SqlBulkCopy"/> per table and batch inside the batch's transaction, constraints checked
/// (a bulk load that skipped them would leave the foreign keys untrusted) and triggers fired (the overview's counts of
/// open cases are kept by a trigger on cases). Not run on the build machine (no SQL Server).
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

            using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.FireTriggers, tx)
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
