using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using TIBS.Cases.Data;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// A fresh, empty database for one benchmark run: a temporary SQLite file, or a database <c>tibs_bench_&lt;guid&gt;</c>
/// created through the PostgreSQL server connection string. Disposing deletes the file or drops the database; an
/// existing database (<see cref="Existing"/>) is kept.
/// </summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly DatabaseProvider provider;
    private readonly string? serverConnection;
    private readonly string target;

    private BenchmarkDatabase(DatabaseProvider provider, string? serverConnection, string target, string connectionString)
    {
        this.provider = provider;
        this.serverConnection = serverConnection;
        this.target = target;
        Factory = new ConnectionFactory(provider, connectionString);
    }

    public ConnectionFactory Factory { get; }

    /// <summary>
    /// The database the connection string names, as it is (a seeded programme, say): the run adds its cases to it and
    /// leaves it in place.
    /// </summary>
    public static BenchmarkDatabase Existing(DatabaseProvider provider, string connection) =>
        new(provider, null, "", connection);

    public static async Task<BenchmarkDatabase> CreateAsync(DatabaseProvider provider, string? serverConnection)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), $"tibs-bench-{Guid.NewGuid():N}.db");
                return new BenchmarkDatabase(provider, null, file, new SqliteConnectionStringBuilder { DataSource = file }.ToString());
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(serverConnection))
                {
                    throw new InvalidOperationException(
                        "PostgreSQL needs a server connection string of a role that may create databases: --connection \"Host=…;Username=…;Password=…;Database=postgres\" or TIBS_TEST_POSTGRES.");
                }

                var name = $"tibs_bench_{Guid.NewGuid():N}";
                await ExecuteOnServerAsync(serverConnection, $"CREATE DATABASE \"{name}\"");
                return new BenchmarkDatabase(provider, serverConnection, name, new NpgsqlConnectionStringBuilder(serverConnection) { Database = name }.ToString());
            default:
                throw new NotSupportedException($"The transitions scenario runs on Sqlite or Postgres, not {provider}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (target.Length == 0)
        {
            return;
        }

        try
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                SqliteConnection.ClearAllPools();
                foreach (var f in new[] { target, target + "-wal", target + "-shm" })
                {
                    File.Delete(f);
                }
            }
            else
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteOnServerAsync(serverConnection!, $"DROP DATABASE IF EXISTS \"{target}\" WITH (FORCE)");
            }
        }
        catch (Exception ex) when (ex is DbException or IOException)
        {
            await Console.Error.WriteLineAsync($"Could not remove the benchmark database {target}: {ex.Message}");
        }
    }

    private static async Task ExecuteOnServerAsync(string serverConnection, string sql)
    {
        await using var connection = new NpgsqlConnection(serverConnection);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
