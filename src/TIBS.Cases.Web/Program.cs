using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Web.Api;
using TIBS.Cases.Web.Imports;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Audit;
using TIBS.Cases.Web.Infrastructure.Backup;
using TIBS.Cases.Web.Infrastructure.Jobs;
using TIBS.Cases.Web.Infrastructure.Localization;
using TIBS.Cases.Web.Infrastructure.Mail;
using TIBS.Cases.Web.Infrastructure.Observability;
using TIBS.Cases.Web.Infrastructure.Privacy;
using TIBS.Cases.Web.Infrastructure.RequestSafety;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web;

public sealed class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && CommandLine.IsCommand(args[0]))
        {
            return await CommandLine.RunAsync(args, Console.Out, Console.Error);
        }

        var settings = args.Length > 0 && args[0] == "worker" ? args[1..] : args;
        if (StartupArguments.Problem(settings) is { } problem)
        {
            await Console.Error.WriteLineAsync($"TIBS.Cases did not start: {problem}");
            return 2;
        }

        if (args.Length > 0 && args[0] == "worker")
        {
            return await RunWorkerAsync(args[1..]);
        }

        try
        {
            await using var app = BuildApp(args);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartupError.Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"TIBS.Cases could not start: {message}");
            return 1;
        }
    }

    /// <summary>
    /// A background worker without the web server: migrates, then runs a Hangfire server that processes reminders
    /// and e-mail (scale-out: several workers and web nodes share the database and never double-send).
    /// </summary>
    public static async Task<int> RunWorkerAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddTibsLogging(builder.Configuration, builder.Environment);
        AddApplicationServices(builder.Services, builder.Configuration);
        try
        {
            using var host = builder.Build();
            await Console.Out.WriteLineAsync("TIBS.Cases worker: processing reminders and e-mail. Press Ctrl+C to stop.");
            await host.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartupError.Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"TIBS.Cases worker could not start: {message}");
            return 1;
        }
    }

    public static WebApplication BuildApp(string[] args) => BuildApp(args, null);

    /// <summary>
    /// The application; <paramref name="testServices"/> registers services before the application's own, so that a test
    /// host can supply its clock (<see cref="TimeProvider"/>). Only test hosts call this overload.
    /// </summary>
    internal static WebApplication BuildApp(string[] args, Action<IServiceCollection>? testServices)
    {
        // The application name is fixed so that Razor Pages are found even when another program (a test host,
        // a worker) is the entry assembly.
        // The content root (appsettings.json, workflows/, wwwroot when published) is the application's folder, not
        // the current directory, which stays the user's: the embedded database goes to ./data there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
        });
        // Run from the build output in any environment (not only Development), the styles and scripts are found through
        // the static web assets manifest next to the program; a published application has its wwwroot and no manifest.
        builder.WebHost.UseStaticWebAssets();
        testServices?.Invoke(builder.Services);
        builder.Logging.AddTibsLogging(builder.Configuration, builder.Environment);
        ConfigureServices(builder);
        var app = builder.Build();
        Configure(app);
        app.ReportMissingWebRoot();
        return app;
    }

    /// <summary>What the web app and a worker process share: database, domain, jobs, mail.</summary>
    internal static void AddApplicationServices(IServiceCollection services, IConfiguration configuration)
    {
        // First hosted service: the database is migrated before anything else (Data Protection's key ring, jobs) starts.
        services.AddHostedService<DatabaseInitializer>();
        services.AddTibsOptions(configuration);
        services.AddTibsCore();
        services.AddTibsData(Directory.GetCurrentDirectory());
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<StartupBanner>();
        services.AddTibsJobs(configuration);
        services.AddTibsHourlySweeps();
        services.AddTibsRetention();
        services.AddTibsMail(configuration);
        services.AddTibsUserAdministration();
        services.AddTibsAudit(configuration);
        services.AddTibsBackup(configuration);
    }

    internal static void ConfigureServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        AddApplicationServices(services, builder.Configuration);

        services.AddTibsLocalization(builder.Configuration);
        services.AddTibsWebSecurity();
        services.AddTibsPages();
        services.AddTibsObservability(builder.Configuration);
        services.AddTibsRequestSafety();
        services.AddTibsImports();
        services.AddTibsApi(builder.Configuration);
    }

    internal static void Configure(WebApplication app)
    {
        app.UseTibsLogScope();
        app.UseTibsWebSecurity();
        app.UseTibsErrorPages();
        app.MapTibsStaticAssets();
        app.UseRouting();
        app.UseAuthentication();
        app.UseTibsLocalization();
        app.UseAuthorization();
        app.UseTibsRequestGuard();
        app.MapRazorPages().WithStaticAssets();
        app.MapTibsApi();
        app.MapTibsJobsDashboard();
        app.MapTibsHealth();
        app.MapTibsMetrics();
        app.PrintStartupBanner();
    }
}
