using Hangfire;
using TIBS.Cases.Core.Privacy;
using TIBS.Cases.Core.Privacy.Retention;

namespace TIBS.Cases.Web.Infrastructure.Privacy;

/// <summary>
/// Nightly (<c>Privacy:Retention:Cron</c>): the retention rules' dry run, and with <c>Privacy:Retention:Apply =
/// Automatically</c> the application of the previous night's report first (<see cref="RunRetentionNightly"/>).
/// Applying is safe to repeat (each item is checked again and each report is applied once), so Hangfire may retry.
/// </summary>
internal sealed class RetentionJob(RunRetentionNightly run, ILogger<RetentionJob> logger)
{
    public const string JobId = "privacy-retention";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await run.HandleAsync(cancellationToken);
        if (outcome.Applied is not null)
        {
            logger.LogInformation("Retention applied the previous report: {Outcome}", outcome.Applied);
        }

        var items = outcome.Report.Items;
        logger.LogInformation(
            "Retention dry run: {Contacts} contact person(s), {Files} file(s), {Strategies} closed strategy(ies), {Sessions} ended session(s) due.",
            items.Contacts.Count, items.Attachments.Count, items.Strategies.Count, items.Sessions);
        return outcome.Applied ?? "Dry run made.";
    }
}

/// <summary>Registers the retention job and makes it recurring at start.</summary>
internal static class RetentionSetup
{
    public static IServiceCollection AddTibsRetention(this IServiceCollection services)
    {
        services.AddTransient<RetentionJob>();
        services.AddHostedService<RetentionJobRegistration>();
        return services;
    }

    private sealed class RetentionJobRegistration(IRecurringJobManager recurring, PrivacyOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<RetentionJob>(RetentionJob.JobId, j => j.RunAsync(CancellationToken.None), options.Retention.Cron);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
