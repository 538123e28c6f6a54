using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Reminders;

/// <summary>What one dispatcher run did.</summary>
public sealed record DispatchSummary(int Claimed, int Delivered, int DeliveryFailures, int Mailed, int MailFailures)
{
    public override string ToString() =>
        $"{Claimed} reminders claimed, {Delivered} delivered, {DeliveryFailures} failed; {Mailed} mails sent, {MailFailures} failed";
}

/// <summary>
/// One run of the recurring dispatcher, complete in itself, so that nothing depends on a queued job surviving a crash:
/// claims the due reminder rows a batch at a time (short leases), delivers each batch in-app in one transaction
/// (exactly once), e-mails its notifications, then sweeps every mail that is due and not confirmed (a crashed run's, a
/// failed one's after its back-off, an unconfirmed digest). Runs may overlap: rows and mails are claimed.
/// </summary>
/// <remarks>After each run the oldest due reminder still waiting is read for the dispatch lag (<see cref="Observability.TibsMetrics"/>).</remarks>
public sealed class DispatchCycle(ReminderDispatcher dispatcher, ReminderDelivery delivery, IReminderStore reminders, INotificationMailer mailer, Observability.TibsMetrics? metrics = null, TimeProvider? time = null)
{
    /// <summary>E-mail the notifications of each batch right after it is written (the sweep sends them otherwise).</summary>
    public bool MailEachBatch { get; init; } = true;

    public async Task<DispatchSummary> RunAsync(string workerId, CancellationToken cancellationToken = default)
    {
        var queue = new DeliverAndMail(delivery, reminders, MailEachBatch ? mailer : null);
        var claimed = await dispatcher.DispatchAsync(queue, workerId, cancellationToken);
        var sweep = await mailer.SendDueAsync(cancellationToken);
        if (metrics is not null)
        {
            metrics.OldestDueReminder(await reminders.OldestDueAsync((time ?? TimeProvider.System).UtcNow(), cancellationToken));
        }

        return new DispatchSummary(claimed, queue.Delivered, queue.DeliveryFailures, queue.Mailed + sweep.Sent, queue.MailFailures + sweep.Failed);
    }

    private sealed class DeliverAndMail(ReminderDelivery delivery, IReminderStore reminders, INotificationMailer? mailer) : IReminderQueue
    {
        public int Delivered { get; private set; }
        public int DeliveryFailures { get; private set; }
        public int Mailed { get; private set; }
        public int MailFailures { get; private set; }

        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default)
        {
            var row = await reminders.GetAsync(reminderId, cancellationToken);
            if (row is not null)
            {
                await EnqueueBatchAsync([row], cancellationToken);
            }
        }

        public async Task EnqueueBatchAsync(IReadOnlyList<ReminderRecord> batch, CancellationToken cancellationToken = default)
        {
            IReadOnlyList<DeliveryResult> results;
            try
            {
                results = await delivery.DeliverBatchAsync(batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing of the batch was written; its rows stay claimed until their lease runs out, then a later run tries again.
                DeliveryFailures += batch.Count;
                foreach (var row in batch)
                {
                    await reminders.RecordFailureAsync(row.Id, ex.Message, CancellationToken.None);
                }

                return;
            }

            Delivered += results.Count(r => r.Outcome == DeliveryOutcome.Delivered);
            if (mailer is null)
            {
                return;
            }

            foreach (var notificationId in results.SelectMany(r => r.NotificationIds))
            {
                try
                {
                    Mailed += await mailer.SendAsync(notificationId, cancellationToken) ? 1 : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Waits for its retry; the sweep of a later run sends it.
                    MailFailures++;
                }
            }
        }
    }
}
