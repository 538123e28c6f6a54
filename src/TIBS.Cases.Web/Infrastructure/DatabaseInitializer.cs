using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>
/// Runs before the web server starts: migrates the database (or, with Database:Migrate=false, checks that it is
/// migrated) and, on the embedded default, seeds the demo data and prints the demo sign-ins once. A failure stops
/// start-up with a message naming the setting to fix; a database migrated by a newer release is refused.
/// </summary>
internal sealed class DatabaseInitializer(
    SchemaMigrator migrator,
    ConnectionFactory factory,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<DemoOptions> demoOptions,
    IOptions<BootstrapOptions> bootstrapOptions,
    DemoData demoData,
    StartupBanner banner,
    WorkflowCatalog workflows,
    TIBS.Cases.Data.Stores.ReferenceTaxonomyLookup taxonomies,
    IOptions<WorkflowOptions> workflowOptions,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var retry = TimeSpan.FromSeconds(databaseOptions.Value.StartupRetrySeconds);
        if (databaseOptions.Value.Migrate)
        {
            await migrator.MigrateAsync(retry, cancellationToken);
        }
        else
        {
            await migrator.VerifyAsync(retry, cancellationToken);
        }

        logger.LogInformation("Using the {Database}.", factory.Describe());
        TIBS.Cases.Web.Infrastructure.Jobs.JobsSetup.InstallStorageSchema(factory);

        await taxonomies.LoadAsync(cancellationToken);
        var folder = workflowOptions.Value.ResolveFolder();
        var import = await workflows.ImportFolderAsync(folder, cancellationToken);
        logger.LogInformation("Workflow definitions in {Folder}: {Imported} imported, {Unchanged} already published.", folder, import.Imported.Count, import.Unchanged.Count);

        var demo = demoOptions.Value;
        var seed = demo.Enabled ?? factory.Provider == DatabaseProvider.Sqlite;
        if (seed)
        {
            var password = await demoData.SeedIfEmptyAsync(demo.Password, cancellationToken);
            if (password is not null)
            {
                banner.DemoPassword = password;
            }
        }

        var bootstrap = bootstrapOptions.Value;
        if (!string.IsNullOrWhiteSpace(bootstrap.AdminEmail) && !string.IsNullOrEmpty(bootstrap.AdminPassword)
            && await demoData.CreateFirstAdministratorAsync(bootstrap.AdminEmail, bootstrap.AdminPassword, cancellationToken))
        {
            logger.LogInformation("Created the first administrator {Email} from Bootstrap:AdminEmail.", bootstrap.AdminEmail);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What is printed when the server is listening: the URL and, on first start, the demo sign-ins.</summary>
internal sealed class StartupBanner
{
    public string? DemoPassword { get; set; }

    public string Render(IEnumerable<string> addresses)
    {
        var lines = new List<string> { "", "TIBS.Cases is running." };
        lines.AddRange(addresses.Select(a => $"  Open {a}"));
        if (DemoPassword is not null)
        {
            lines.Add("");
            lines.Add("Demo sign-ins (shown once; every account has the same password):");
            lines.Add($"  Password: {DemoPassword}");
            foreach (var a in DemoData.Accounts)
            {
                var where = a.RegionCode is null ? "" : $" ({a.RegionCode})";
                lines.Add($"  {a.Email,-28} {a.Role}{where}, {a.DisplayName}");
            }

            lines.Add("Set Demo:Password to choose the password instead; delete ./data to start again.");
        }

        lines.Add("");
        return string.Join(Environment.NewLine, lines);
    }
}
