using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// The schema guard at start-up and the <c>db status</c> / <c>db migrate</c> commands, on databases of their own (run
/// in-process through the command line, configured by arguments as an operator would).
/// </summary>
public abstract class SchemaGuardTests(DatabaseFixture fixture)
{
    private string Newest => Path.GetFileName(SchemaMigrator.ScriptNames(fixture.Provider)[^1]);

    private int Total => SchemaMigrator.ScriptNames(fixture.Provider).Count;

    private async Task<ConnectionFactory> NewDatabaseAsync(string? through = null)
    {
        var factory = new ConnectionFactory(fixture.Provider, await fixture.CreateEmptyDatabaseAsync());
        var migrator = new SchemaMigrator(factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System);
        if (through is null)
        {
            await migrator.MigrateAsync(TimeSpan.Zero);
        }
        else
        {
            await migrator.MigrateThroughAsync(through);
        }

        return factory;
    }

    /// <summary>What a newer release leaves behind: a journal row of a script this build does not have.</summary>
    private async Task AddFutureScriptAsync(ConnectionFactory factory)
    {
        await using var c = await factory.OpenAsync();
        await c.ExecuteAsync(
            $"INSERT INTO {SchemaMigrator.JournalTable} (ScriptName, Applied) VALUES (@name, @applied)",
            new { name = $"db/{SchemaMigrator.ScriptFolder(fixture.Provider)}/9999_future.sql", applied = new DateTime(2027, 3, 1, 8, 30, 0, DateTimeKind.Unspecified) });
    }

    private async Task<(int Code, string Out, string Err)> DbAsync(string command, ConnectionFactory factory, params string[] settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(
            ["db", command, $"--Database:Provider={fixture.Provider}", $"--Database:ConnectionString={factory.ConnectionString}", "--Database:StartupRetrySeconds=0", .. settings],
            output,
            error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Why the real application, started as an operator would with these settings, did not start.</summary>
    private string StartupFailure(ConnectionFactory factory, bool migrate = true) => TIBS.Cases.IntegrationTests.Web.KeyRingStartupTests.StartupFailure([
        "--urls=http://127.0.0.1:0",
        "--environment=Development",
        $"--Database:DataDirectory={Path.Combine(Path.GetTempPath(), "tibs-tests", "guard-" + Guid.NewGuid().ToString("N"))}",
        $"--Database:Provider={fixture.Provider}",
        $"--Database:ConnectionString={factory.ConnectionString}",
        $"--Database:Migrate={migrate}",
        "--Demo:Password=" + TibsWebFactory.DemoPassword,
        "--Jobs:RunServer=false",
    ]);

    private TibsWebFactory WebWithoutMigrating(ConnectionFactory factory) => TibsWebFactory.For(fixture, new Dictionary<string, string?>
    {
        ["Database:ConnectionString"] = factory.ConnectionString,
        ["Database:Migrate"] = "false",
        ["Jobs:RunServer"] = "false",
    });

    [SkippableFact]
    public async Task A_database_upgraded_by_a_newer_release_is_refused_at_start_up_and_by_the_commands()
    {
        fixture.EnsureAvailable();
        var factory = await NewDatabaseAsync();
        await AddFutureScriptAsync(factory);

        var message = StartupFailure(factory);
        var status = await DbAsync("status", factory);
        var migrate = await DbAsync("migrate", factory);

        Assert.Contains($"has 1 schema script this release does not know (9999_future.sql); the newest this release knows is {Newest}.", message, StringComparison.Ordinal);
        Assert.EndsWith("This database was upgraded by a newer release of TIBS.Cases; run that release or restore a backup.", message, StringComparison.Ordinal);
        Assert.Equal(3, status.Code);
        Assert.Matches(@"Unknown to this release \(1\):\s+9999_future\.sql\s+2027-03-01 08:30:00", status.Out);
        Assert.Contains("Pending (0): none", status.Out, StringComparison.Ordinal);
        Assert.Contains("This database was upgraded by a newer release of TIBS.Cases", status.Out, StringComparison.Ordinal);
        Assert.Equal(3, migrate.Code);
        Assert.Contains("db migrate: The ", migrate.Err, StringComparison.Ordinal);
        Assert.Contains("9999_future.sql", migrate.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("  applied ", migrate.Out, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task With_Database_Migrate_false_pending_scripts_stop_start_up_until_db_migrate_applies_them()
    {
        fixture.EnsureAvailable();
        var factory = await NewDatabaseAsync(through: "0030");
        var pending = SchemaMigrator.ScriptNames(fixture.Provider).Select(Path.GetFileName).Where(n => string.CompareOrdinal(n, "0031") > 0).ToList();

        var message = StartupFailure(factory, migrate: false);
        var status = await DbAsync("status", factory);
        var migrate = await DbAsync("migrate", factory);

        Assert.StartsWith($"{pending.Count} schema scripts pending on the {factory.Describe()} (0031_definition_translations.sql", message, StringComparison.Ordinal);
        Assert.EndsWith("and Database:Migrate is false: back up the database and run `db migrate` first.", message, StringComparison.Ordinal);
        Assert.Equal(1, status.Code);
        Assert.Contains($"Pending ({pending.Count}):", status.Out, StringComparison.Ordinal);
        Assert.Contains($"{pending.Count} schema scripts pending: back up the database (", status.Out, StringComparison.Ordinal);
        Assert.Equal(0, migrate.Code);
        Assert.Equal(pending.Select(p => $"  applied {p}"), migrate.Out.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("  applied ", StringComparison.Ordinal)));
        using var started = WebWithoutMigrating(factory);
        var page = await started.CreateClient().GetAsync("/account/sign-in");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }

    [SkippableFact]
    public async Task Db_status_and_db_migrate_on_a_fresh_and_on_an_up_to_date_database()
    {
        fixture.EnsureAvailable();
        var factory = new ConnectionFactory(fixture.Provider, await fixture.CreateEmptyDatabaseAsync());

        var fresh = await DbAsync("status", factory);
        var first = await DbAsync("migrate", factory);
        var current = await DbAsync("status", factory);
        var again = await DbAsync("migrate", factory);

        Assert.Equal(1, fresh.Code);
        Assert.Contains($"Database:   {factory.Describe()} ({fixture.Provider})", fresh.Out, StringComparison.Ordinal);
        Assert.Contains("Applied (0): none", fresh.Out, StringComparison.Ordinal);
        Assert.Contains($"Pending ({Total}):\n  0001_initial_schema.sql", fresh.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(0, first.Code);
        Assert.Contains("Back up the database before migrating: ", first.Out, StringComparison.Ordinal);
        Assert.Contains("  applied 0001_initial_schema.sql", first.Out, StringComparison.Ordinal);
        Assert.Contains($"  applied {Newest}", first.Out, StringComparison.Ordinal);
        Assert.Contains($"Applied {Total} schema scripts; the schema is up to date ({Total} schema scripts).", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, current.Code);
        Assert.Matches(@$"Applied \({Total}\):\s+0001_initial_schema\.sql\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d", current.Out);
        Assert.Contains("Pending (0): none", current.Out, StringComparison.Ordinal);
        Assert.Contains($"Up to date: {Total} schema scripts applied, the newest {Newest}.", current.Out, StringComparison.Ordinal);
        Assert.Equal(0, again.Code);
        Assert.Contains($"Nothing to apply: the schema is up to date ({Total} schema scripts).", again.Out, StringComparison.Ordinal);
        Assert.Equal("", first.Err + current.Err + again.Err);
    }

    [SkippableFact]
    public async Task Db_status_does_not_create_the_database_it_looks_at()
    {
        fixture.EnsureAvailable();
        var factory = new ConnectionFactory(fixture.Provider, await fixture.CreateEmptyDatabaseAsync());
        var missing = fixture.Provider switch
        {
            DatabaseProvider.Sqlite => new ConnectionFactory(fixture.Provider, factory.ConnectionString.Replace(".db", "_missing.db", StringComparison.Ordinal)),
            DatabaseProvider.Postgres => new ConnectionFactory(fixture.Provider, new Npgsql.NpgsqlConnectionStringBuilder(factory.ConnectionString) { Database = "tibs_never_created" }.ToString()),
            _ => new ConnectionFactory(fixture.Provider, new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(factory.ConnectionString) { InitialCatalog = "tibs_never_created" }.ToString()),
        };

        var status = await DbAsync("status", missing);

        Assert.Equal(1, status.Code);
        Assert.Contains("The database does not exist yet; `db migrate` (or the first start) creates it.", status.Out, StringComparison.Ordinal);
        Assert.Contains($"Pending ({Total}):", status.Out, StringComparison.Ordinal);
        Assert.False((await new SchemaInspector(missing).GetStatusAsync()).DatabaseExists, "looking must not create the database");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSchemaGuardTests(SqliteFixture fixture) : SchemaGuardTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaGuardTests(PostgresFixture fixture) : SchemaGuardTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerSchemaGuardTests(SqlServerFixture fixture) : SchemaGuardTests(fixture);

/// <summary>What the commands say when they cannot do their work, on any provider.</summary>
public sealed class DatabaseCommandErrorTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task An_unreachable_server_is_named_without_its_password_and_exits_with_4()
    {
        var (code, output, error) = await RunAsync(
            "db", "status", "--Database:Provider=Postgres", "--Database:ConnectionString=Host=127.0.0.1;Port=1;Database=tibs;Username=tibs;Password=secret;Timeout=2");

        Assert.Equal(4, code);
        Assert.Contains("Connection: Host=127.0.0.1;Port=1;Database=tibs;Username=tibs;Password=***;Timeout=2", output, StringComparison.Ordinal);
        Assert.StartsWith("db status: cannot connect to the PostgreSQL database 'tibs' on 127.0.0.1:1 set in Database:ConnectionString: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrating_an_unreachable_server_fails_with_the_reason()
    {
        var (code, _, error) = await RunAsync(
            "db", "migrate", "--Database:Provider=Postgres", "--Database:ConnectionString=Host=127.0.0.1;Port=1;Database=tibs;Username=tibs;Password=x;Timeout=2",
            "--Database:StartupRetrySeconds=0");

        Assert.Equal(1, code);
        Assert.StartsWith("db migrate: Cannot connect to the PostgreSQL database 'tibs' on 127.0.0.1:1 set in Database:ConnectionString", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_setting_or_subcommand_exits_with_2()
    {
        var setting = await RunAsync("db", "status", "--Database:Provider=Access");
        var unknown = await RunAsync("db", "upgrade");

        Assert.Equal(2, setting.Code);
        Assert.Contains("db status: Database:Provider has the value 'Access', which is not one of Sqlite, Postgres, SqlServer.", setting.Err, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("db status ", unknown.Err, StringComparison.Ordinal);
        Assert.Contains("db migrate ", unknown.Err, StringComparison.Ordinal);
    }
}
