using Hangfire;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Core.Requests;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>
/// Hourly, removes attachment files that no attachment row owns and that are older than an hour
/// (<see cref="SweepAttachmentFiles"/>): what a process left when it stopped between storing a file and its row.
/// </summary>
internal sealed class AttachmentSweepJob(SweepAttachmentFiles sweep, ILogger<AttachmentSweepJob> logger)
{
    public const string JobId = "sweep-attachment-files";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var removed = await sweep.HandleAsync(new SweepAttachmentFiles.Request(), cancellationToken);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} attachment files that no attachment owned.", removed);
        }
    }
}

/// <summary>
/// Hourly, removes the API's idempotency keys older than their lifetime (<see cref="IdempotentRequests.Lifetime"/>,
/// 24 hours): a retry after that is a new request, and the recorded answers do not pile up.
/// </summary>
internal sealed class IdempotencyKeySweepJob(IdempotentRequests requests, ILogger<IdempotencyKeySweepJob> logger)
{
    public const string JobId = "sweep-idempotency-keys";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var removed = await requests.RemoveExpiredAsync(cancellationToken);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} idempotency keys older than {Lifetime}.", removed, IdempotentRequests.Lifetime);
        }
    }
}

/// <summary>
/// Hourly, folds the delta rows that the writes add to the coordinator overview's counts into one row per group
/// (decision 0057), so the overview sums a table that does not grow with the number of changes.
/// </summary>
internal sealed class OpenCaseCountFoldJob(ICoordinationQueries queries)
{
    public const string JobId = "fold-open-case-counts";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task RunAsync(CancellationToken cancellationToken) => queries.FoldCountsAsync(cancellationToken);
}

/// <summary>The hourly sweeps: attachment files without a row, expired idempotency keys, and the overview's counts folded.</summary>
internal static class HourlySweepsSetup
{
    /// <summary>Registers the sweeps and the fold and makes them recurring jobs at start.</summary>
    public static IServiceCollection AddTibsHourlySweeps(this IServiceCollection services)
    {
        services.AddTransient<AttachmentSweepJob>();
        services.AddTransient<IdempotencyKeySweepJob>();
        services.AddTransient<OpenCaseCountFoldJob>();
        services.AddHostedService<HourlySweepsRegistration>();
        return services;
    }
}

/// <summary>Registers the sweeps as recurring jobs at start.</summary>
internal sealed class HourlySweepsRegistration(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<AttachmentSweepJob>(AttachmentSweepJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<IdempotencyKeySweepJob>(IdempotencyKeySweepJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<OpenCaseCountFoldJob>(OpenCaseCountFoldJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
