using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>
/// One migrated database of one provider, shared by the tests of a collection (which run serially) and reset by
/// Respawn between tests; reference tables and the migration journal are kept. On the servers each fixture creates
/// its own database and drops it at the end, so runs never see each other's data.
/// </summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private static readonly string[] KeptTables = [SchemaMigrator.JournalTable, "regions", "nace_sections", "s3_areas"];
    private readonly List<string> createdDatabases = [];
    private Respawner? respawner;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Name used in TIBS_REQUIRE.</summary>
    public abstract string Capability { get; }

    protected abstract string? ServerConnectionString { get; }

    protected abstract string HowToEnable { get; }

    public bool Available => ServerConnectionString is not null || Provider == DatabaseProvider.Sqlite;

    public string ConnectionString { get; private set; } = "";

    public ConnectionFactory Factory { get; private set; } = null!;

    public void EnsureAvailable() => TestSettings.SkipUnlessAvailable(Capability, Available, HowToEnable);

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        ConnectionString = await CreateEmptyDatabaseAsync();
        Factory = new ConnectionFactory(Provider, ConnectionString);
        await new SchemaMigrator(Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        await using var connection = await Factory.OpenAsync();
        respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Provider switch
            {
                DatabaseProvider.Sqlite => DbAdapter.Sqlite,
                DatabaseProvider.Postgres => DbAdapter.Postgres,
                _ => DbAdapter.SqlServer,
            },
            TablesToIgnore = [.. KeptTables.Select(t => new Respawn.Graph.Table(t))],
        });
    }

    /// <summary>Deletes all rows except reference data and the migration journal.</summary>
    public async Task ResetAsync()
    {
        EnsureAvailable();
        await using var connection = await Factory.OpenAsync();
        await respawner!.ResetAsync(connection);
        // The overview's counts, the strategies per year and the companies per country are kept by triggers on cases and
        // companies: where the reset deletes those after emptying the counts, the triggers have added their deltas again.
        await using var counts = connection.CreateCommand();
        counts.CommandText = "DELETE FROM open_case_counts; DELETE FROM strategy_counts; DELETE FROM company_counts";
        await counts.ExecuteNonQueryAsync();
    }

    /// <summary>A new, empty database of this provider; dropped when the fixture is disposed.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"tibs_test_{Guid.NewGuid():N}"[..30];
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), "tibs-tests", $"{name}.db");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                createdDatabases.Add(file);
                return new SqliteConnectionStringBuilder { DataSource = file }.ToString();
            case DatabaseProvider.Postgres:
                await ExecuteOnServerAsync(new NpgsqlConnection(ServerConnectionString), $"CREATE DATABASE \"{name}\"");
                createdDatabases.Add(name);
                return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ToString();
            default:
                await ExecuteOnServerAsync(new SqlConnection(new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = "master" }.ToString()), $"CREATE DATABASE [{name}]");
                createdDatabases.Add(name);
                return new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = name }.ToString();
        }
    }

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        SqlConnection.ClearAllPools();
        foreach (var db in createdDatabases)
        {
            try
            {
                switch (Provider)
                {
                    case DatabaseProvider.Sqlite:
                        foreach (var f in new[] { db, db + "-wal", db + "-shm" })
                        {
                            File.Delete(f);
                        }

                        break;
                    case DatabaseProvider.Postgres:
                        await ExecuteOnServerAsync(new NpgsqlConnection(ServerConnectionString), $"DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)");
                        break;
                    default:
                        await ExecuteOnServerAsync(
                            new SqlConnection(new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = "master" }.ToString()),
                            $"ALTER DATABASE [{db}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{db}]");
                        break;
                }
            }
            catch (Exception ex) when (ex is DbException or IOException)
            {
                // Best effort: a leftover test database is harmless and uniquely named.
            }
        }
    }

    private static async Task ExecuteOnServerAsync(DbConnection connection, string sql)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}

public sealed class SqliteFixture : DatabaseFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    public override string Capability => "sqlite";
    protected override string? ServerConnectionString => null;
    protected override string HowToEnable => "always available";
}

public sealed class PostgresFixture : DatabaseFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    public override string Capability => "postgres";
    protected override string? ServerConnectionString => TestSettings.PostgresConnectionString;
    protected override string HowToEnable => "set TIBS_TEST_POSTGRES to a connection string of a role that may create databases";
}

public sealed class SqlServerFixture : DatabaseFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
    public override string Capability => "sqlserver";
    protected override string? ServerConnectionString => TestSettings.SqlServerConnectionString;
    protected override string HowToEnable => "set TIBS_TEST_SQLSERVER to a connection string of a login that may create databases (docker compose up sqlserver)";
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteFixture>
{
    public const string Name = "sqlite";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

[CollectionDefinition(Name)]
public sealed class SqlServerCollection : ICollectionFixture<SqlServerFixture>
{
    public const string Name = "sqlserver";
}
