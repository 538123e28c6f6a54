using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Web.Api;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Audit;
using TIBS.Cases.Web.Infrastructure.Jobs;
using TIBS.Cases.Web.Infrastructure.Mail;
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
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.SectionName))
            .Validate(o => string.IsNullOrWhiteSpace(o.AdminEmail) || (o.AdminPassword?.Length ?? 0) >= 12,
                "Bootstrap:AdminPassword must have at least 12 characters when Bootstrap:AdminEmail is set.")
            .ValidateOnStart();
        services.AddOptions<AttachmentOptions>().Bind(configuration.GetSection(AttachmentOptions.SectionName))
            .Validate(o => o.MaxBytes is > 0 and <= 1L << 30, "Attachments:MaxBytes must be between 1 and 1073741824.")
            .ValidateOnStart();
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.SectionName));
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName));
        services.AddTibsData(Directory.GetCurrentDirectory());
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<DemoData>();
        services.AddSingleton<StartupBanner>();
        services.AddTibsJobs(configuration);
        services.AddTibsAttachmentSweep();
        services.AddTibsMail(configuration);
        services.AddTibsAudit(configuration);
    }

    internal static void ConfigureServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        AddApplicationServices(services, builder.Configuration);

        services.AddTibsWebSecurity();
        services.AddAuthorization(o =>
        {
            o.AddPolicy(Policies.CaseWork, p => p.RequireRole(Roles.Broker, Roles.Coordinator, Roles.Evaluator));
            o.AddPolicy(Policies.CaseWrite, p => p.RequireRole(Roles.Broker, Roles.Coordinator));
            o.AddPolicy(Policies.Broker, p => p.RequireRole(Roles.Broker));
            o.AddPolicy(Policies.Coordinator, p => p.RequireRole(Roles.Coordinator));
            o.AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Evaluator, Roles.Coordinator, Roles.Administrator));
            o.AddPolicy(Policies.Administrator, p => p.RequireRole(Roles.Administrator));
        });
        services.AddAntiforgery(o => o.Cookie.Name = "tibs.af");
        services.AddRazorPages(o =>
        {
            // Every page needs a signed-in user; each feature folder is bound to the roles that use it. Rules on a
            // single case (region, participation, closed for evaluators) are checked by CaseAccess in the pages.
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AuthorizeFolder("/Work", Policies.Broker);
            o.Conventions.AuthorizeFolder("/Cases", Policies.CaseWork);
            o.Conventions.AuthorizeFolder("/Companies", Policies.CaseWrite);
            o.Conventions.AuthorizeFolder("/Definitions", Policies.Coordinator);
            o.Conventions.AuthorizeFolder("/Audit", Policies.Audit);
            o.Conventions.AuthorizeFolder("/Admin", Policies.Administrator);
            o.Conventions.AllowAnonymousToPage("/Index");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Account");
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddTibsRequestSafety();
        services.AddTibsApi(builder.Configuration);
    }

    internal static void Configure(WebApplication app)
    {
        app.UseTibsWebSecurity();
        app.UseTibsErrorPages();
        app.MapTibsStaticAssets();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseTibsRequestGuard();
        app.MapRazorPages().WithStaticAssets();
        app.MapTibsApi();
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdministratorsOnlyDashboardFilter()],
            AppPath = "/",
            DashboardTitle = "TIBS.Cases jobs",
            DisplayStorageConnectionString = false,
        });
        app.MapTibsHealth();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.WriteLine(app.Services.GetRequiredService<StartupBanner>().Render(addresses));
        });
    }
}

/// <summary>Turns known start-up failures into one readable line.</summary>
internal static class StartupError
{
    public static string? Describe(Exception ex) => ex switch
    {
        Microsoft.Extensions.Options.OptionsValidationException o => string.Join(" ", o.Failures),
        TIBS.Cases.Data.Schema.DatabaseStartupException d => d.Message,
        TIBS.Cases.Core.Workflows.DefinitionImportException w => w.Message,
        AggregateException a when a.InnerExceptions.Select(Describe).ToList() is var all && all.TrueForAll(m => m is not null) => string.Join(" ", all),
        _ => null,
    };
}

/// <summary>Commands that run instead of the web server (see README).</summary>
internal static class CommandLine
{
    private const string Usage = """
        Usage:
          definitions validate <file.yaml>...   check workflow definitions; prints every problem with its path, exit code 1 on errors
          definitions diagram <file.yaml> [--highlight <step>]   print the Mermaid diagram of a definition
          audit verify [--case <reference>]     check every case's audit trail against the signed checkpoints; exit code 1 on any problem
          audit create-key <file.pem>           make the key that signs audit checkpoints (kept if the file exists); print its public key
        """;

    public static bool IsCommand(string first) => first is "definitions" or "audit";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 2)
        {
            error.WriteLine(Usage);
            return Task.FromResult(2);
        }

        if (args[0] == "audit")
        {
            return AuditCommand.RunAsync(args[1..], output, error);
        }

        return Task.FromResult(args[1] switch
        {
            "validate" => Validate(args[2..], output, error),
            "diagram" => Diagram(args[2..], output, error),
            _ => Unknown(args, error),
        });
    }

    private static int Unknown(string[] args, TextWriter error)
    {
        error.WriteLine($"Unknown command: {string.Join(' ', args)}");
        error.WriteLine(Usage);
        return 2;
    }

    private static int Validate(string[] files, TextWriter output, TextWriter error)
    {
        if (files.Length == 0)
        {
            error.WriteLine("definitions validate: name at least one YAML file.");
            return 2;
        }

        var failed = 0;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                error.WriteLine($"{file}: no such file.");
                failed++;
                continue;
            }

            var check = TIBS.Cases.Workflows.WorkflowDefinitions.CheckFile(file);
            if (check.IsValid)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: valid ({check.Document!.Key} v{check.Document.Version}, {check.Document.Stages.Sum(s => s.Steps.Count)} steps)"));
                continue;
            }

            failed++;
            foreach (var e in check.Errors)
            {
                var where = e.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $"({p.Line},{p.Column})") : "";
                error.WriteLine($"{file}{where}: {e}");
            }

            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {check.Errors.Count} problem(s)."));
        }

        return failed == 0 ? 0 : 1;
    }

    private static int Diagram(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            error.WriteLine(args.Length == 0 ? "definitions diagram: name a YAML file." : $"{args[0]}: no such file.");
            return 2;
        }

        var i = Array.IndexOf(args, "--highlight");
        var highlight = i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var check = TIBS.Cases.Workflows.WorkflowDefinitions.Check(TIBS.Cases.Workflows.WorkflowDefinitions.ReadFile(args[0]));
        if (!check.IsValid)
        {
            foreach (var e in check.Errors)
            {
                error.WriteLine($"{args[0]}: {e}");
            }

            return 1;
        }

        var plan = TIBS.Cases.Workflows.Plans.WorkflowPlan.Compile(check.Document!);
        if (highlight is not null && !plan.Contains(highlight))
        {
            error.WriteLine($"{args[0]}: there is no step or end state '{highlight}' to highlight.");
            return 1;
        }

        output.WriteLine(TIBS.Cases.Workflows.Diagrams.WorkflowDiagram.Mermaid(plan, highlight));
        return 0;
    }
}
