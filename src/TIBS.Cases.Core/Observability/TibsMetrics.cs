using System.Diagnostics.Metrics;

namespace TIBS.Cases.Core.Observability;

/// <summary>
/// The domain's own metrics: one <see cref="Meter"/> named <see cref="MeterName"/>, counted where the work is done
/// (the step completion handler, the reminder dispatch, the mailer, the trail verification), never in pages. Labels
/// are bounded and carry no personal data: a definition's key, an outcome's key, a job's name — never a case or a user.
/// Created per service provider through <see cref="IMeterFactory"/>, so that two applications in one process (tests)
/// count apart. Decision 0054.
/// </summary>
public sealed class TibsMetrics
{
    public const string MeterName = "TIBS.Cases";

    private readonly TimeProvider time;
    private readonly Counter<long> stepCompletions;
    private readonly Counter<long> stepConflicts;
    private readonly Counter<long> remindersClaimed;
    private readonly Counter<long> remindersDelivered;
    private readonly Counter<long> remindersFailed;
    private readonly Counter<long> mailSent;
    private readonly Counter<long> mailFailed;
    private readonly Counter<long> chainFailures;
    private readonly Histogram<double> jobDuration;
    private LagReading? lagReading;

    public TibsMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.time = time;
        Meter = meterFactory.Create(MeterName);
        stepCompletions = Meter.CreateCounter<long>("tibs.step.completions", "{completion}", "Steps completed, by workflow definition and outcome.");
        stepConflicts = Meter.CreateCounter<long>("tibs.step.conflicts", "{conflict}", "Step completions refused because someone changed the case meanwhile.");
        remindersClaimed = Meter.CreateCounter<long>("tibs.reminders.claimed", "{reminder}", "Due reminders claimed by the dispatcher.");
        remindersDelivered = Meter.CreateCounter<long>("tibs.reminders.delivered", "{reminder}", "Reminders delivered to the in-app inbox.");
        remindersFailed = Meter.CreateCounter<long>("tibs.reminders.failed", "{reminder}", "Reminder deliveries that failed (retried by a later run).");
        mailSent = Meter.CreateCounter<long>("tibs.mail.sent", "{message}", "E-mails handed to the mail server, by kind (single or digest).");
        mailFailed = Meter.CreateCounter<long>("tibs.mail.failed", "{message}", "E-mails the mail server refused or could not take (retried later).");
        chainFailures = Meter.CreateCounter<long>("tibs.audit.chain_failures", "{failure}", "Problems found by the verification of the audit trails.");
        jobDuration = Meter.CreateHistogram<double>("tibs.jobs.duration", "s", "Duration of background jobs, by job and outcome.");
        Meter.CreateObservableGauge("tibs.reminders.dispatch_lag", ObserveLag, "s", "How long the oldest due reminder has waited for delivery (0 when none waits).");
    }

    /// <summary>The meter (exporters select it by <see cref="MeterName"/> and, in one process with several applications, by its scope).</summary>
    public Meter Meter { get; }

    internal void StepCompleted(string definition, string outcome) =>
        stepCompletions.Add(1, new KeyValuePair<string, object?>("definition", definition), new KeyValuePair<string, object?>("outcome", outcome));

    internal void StepConflict() => stepConflicts.Add(1);

    internal void RemindersClaimed(int count)
    {
        if (count > 0)
        {
            remindersClaimed.Add(count);
        }
    }

    internal void ReminderDelivered() => remindersDelivered.Add(1);

    internal void ReminderFailed() => remindersFailed.Add(1);

    internal void MailSent(string kind) => mailSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void MailFailed(string kind) => mailFailed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void ChainFailures(int count)
    {
        if (count > 0)
        {
            chainFailures.Add(count);
        }
    }

    /// <summary>A background job's run: <paramref name="job"/> is the job's type name, <paramref name="outcome"/> "succeeded" or "failed".</summary>
    public void JobRan(string job, string outcome, TimeSpan duration) =>
        jobDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>
    /// Records when the oldest due reminder not yet delivered fell due (null: none waits), as read after a dispatch run
    /// or by the readiness check; the gauge reports the time since then.
    /// </summary>
    public void OldestDueReminder(DateTimeOffset? dueAt)
    {
        // One reference, written whole: the gauge may read it from another thread.
        lagReading = new LagReading(dueAt);
    }

    /// <summary>The dispatch lag as last read (zero when nothing waits), or null before the first reading.</summary>
    public TimeSpan? DispatchLag()
    {
        if (lagReading is not { } reading)
        {
            return null;
        }

        var now = time.GetUtcNow();
        return reading.OldestDue is { } due && now > due ? now - due : TimeSpan.Zero;
    }

    private IEnumerable<Measurement<double>> ObserveLag() =>
        DispatchLag() is { } lag ? [new Measurement<double>(lag.TotalSeconds)] : [];

    private sealed record LagReading(DateTimeOffset? OldestDue);
}

/// <summary>The meters of a service provider that has no <see cref="IMeterFactory"/> (a tool or a test that builds its own).</summary>
internal sealed class StandaloneMeterFactory : IMeterFactory
{
    private readonly List<Meter> meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (meters)
        {
            meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (meters)
        {
            meters.ForEach(m => m.Dispose());
            meters.Clear();
        }
    }
}
