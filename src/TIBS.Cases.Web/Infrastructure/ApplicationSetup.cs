using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Web.Infrastructure.Jobs;

namespace TIBS.Cases.Web.Infrastructure;

/// <summary>The application's own settings, the pages with their access rules, the jobs dashboard and the start-up banner.</summary>
internal static class ApplicationSetup
{
    public static IServiceCollection AddTibsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.SectionName))
            .Validate(o => string.IsNullOrWhiteSpace(o.AdminEmail) || (o.AdminPassword?.Length ?? 0) >= Core.Accounts.Administration.PasswordRule.MinimumLength,
                $"Bootstrap:AdminPassword must have at least {Core.Accounts.Administration.PasswordRule.MinimumLength} characters when Bootstrap:AdminEmail is set.")
            .ValidateOnStart();
        services.AddOptions<AttachmentOptions>().Bind(configuration.GetSection(AttachmentOptions.SectionName))
            .Validate(o => o.MaxBytes is > 0 and <= 1L << 30, "Attachments:MaxBytes must be between 1 and 1073741824.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AttachmentOptions>>().Value); // the rules AddAttachment and CompleteStep apply
        services.AddOptions<Core.Training.CertificationOptions>().Bind(configuration.GetSection(Core.Training.CertificationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Training.CertificationOptions>>().Value); // what OpenCase and the overview apply
        services.AddOptions<Core.Privacy.PrivacyOptions>().Bind(configuration.GetSection(Core.Privacy.PrivacyOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Core.Privacy.PrivacyOptions>, PrivacyOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Privacy.PrivacyOptions>>().Value); // what the record of processing and the retention job apply
        services.AddSingleton(sp => new Core.Privacy.ProcessingLifetimes(
            (configuration.GetSection(Security.SessionOptions.SectionName).Get<Security.SessionOptions>() ?? new()).AbsoluteLifetime,
            (configuration.GetSection(Security.SignInOptions.SectionName).Get<Security.SignInOptions>() ?? new()).ToSettings().ForgetAfter,
            sp.GetRequiredService<Core.Accounts.Administration.UserLinkSettings>().Lifetime));
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.SectionName));
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName));
        return services;
    }

    public static IServiceCollection AddTibsPages(this IServiceCollection services)
    {
        services.AddAuthorization(o =>
        {
            o.AddPolicy(Policies.CaseWork, p => p.RequireRole(Roles.Broker, Roles.Coordinator, Roles.Evaluator));
            o.AddPolicy(Policies.CaseWrite, p => p.RequireRole(Roles.Broker, Roles.Coordinator));
            o.AddPolicy(Policies.Broker, p => p.RequireRole(Roles.Broker));
            o.AddPolicy(Policies.Coordinator, p => p.RequireRole(Roles.Coordinator));
            o.AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Evaluator, Roles.Coordinator, Roles.Administrator));
            o.AddPolicy(Policies.Administrator, p => p.RequireRole(Roles.Administrator));
            o.AddPolicy(Policies.Organisations, p => p.RequireRole(Roles.Coordinator, Roles.Administrator));
            o.AddPolicy(Policies.Training, p => p.RequireRole(Roles.Coordinator, Roles.Administrator));
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
            o.Conventions.AuthorizeFolder("/Coordination/Training", Policies.Training);
            o.Conventions.AllowAnonymousToPage("/Index");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Account");
            o.Conventions.AllowAnonymousToPage("/Language");
        }).AddViewLocalization();
        return services;
    }

    public static WebApplication MapTibsJobsDashboard(this WebApplication app)
    {
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdministratorsOnlyDashboardFilter()],
            AppPath = "/",
            DashboardTitle = "TIBS.Cases jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    public static WebApplication PrintStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.WriteLine(app.Services.GetRequiredService<StartupBanner>().Render(addresses));
        });

        return app;
    }
}

/// <summary>Refuses to start with retention periods or texts that the record of processing could not honestly state.</summary>
internal sealed class PrivacyOptionsValidator : IValidateOptions<Core.Privacy.PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, Core.Privacy.PrivacyOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
