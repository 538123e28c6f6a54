using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>The <c>Jobs</c> section.</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Run a Hangfire server in this process (the web app by default; `-- worker` runs only a server).</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = 4;

    /// <summary>Cron of the dispatcher that claims due reminders (every minute).</summary>
    public string DispatchCron { get; set; } = "* * * * *";

    /// <summary>Cron of the daily digest e-mails (07:00 UTC).</summary>
    public string DigestCron { get; set; } = "0 7 * * *";
}

/// <summary>Hangfire storage per provider, the server, and the recurring jobs. The database rows are the truth; Hangfire executes.</summary>
public static class JobsSetup
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
            .ValidateOnStart();
        services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            var factory = sp.GetRequiredService<ConnectionFactory>();
            switch (factory.Provider)
            {
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(factory.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = false, SchemaName = HangfireSchema });
                    break;
                case DatabaseProvider.Postgres:
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(factory.ConnectionString), new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false, SchemaName = HangfireSchema });
                    break;
                default:
                    // The embedded default keeps jobs in memory: lost on restart, which the reminder rows make harmless.
                    config.UseInMemoryStorage();
                    break;
            }
        });
        services.AddSingleton<IReminderQueue, HangfireReminderQueue>();
        services.AddTransient<DispatchRemindersJob>();
        services.AddTransient<DeliverReminderJob>();
        services.AddTransient<EmailNotificationJob>();
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
            });
        }

        return services;
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

/// <summary>One Hangfire job per claimed reminder, with only its id as argument.</summary>
internal sealed class HangfireReminderQueue(IBackgroundJobClient jobs) : IReminderQueue
{
    public Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default)
    {
        jobs.Enqueue<DeliverReminderJob>(j => j.RunAsync(reminderId, CancellationToken.None));
        return Task.CompletedTask;
    }
}

/// <summary>Recurring: claims due reminder rows in batches and enqueues a delivery job for each.</summary>
[DisableConcurrentExecution(timeoutInSeconds: 60)]
[AutomaticRetry(Attempts = 0)]
public sealed class DispatchRemindersJob(ReminderDispatcher dispatcher, IReminderQueue queue)
{
    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(queue, $"{Environment.MachineName}:{Environment.ProcessId}", cancellationToken);
}

/// <summary>Delivers one reminder (in-app, exactly once) and enqueues the e-mails of its notifications.</summary>
[AutomaticRetry(Attempts = 8)]
public sealed class DeliverReminderJob(ReminderDelivery delivery, IReminderStore reminders, IBackgroundJobClient jobs)
{
    public async Task RunAsync(Guid reminderId, CancellationToken cancellationToken)
    {
        DeliveryResult result;
        try
        {
            result = await delivery.DeliverAsync(reminderId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await reminders.RecordFailureAsync(reminderId, ex.Message, cancellationToken);
            throw;
        }

        foreach (var notificationId in result.NotificationIds)
        {
            jobs.Enqueue<EmailNotificationJob>(j => j.RunAsync(notificationId, CancellationToken.None));
        }
    }
}

/// <summary>E-mails one notification (at most once; failures are retried with back-off by Hangfire).</summary>
[AutomaticRetry(Attempts = 10)]
public sealed class EmailNotificationJob(INotificationMailer mailer)
{
    public Task<bool> RunAsync(Guid notificationId, CancellationToken cancellationToken) => mailer.SendAsync(notificationId, cancellationToken);
}

/// <summary>Daily: one digest mail per user who chose the digest.</summary>
[DisableConcurrentExecution(timeoutInSeconds: 300)]
public sealed class EmailDigestJob(INotificationMailer mailer)
{
    public Task<int> RunAsync(CancellationToken cancellationToken) => mailer.SendDigestsAsync(cancellationToken);
}

/// <summary>The Hangfire dashboard is for administrators only (its local-requests-only default is replaced).</summary>
public sealed class AdministratorsOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Administrator);
    }
}
