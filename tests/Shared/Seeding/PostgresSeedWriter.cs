using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace TIBS.Cases.Testing.Seeding;

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
