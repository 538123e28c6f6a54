using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Reminders;

/// <summary>What is done with each claimed reminder: delivered and e-mailed by the dispatcher run, inline in tests.</summary>
public interface IReminderQueue
{
    Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The rows of one claim, handed over together: one unit of work per batch (the application's queue, the dispatcher
    /// run, delivers them in one transaction). By default each on its own, for queues that deliver single rows.
    /// </summary>
    async Task EnqueueBatchAsync(IReadOnlyList<ReminderRecord> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var row in batch)
        {
            await EnqueueAsync(row.Id, cancellationToken);
        }
    }
}

/// <summary>
/// Claims due reminder rows in batches, each for a short lease, and hands each batch to the queue (the rows themselves,
/// read by the claim); while the batch is being handed over the claim on the rest is renewed, so a live worker keeps
/// its rows and a dead one loses them after one lease. After downtime every overdue row is handed over once (rows, not
/// intervals, are what is claimed).
/// </summary>
public sealed class ReminderDispatcher(IReminderStore reminders, TimeProvider time)
{
    /// <summary>Where the claimed rows are counted (none: not counted).</summary>
    public Observability.TibsMetrics? Metrics { get; init; }

    /// <summary>Rows claimed at a time: one claim, one read of the recipients and one write per batch.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>How long a claim lasts without renewal (<c>Jobs:ClaimLease</c>).</summary>
    public TimeSpan Lease { get; init; } = DeliveryLease.Default;

    /// <summary>Called after each row is claimed, before it is handed over (tests interrupt the work there).</summary>
    public DeliveryCheckpoint? Checkpoint { get; set; }

    /// <summary>Claims and hands over everything due now; returns how many rows were handed over.</summary>
    public async Task<int> DispatchAsync(IReminderQueue queue, string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var claimedAt = time.UtcNow();
            var claimed = await reminders.ClaimDueRowsAsync(claimedAt, BatchSize, workerId, Lease, cancellationToken);
            Metrics?.RemindersClaimed(claimed.Count);
            var held = claimed.Select(r => r.Id).ToHashSet();
            var batch = new List<ReminderRecord>(claimed.Count);
            for (var i = 0; i < claimed.Count; i++)
            {
                var now = time.UtcNow();
                if (now - claimedAt >= Lease / 2)
                {
                    // Half the lease is gone: extend it for the rows still to do, and skip those another worker took.
                    held = [.. await reminders.RenewClaimAsync([.. batch.Select(r => r.Id), .. claimed.Skip(i).Select(r => r.Id)], workerId, now + Lease, cancellationToken)];
                    batch.RemoveAll(r => !held.Contains(r.Id));
                    claimedAt = now;
                }

                var row = claimed[i];
                if (!held.Contains(row.Id))
                {
                    continue;
                }

                if (Checkpoint is { } reached)
                {
                    await reached(DeliveryStep.Claimed, row.Id);
                }

                batch.Add(row);
            }

            if (batch.Count > 0)
            {
                await queue.EnqueueBatchAsync(batch, cancellationToken);
                total += batch.Count;
            }

            if (claimed.Count < BatchSize)
            {
                break;
            }
        }

        return total;
    }
}
