using Hangfire;
using TIBS.Cases.Core.Requests;

namespace TIBS.Cases.Web.Infrastructure.Jobs;

/// <summary>
/// Hourly, removes the API's idempotency keys older than their lifetime (<see cref="IdempotentRequests.Lifetime"/>,
/// 24 hours): a retry after that is a new request, and the recorded answers do not pile up.
/// </summary>
public sealed class IdempotencyKeySweepJob(IdempotentRequests requests, ILogger<IdempotencyKeySweepJob> logger)
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

public static class IdempotencyKeySweepSetup
{
    /// <summary>Registers the hourly removal of expired idempotency keys.</summary>
    public static IServiceCollection AddTibsIdempotencyKeySweep(this IServiceCollection services)
    {
        services.AddTransient<IdempotencyKeySweepJob>();
        services.AddHostedService<IdempotencyKeySweepRegistration>();
        return services;
    }
}

/// <summary>Registers the sweep as a recurring job at start.</summary>
internal sealed class IdempotencyKeySweepRegistration(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<IdempotencyKeySweepJob>(IdempotencyKeySweepJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
