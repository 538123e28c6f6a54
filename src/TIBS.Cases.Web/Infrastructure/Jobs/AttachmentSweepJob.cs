using Hangfire;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>
/// Hourly, removes attachment files that no attachment row owns and that are older than an hour
/// (<see cref="SweepAttachmentFiles"/>): what a process left when it stopped between storing a file and its row.
/// </summary>
public sealed class AttachmentSweepJob(SweepAttachmentFiles sweep, ILogger<AttachmentSweepJob> logger)
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

public static class AttachmentSweepSetup
{
    /// <summary>Registers the hourly sweep of attachment files without a row.</summary>
    public static IServiceCollection AddTibsAttachmentSweep(this IServiceCollection services)
    {
        services.AddTransient<AttachmentSweepJob>();
        services.AddHostedService<AttachmentSweepRegistration>();
        return services;
    }
}

/// <summary>Registers the sweep as a recurring job at start.</summary>
internal sealed class AttachmentSweepRegistration(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<AttachmentSweepJob>(AttachmentSweepJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
