using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Observability;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>The <c>Jobs</c> section.</summary>
internal sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Run a Hangfire server in this process (the web app by default; `-- worker` runs only a server).</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = 4;

    /// <summary>Cron of the dispatcher that claims due reminders (every minute).</summary>
    public string DispatchCron { get; set; } = "* * * * *";

    /// <summary>Cron of the daily digest e-mails (07:00 UTC).</summary>
    public string DigestCron { get; set; } = "0 7 * * *";

    /// <summary>
    /// How long a claim on a reminder row or an e-mail lasts without renewal: after a crash, dispatch resumes within
    /// this plus one dispatcher interval. Hangfire's lock and invisibility timeouts are set to it too.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = DeliveryLease.Default;
}

/// <summary>Hangfire storage per provider, the server, and the recurring jobs. The database rows are the truth; Hangfire executes.</summary>
internal static class JobsSetup
{
    public const string DispatchJobId = "dispatch-reminders";
    public const string DigestJobId = "email-digests";

    /// <summary>Hangfire's own tables live in this schema; <see cref="InstallStorageSchema"/> creates them after our migrations.</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Creates or upgrades Hangfire's tables on the servers. Done by the database initializer, after the application's
    /// migrations and its wait for the server, so that building the storage never touches an unreachable database.
    /// </summary>
    public static void InstallStorageSchema(ConnectionFactory factory)
    {
        switch (factory.Provider)
        {
            case DatabaseProvider.Postgres:
                using (var connection = new Npgsql.NpgsqlConnection(factory.ConnectionString))
                {
                    connection.Open();
                    PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
                }

                break;
            case DatabaseProvider.SqlServer:
                using (var connection = new Microsoft.Data.SqlClient.SqlConnection(factory.ConnectionString))
                {
                    connection.Open();
                    SqlServerObjectsInstaller.Install(connection, HangfireSchema, enableHeavyMigrations: true);
                }

                break;
        }
    }

    public static IServiceCollection AddTibsJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobOptions>().Bind(configuration.GetSection(JobOptions.SectionName))
            .Validate(o => o.WorkerCount is >= 1 and <= 64, "Jobs:WorkerCount must be between 1 and 64.")
            .Validate(o => IsCron(o.DispatchCron), "Jobs:DispatchCron is not a valid cron expression (e.g. \"* * * * *\").")
            .Validate(o => IsCron(o.DigestCron), "Jobs:DigestCron is not a valid cron expression (e.g. \"0 7 * * *\").")
            .Validate(
                o => o.ClaimLease >= TimeSpan.FromSeconds(1) && o.ClaimLease <= DeliveryLease.Maximum,
                $"Jobs:ClaimLease must be between 00:00:01 and {DeliveryLease.Maximum:c} (hh:mm:ss): after a crash, dispatch resumes once a claim runs out.")
            .ValidateOnStart();
        // Each host builds, uses and disposes its own storage and job activator. Hangfire's defaults hand out the
        // process-wide JobStorage.Current and JobActivator.Current, which the next host in the same process replaces
        // (and, when it stops, disposes): a dashboard or server of the first would then run on the second's.
        services.AddSingleton<JobStorage>(CreateStorage);
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new HangfireLogging(sp.GetRequiredService<ILoggerFactory>()))
                .UseActivator(sp.GetRequiredService<JobActivator>())
                .UseStorage(sp.GetRequiredService<JobStorage>());
        });
        services.AddSingleton(sp => new ReminderDispatcher(sp.GetRequiredService<IReminderStore>(), sp.GetRequiredService<TimeProvider>())
        {
            Lease = sp.GetRequiredService<IOptions<JobOptions>>().Value.ClaimLease,
            Metrics = sp.GetRequiredService<TibsMetrics>(),
        });
        services.AddSingleton<DispatchCycle>();
        services.AddTransient<DispatchRemindersJob>();
        services.AddTransient<EmailDigestJob>();
        services.AddHostedService<RecurringJobsRegistration>();

        var runServer = configuration.GetSection(JobOptions.SectionName).GetValue(nameof(JobOptions.RunServer), true);
        if (runServer)
        {
            services.AddHangfireServer((sp, o) =>
            {
                var options = sp.GetRequiredService<IOptions<JobOptions>>().Value;
                o.WorkerCount = options.WorkerCount;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";

                // Each job run as an activity and a duration, for this server only (Hangfire's global filters are process-wide).
                var telemetry = new JobFilterCollection();
                telemetry.Add(new Observability.JobTelemetryFilter(sp.GetRequiredService<TibsMetrics>()));
                o.FilterProvider = new JobFilterProviderCollection([.. JobFilterProviders.Providers, telemetry]);
            });
        }

        return services;
    }

    private static JobStorage CreateStorage(IServiceProvider sp)
    {
        var factory = sp.GetRequiredService<ConnectionFactory>();
        var lease = sp.GetRequiredService<IOptions<JobOptions>>().Value.ClaimLease;
        switch (factory.Provider)
        {
            case DatabaseProvider.SqlServer:
                // Locks are SQL Server application locks of the holder's session: they end with a dead process.
                return new SqlServerStorage(factory.ConnectionString, new SqlServerStorageOptions
                {
                    PrepareSchemaIfNecessary = false,
                    SchemaName = HangfireSchema,
                    SlidingInvisibilityTimeout = lease,
                });
            case DatabaseProvider.Postgres:
                // A dead process's lock rows and fetched jobs are given up after one lease, not the default minutes.
                var options = new PostgreSqlStorageOptions
                {
                    PrepareSchemaIfNecessary = false,
                    SchemaName = HangfireSchema,
                    DistributedLockTimeout = lease,
                    InvisibilityTimeout = lease,
                    UseSlidingInvisibilityTimeout = true,
                };
                return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(factory.ConnectionString, options), options);
            default:
                // The embedded default keeps jobs in memory: lost on restart, which the reminder rows make harmless.
                return new Hangfire.InMemory.InMemoryStorage();
        }
    }

    /// <summary>Five or six space-separated fields of cron characters; Hangfire checks the rest when the job is registered.</summary>
    private static bool IsCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length is 5 or 6 && fields.All(f => f.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '*' or '/' or ',' or '-' or '?' or 'L' or 'W' or '#'));
    }
}

/// <summary>Registers the recurring jobs once the database is ready (after <see cref="DatabaseInitializer"/>).</summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<JobOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<DispatchRemindersJob>(JobsSetup.DispatchJobId, j => j.RunAsync(CancellationToken.None), options.Value.DispatchCron);
        recurring.AddOrUpdate<EmailDigestJob>(JobsSetup.DigestJobId, j => j.RunAsync(CancellationToken.None), options.Value.DigestCron);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Recurring: one complete dispatcher run (claim, deliver, e-mail, sweep unconfirmed mail). Runs may overlap and a
/// dead one holds nothing beyond its leases, so there is no Hangfire lock on it.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class DispatchRemindersJob(DispatchCycle cycle, ILogger<DispatchRemindersJob> logger)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var summary = await cycle.RunAsync($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", cancellationToken);
        if (summary.DeliveryFailures > 0 || summary.MailFailures > 0)
        {
            logger.LogWarning("Dispatch: {Summary}. Failed items are retried by a later run.", summary);
        }

        return summary.ToString();
    }
}

/// <summary>
/// Daily: one digest mail per user who chose the digest. Overlapping runs are safe (each notification is claimed);
/// a digest a crash left unconfirmed is sent by the dispatcher's sweep.
/// </summary>
internal sealed class EmailDigestJob(INotificationMailer mailer)
{
    public Task<int> RunAsync(CancellationToken cancellationToken) => mailer.SendDigestsAsync(cancellationToken);
}

/// <summary>The Hangfire dashboard is for administrators only (its local-requests-only default is replaced).</summary>
internal sealed class AdministratorsOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Administrator);
    }
}
