using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// <c>db status</c>: the provider, the connection (without its password) and the schema scripts applied, pending and
/// unknown to this release; exit code 0 up to date, 1 scripts pending, 3 migrated by a newer release, 4 the database
/// cannot be reached. <c>db migrate</c>: applies the pending scripts without starting the web app, printing each;
/// exit code 0 done, 1 not done (unreachable, or a script failed), 3 migrated by a newer release. Both read the
/// configuration as the web app does (appsettings, environment such as <c>Database__ConnectionString</c>,
/// <c>--Section:Key=value</c> arguments); 2 is a wrong command or setting.
/// </summary>
internal static class DatabaseCommand
{
    public const string UsageLines = """
          db status                             the database's schema scripts: applied (with dates), pending, unknown to this
                                                release; exit code 0 up to date, 1 pending, 3 upgraded by a newer release, 4 unreachable
          db migrate                            apply the pending schema scripts without starting the web app (back up first);
                                                exit code 0 done, 1 failed, 3 upgraded by a newer release
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is not ("status" or "migrate"))
        {
            error.WriteLine("Usage:");
            error.WriteLine(UsageLines);
            return 2;
        }

        var command = args[0];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args[1..],
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new WarningsTo(error));
        builder.Services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.SectionName));
        builder.Services.AddTibsData(Directory.GetCurrentDirectory());
        using var host = builder.Build();

        DatabaseOptions options;
        ConnectionFactory factory;
        try
        {
            options = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            factory = host.Services.GetRequiredService<ConnectionFactory>();
        }
        catch (OptionsValidationException ex)
        {
            error.WriteLine($"db {command}: {string.Join(" ", ex.Failures)}");
            return 2;
        }

        output.WriteLine($"Database:   {factory.Describe()} ({factory.Provider})");
        output.WriteLine($"Connection: {WithoutPassword(factory.Provider, options.EffectiveConnectionString(Directory.GetCurrentDirectory()))}");
        return command == "status"
            ? await StatusAsync(factory, output, error)
            : await MigrateAsync(factory, host.Services.GetRequiredService<SchemaMigrator>(), options, output, error);
    }

    private static async Task<int> StatusAsync(ConnectionFactory factory, TextWriter output, TextWriter error)
    {
        SchemaStatus status;
        try
        {
            status = await new SchemaInspector(factory).GetStatusAsync();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            error.WriteLine($"db status: cannot connect to the {factory.Describe()} set in Database:ConnectionString: {ex.Message}");
            return 4;
        }

        if (!status.DatabaseExists)
        {
            output.WriteLine("The database does not exist yet; `db migrate` (or the first start) creates it.");
        }

        output.WriteLine(Heading("Applied", status.Applied.Count));
        foreach (var a in status.Applied)
        {
            output.WriteLine($"  {a.Name,-44} {Time(a.AppliedAt)}");
        }

        output.WriteLine(Heading("Pending", status.Pending.Count));
        foreach (var p in status.Pending)
        {
            output.WriteLine($"  {p}");
        }

        output.WriteLine(Heading("Unknown to this release", status.Unknown.Count));
        foreach (var u in status.Unknown)
        {
            output.WriteLine($"  {u.Name,-44} {Time(u.AppliedAt)}");
        }

        if (status.NewerSchemaProblem is { } newer)
        {
            output.WriteLine(newer);
            return 3;
        }

        if (status.Pending.Count > 0)
        {
            output.WriteLine($"{SchemaScripts(status.Pending.Count)} pending: back up the database ({BackupHint(factory.Provider)}), then run `db migrate`.");
            return 1;
        }

        output.WriteLine($"Up to date: {SchemaScripts(status.Applied.Count)} applied, the newest {status.NewestKnown}.");
        return 0;
    }

    private static async Task<int> MigrateAsync(ConnectionFactory factory, SchemaMigrator migrator, DatabaseOptions options, TextWriter output, TextWriter error)
    {
        output.WriteLine($"Back up the database before migrating: {BackupHint(factory.Provider)}. Scripts cannot be undone.");
        MigrationReport report;
        try
        {
            report = await migrator.MigrateAsync(TimeSpan.FromSeconds(options.StartupRetrySeconds), name => output.WriteLine($"  applied {name}"));
        }
        catch (DatabaseStartupException ex)
        {
            error.WriteLine($"db migrate: {ex.Message}");
            return ex.Schema?.IsNewerThanThisBuild == true ? 3 : 1;
        }

        output.WriteLine(report.Applied.Count == 0
            ? $"Nothing to apply: the schema is up to date ({SchemaScripts(report.TotalScripts)})."
            : $"Applied {SchemaScripts(report.Applied.Count)}; the schema is up to date ({SchemaScripts(report.TotalScripts)}).");
        return 0;
    }

    private static string SchemaScripts(int n) => n == 1 ? "1 schema script" : string.Create(CultureInfo.InvariantCulture, $"{n} schema scripts");

    private static string Heading(string what, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} ({count}){(count == 0 ? ": none" : ":")}");

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    internal static string BackupHint(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "`backup` copies the SQLite database safely while it is in use",
        DatabaseProvider.Postgres => "pg_dump -Fc -f tibs-before-upgrade.dump <database>",
        _ => "BACKUP DATABASE [<database>] TO DISK = N'tibs-before-upgrade.bak' WITH COPY_ONLY",
    };

    /// <summary>The connection string as configured, its password replaced by stars.</summary>
    internal static string WithoutPassword(DatabaseProvider provider, string connectionString)
    {
        var builder = ConnectionFactory.CreateBuilder(provider, connectionString);
        foreach (var key in new[] { "Password", "Pwd" })
        {
            if (builder.ContainsKey(key) && builder[key] is string { Length: > 0 })
            {
                builder[key] = "***";
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Warnings (such as waiting for the server) go to the error output; the rest is what the command prints.</summary>
    private sealed class WarningsTo(TextWriter error) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                error.WriteLine(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
