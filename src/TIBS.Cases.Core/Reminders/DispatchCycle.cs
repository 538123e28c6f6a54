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
/// claims the due reminder rows (short leases), delivers each in-app (exactly once) and e-mails its notifications,
/// then sweeps every mail that is due and not confirmed (a crashed run's, a failed one's after its back-off, an
/// unconfirmed digest). Runs may overlap: rows and mails are claimed one by one.
/// </summary>
/// <remarks>After each run the oldest due reminder still waiting is read for the dispatch lag (<see cref="Observability.TibsMetrics"/>).</remarks>
public sealed class DispatchCycle(ReminderDispatcher dispatcher, ReminderDelivery delivery, IReminderStore reminders, INotificationMailer mailer, Observability.TibsMetrics? metrics = null, TimeProvider? time = null)
{
    public async Task<DispatchSummary> RunAsync(string workerId, CancellationToken cancellationToken = default)
    {
        var queue = new DeliverAndMail(delivery, reminders, mailer);
        var claimed = await dispatcher.DispatchAsync(queue, workerId, cancellationToken);
        var sweep = await mailer.SendDueAsync(cancellationToken);
        if (metrics is not null)
        {
            metrics.OldestDueReminder(await reminders.OldestDueAsync((time ?? TimeProvider.System).UtcNow(), cancellationToken));
        }

        return new DispatchSummary(claimed, queue.Delivered, queue.DeliveryFailures, queue.Mailed + sweep.Sent, queue.MailFailures + sweep.Failed);
    }

    private sealed class DeliverAndMail(ReminderDelivery delivery, IReminderStore reminders, INotificationMailer mailer) : IReminderQueue
    {
        public int Delivered { get; private set; }
        public int DeliveryFailures { get; private set; }
        public int Mailed { get; private set; }
        public int MailFailures { get; private set; }

        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default)
        {
            DeliveryResult result;
            try
            {
                result = await delivery.DeliverAsync(reminderId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The row stays claimed until its lease runs out; a later run tries again.
                DeliveryFailures++;
                await reminders.RecordFailureAsync(reminderId, ex.Message, CancellationToken.None);
                return;
            }

            Delivered += result.Outcome == DeliveryOutcome.Delivered ? 1 : 0;
            foreach (var notificationId in result.NotificationIds)
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
