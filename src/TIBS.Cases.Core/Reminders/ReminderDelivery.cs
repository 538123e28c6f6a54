using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Reminders;

/// <summary>Reminder rows as the dispatcher sees them. The rows written with each step are the truth.</summary>
public interface IReminderStore
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> due rows (pending, or claimed by a worker whose claim expired) for
    /// <paramref name="claimFor"/>; rows another worker is claiming right now are skipped.
    /// </summary>
    Task<IReadOnlyList<Guid>> ClaimDueAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default);

    Task<ReminderRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Marks a row sent (once): false when it was already sent or cancelled.</summary>
    Task<bool> MarkSentAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task SetStatusAsync(Guid id, string status, string? note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the claim on those of <paramref name="ids"/> that <paramref name="workerId"/> still holds (a worker that
    /// is still busy keeps its rows); returns the ids it still holds.
    /// </summary>
    Task<IReadOnlyList<Guid>> RenewClaimAsync(IReadOnlyList<Guid> ids, string workerId, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Counts a failed attempt; the row stays claimed until its claim runs out, then a later dispatch retries it.</summary>
    Task RecordFailureAsync(Guid id, string error, CancellationToken cancellationToken = default);

    /// <summary>
    /// When the oldest reminder that is due at <paramref name="now"/> and not yet delivered (pending, or claimed) fell
    /// due; null when none waits. The dispatch lag of the metrics and of the readiness check.
    /// </summary>
    Task<DateTimeOffset?> OldestDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult<DateTimeOffset?>(null);
}

public enum DeliveryOutcome
{
    Delivered,
    AlreadyDone,
    StepFinished,
    OnHold,
    NoRecipient,
    NotFound,
}

/// <summary>What one delivery did; <see cref="NotificationIds"/> are every notification of the reminder (to e-mail).</summary>
public sealed record DeliveryResult(DeliveryOutcome Outcome, IReadOnlyList<Guid> NotificationIds, int NewlyNotified);

/// <summary>
/// Delivers one reminder, escalation, due notice or check-in: checks that the case is still in the step it was for,
/// notifies the recipients in the in-app inbox (exactly once each: the delivery key is unique) and marks the row
/// sent. Safe to run twice or concurrently for the same row, and to be interrupted anywhere. A timer row that acts
/// (reassign, outcome, hold) is handed to <see cref="RunTimer"/> instead, the one door for timers.
/// </summary>
public sealed class ReminderDelivery(IReminderStore reminders, ICaseStore cases, IUserStore users, INotificationStore notifications, WorkflowCatalog catalog, TimeProvider time, RunTimer? timers = null, Training.ITrainingStore? training = null, Accounts.Absences.IAbsenceStore? absences = null, Observability.TibsMetrics? metrics = null)
{
    /// <summary>Called after the notifications are written and after the row is marked sent (tests interrupt the work there).</summary>
    public DeliveryCheckpoint? Checkpoint { get; set; }

    /// <summary>Delivers the reminder; each delivery and each failure is counted (<see cref="Observability.TibsMetrics"/>).</summary>
    public async Task<DeliveryResult> DeliverAsync(Guid reminderId, CancellationToken cancellationToken = default)
    {
        DeliveryResult result;
        try
        {
            result = await DeliverOnceAsync(reminderId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics?.ReminderFailed();
            throw;
        }

        if (result.Outcome == DeliveryOutcome.Delivered)
        {
            metrics?.ReminderDelivered();
        }

        return result;
    }

    private async Task<DeliveryResult> DeliverOnceAsync(Guid reminderId, CancellationToken cancellationToken)
    {
        var reminder = await reminders.GetAsync(reminderId, cancellationToken);
        if (reminder is null)
        {
            return new DeliveryResult(DeliveryOutcome.NotFound, [], 0);
        }

        if (reminder.Status is ReminderStatus.Sent or ReminderStatus.Cancelled)
        {
            return new DeliveryResult(DeliveryOutcome.AlreadyDone, [], 0);
        }

        if (reminder.SubjectKind == ReminderSubjects.Training)
        {
            return await DeliverTrainingAsync(reminder, cancellationToken);
        }

        if (reminder.Kind == CaseSteps.TimerKind && timers is not null)
        {
            var run = await timers.HandleAsync(reminderId, cancellationToken);
            if (run.Outcome != TimerRunOutcome.Notice)
            {
                return new DeliveryResult(run.Outcome switch
                {
                    TimerRunOutcome.Acted or TimerRunOutcome.NotActed => DeliveryOutcome.Delivered,
                    TimerRunOutcome.StepLeft => DeliveryOutcome.StepFinished,
                    TimerRunOutcome.OnHold => DeliveryOutcome.OnHold,
                    TimerRunOutcome.NotFound => DeliveryOutcome.NotFound,
                    _ => DeliveryOutcome.AlreadyDone,
                }, [], 0);
            }
        }

        var c = reminder.CaseId is { } caseId ? await cases.GetAsync(caseId, cancellationToken) : null;
        var steps = c is null ? [] : await cases.GetStepsAsync(c.Id, cancellationToken);
        var open = steps.LastOrDefault(s => s.CompletedAt is null);
        if (c is null || c.IsClosed || open is null || open.Id != reminder.CaseStepId)
        {
            await reminders.SetStatusAsync(reminderId, ReminderStatus.Cancelled, "The step it was for is done.", cancellationToken);
            return new DeliveryResult(DeliveryOutcome.StepFinished, [], 0);
        }

        if (c.IsOnHold)
        {
            await reminders.SetStatusAsync(reminderId, ReminderStatus.Paused, null, cancellationToken);
            return new DeliveryResult(DeliveryOutcome.OnHold, [], 0);
        }

        var participants = await cases.GetParticipantsAsync(c.Id, cancellationToken);
        Partners.Tracks.CaseTrackRecord? track = null;
        if (reminder.CaseTrackId is { } trackId)
        {
            // A track's notice is for the track's performer, in the partner's region, while the track runs.
            track = (await cases.GetTracksAsync(c.Id, cancellationToken)).FirstOrDefault(t => t.Id == trackId);
            if (track is not { IsOpen: true })
            {
                await reminders.SetStatusAsync(reminderId, ReminderStatus.Cancelled, "The partner track it was for has ended.", cancellationToken);
                return new DeliveryResult(DeliveryOutcome.StepFinished, [], 0);
            }
        }

        var recipients = await RecipientsAsync(reminder.RecipientRole, c, participants, track, cancellationToken);
        var plan = await catalog.GetPlanAsync(c.DefinitionVersionId, cancellationToken);
        var stepName = plan.TryGetStep(reminder.StepKey, out var step) ? step.Name : reminder.StepKey;
        var text = track is null ? Text(reminder, c, stepName, open) : TrackText(reminder, c, stepName);

        // Absence is read now, at delivery: the deputies of recipients away today are told as well (decision 0041).
        var deputies = await Accounts.Absences.Deputies.ForAsync(absences, users, recipients, DateOnly.FromDateTime(time.UtcNow().UtcDateTime), cancellationToken);
        return await NotifyAsync(reminder, c.Id, recipients, $"Nobody has the role {reminder.RecipientRole} for case {c.Reference}.", text, cancellationToken, deputies);
    }

    /// <summary>
    /// A training's expiry notice: to the broker and the coordinators of the broker's region (all coordinators when the
    /// region has none), while the completion is still the broker's newest of its module.
    /// </summary>
    private async Task<DeliveryResult> DeliverTrainingAsync(ReminderRecord reminder, CancellationToken cancellationToken)
    {
        var completion = training is not null && reminder.SubjectId is { } completionId ? await training.GetCompletionAsync(completionId, cancellationToken) : null;
        if (training is null || completion is null)
        {
            await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Cancelled, "The training it was for is no longer recorded.", cancellationToken);
            return new DeliveryResult(DeliveryOutcome.StepFinished, [], 0);
        }

        var newer = (await training.ListCompletionsAsync(completion.UserId, cancellationToken))
            .Any(c => c.ModuleId == completion.ModuleId && c.Id != completion.Id && c.CompletedOn > completion.CompletedOn);
        var broker = await users.FindByIdAsync(completion.UserId, cancellationToken);
        if (newer || broker is not { IsActive: true })
        {
            await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Cancelled, newer ? "A newer completion of the module was recorded." : "The broker's account is deactivated.", cancellationToken);
            return new DeliveryResult(DeliveryOutcome.StepFinished, [], 0);
        }

        var module = await training.GetModuleAsync(completion.ModuleId, cancellationToken);
        var moduleTitle = module?.Title ?? reminder.Description ?? "a training module";
        var coordinators = await users.ListInRoleAsync(Roles.Coordinator, cancellationToken: cancellationToken);
        var regional = coordinators.Where(u => u.RegionCode == broker.RegionCode).ToList();
        var recipients = new List<UserAccount> { broker };
        recipients.AddRange(regional.Count > 0 ? regional : coordinators);
        var expires = completion.ExpiresOn is { } on ? TemplateArg.Date(on) : TemplateArg.Text("—");
        var text = new NotificationTemplate(
            TextTemplate.Of("Training expires {0}: {1} — {2}", expires, TemplateArg.Text(moduleTitle), TemplateArg.Text(broker.DisplayName)),
            TextTemplate.Of(
                "{0}'s training '{1}' (completed {2}) expires on {3}. Plan a refresher: a broker certified today stops being certified when a required training expires.",
                TemplateArg.Text(broker.DisplayName), TemplateArg.Text(moduleTitle), TemplateArg.Date(completion.CompletedOn), expires));
        return await NotifyAsync(reminder, null, recipients, "Nobody to remind.", text, cancellationToken);
    }

    /// <param name="deputies">The deputies of absent recipients, told after the recipients (a user who is a recipient
    /// in their own right gets the notice once, as a recipient).</param>
    private async Task<DeliveryResult> NotifyAsync(
        ReminderRecord reminder, Guid? caseId, IReadOnlyList<UserAccount> recipients, string nobody, NotificationTemplate text, CancellationToken cancellationToken,
        IReadOnlyList<Accounts.Absences.Deputies.Added>? deputies = null)
    {
        var reminderId = reminder.Id;
        if (recipients.Count == 0)
        {
            await reminders.SetStatusAsync(reminderId, ReminderStatus.Cancelled, nobody, cancellationToken);
            return new DeliveryResult(DeliveryOutcome.NoRecipient, [], 0);
        }

        var now = time.UtcNow();
        var ids = new List<Guid>();
        var fresh = 0;
        var everyone = recipients.Select(u => (User: u, For: (Accounts.Absences.Deputies.Added?)null)).Concat((deputies ?? []).Select(d => (User: d.Deputy, For: (Accounts.Absences.Deputies.Added?)d)));
        foreach (var (user, deputising) in everyone.DistinctBy(r => r.User.Id))
        {
            var written = deputising is null ? text : ForDeputy(text, deputising);
            var key = $"reminder:{reminder.Id:N}:{user.Id:N}";
            var id = DeterministicId(key);
            ids.Add(id);
            if (await notifications.AddAsync(written.ApplyTo(new NotificationRecord
            {
                Id = id,
                UserId = user.Id,
                CaseId = caseId,
                Kind = reminder.Kind,
                Title = "",
                Body = "",
                DeliveryKey = key,
                CreatedAt = now,
                EmailDueAt = now,
            }), cancellationToken))
            {
                fresh++;
            }
        }

        if (Checkpoint is { } notified)
        {
            await notified(DeliveryStep.Notified, reminderId);
        }

        await reminders.MarkSentAsync(reminderId, now, cancellationToken);
        if (Checkpoint is { } marked)
        {
            await marked(DeliveryStep.Marked, reminderId);
        }

        return new DeliveryResult(DeliveryOutcome.Delivered, ids, fresh);
    }

    /// <summary>The notice as the deputy of an absent recipient gets it: saying for whom and until when.</summary>
    private static NotificationTemplate ForDeputy(NotificationTemplate text, Accounts.Absences.Deputies.Added deputy)
    {
        var absent = TemplateArg.Text(deputy.AbsentName);
        var until = TemplateArg.LongDate(deputy.Until);
        return new NotificationTemplate(
            TextTemplate.Of("{0} (deputising for {1}, absent until {2})", TemplateArg.Of(text.Title), absent, until),
            TextTemplate.Of("You are deputising for {0}, absent until {1}. {2}", absent, until, TemplateArg.Of(text.Body)));
    }

    /// <summary>The same delivery key always gives the same notification id, so a re-run finds what it already wrote.</summary>
    public static Guid DeterministicId(string deliveryKey)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>
    /// The people a notice is for. A track's notice is for the role in the track's region (the partner's), not the
    /// case's: the brokers of the partner's region for the track's performer, that region's coordinator for an escalation.
    /// </summary>
    private async Task<IReadOnlyList<UserAccount>> RecipientsAsync(string role, CaseRecord c, IReadOnlyList<CaseParticipantRecord> participants, Partners.Tracks.CaseTrackRecord? track, CancellationToken cancellationToken)
    {
        switch (role)
        {
            case "broker" or "partner-broker" when track is not null:
                return await users.ListInRoleAsync(Roles.Broker, new HashSet<string>(StringComparer.Ordinal) { track.RegionCode }, cancellationToken: cancellationToken);
            case "broker" when c.IsAudit:
                // An audit is owned by its evaluator; its broker steps are the brokers' of the audited strategy's region.
                return await users.ListInRoleAsync(Roles.Broker, new HashSet<string>(StringComparer.Ordinal) { c.RegionCode }, cancellationToken: cancellationToken);
            case "broker":
            case "evaluator" when c.IsAudit:
                return [.. (await users.GetManyAsync([c.OwnerUserId], cancellationToken)).Where(u => u.IsActive)];
            case "partner-broker":
                var regions = participants.Where(p => p.Role == ParticipantRole.Partner && p.PipelineStatus != PipelineStatus.Declined && p.RegionCode != c.RegionCode)
                    .Select(p => p.RegionCode).ToHashSet(StringComparer.Ordinal);
                return await users.ListInRoleAsync(Roles.Broker, regions, cancellationToken: cancellationToken);
            case "coordinator":
                // Escalations go to the coordinator of the case's (a track's: the partner's) region; without one, to every coordinator.
                var coordinators = await users.ListInRoleAsync(Roles.Coordinator, cancellationToken: cancellationToken);
                var regional = coordinators.Where(u => u.CoveredRegions.Contains(track?.RegionCode ?? c.RegionCode, StringComparer.Ordinal)).ToList();
                return regional.Count > 0 ? regional : coordinators;
            case "evaluator":
                return await users.ListInRoleAsync(Roles.Evaluator, cancellationToken: cancellationToken);
            default:
                return await users.ListInRoleAsync(Roles.Administrator, cancellationToken: cancellationToken);
        }
    }

    private static NotificationTemplate TrackText(ReminderRecord r, CaseRecord c, string stepName)
    {
        TemplateArg reference = TemplateArg.Text(c.Reference), step = TemplateArg.Step(stepName);
        var about = TextTemplate.Of("{0} (case {1}, {2}).", TemplateArg.Text(r.Description), reference, TemplateArg.Text(c.Title));
        return r.Kind switch
        {
            Partners.Tracks.TrackNotices.Contacted => new(TextTemplate.Of("Your answer is wanted: {0} — '{1}'", reference, step), TextTemplate.Of("{0}", TemplateArg.Text(r.Description))),
            "due" => new(TextTemplate.Of("Due today: a partner's track on {0} — '{1}'", reference, step), about),
            _ => new(TextTemplate.Of("{0} — '{1}': a partner's track", reference, step), about),
        };
    }

    private static NotificationTemplate Text(ReminderRecord r, CaseRecord c, string stepName, CaseStepRecord open)
    {
        TemplateArg reference = TemplateArg.Text(c.Reference), step = TemplateArg.Step(stepName), caseTitle = TemplateArg.Text(c.Title), description = TemplateArg.Text(r.Description);
        return r.Kind switch
        {
            "escalation" => new(TextTemplate.Of("Escalation: {0} — '{1}' is still open", reference, step),
                TextTemplate.Of("Case {0} ({1}) has been at '{2}' since {3} (due {4}). {5}", reference, caseTitle, step, TemplateArg.Date(open.StartedAt), TemplateArg.Date(open.DueAt), description)),
            "due" => new(TextTemplate.Of("Due today: {0} — '{1}'", reference, step),
                TextTemplate.Of("'{0}' of case {1} ({2}) is due {3}.", step, reference, caseTitle, TemplateArg.Date(open.DueAt))),
            "check-in" => new(TextTemplate.Of("Check-in due: {0}", reference),
                TextTemplate.Of("{0} of case {1} ({2}) is due {3}: record the progress of the joint actions, the rating and the impact figures.", description, reference, caseTitle, TemplateArg.Date(r.DueAt))),
            CaseSteps.TimerKind or CaseTimers.NoticeKind => new(TextTemplate.Of("{0} — '{1}'", reference, step),
                TextTemplate.Of("{0} (case {1}, {2}).", description, reference, caseTitle)),
            "contributor-due" => new(TextTemplate.Of("Your part is due: {0} — '{1}'", reference, step),
                TextTemplate.Of("{0} (case {1}, {2}), due {3}.", description, reference, caseTitle, TemplateArg.Date(r.DueAt))),
            _ => new(TextTemplate.Of("Reminder: {0} — '{1}'", reference, step),
                TextTemplate.Of("'{0}' of case {1} ({2}) started {3} and is due {4}.", step, reference, caseTitle, TemplateArg.Date(open.StartedAt), TemplateArg.Date(open.DueAt))),
        };
    }
}

/// <summary>What is done with each claimed reminder: delivered and e-mailed by the dispatcher run, inline in tests.</summary>
public interface IReminderQueue
{
    Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Claims due reminder rows in batches, each for a short lease, and hands each to the queue; while the queue works
/// through a batch the claim on the rest is renewed, so a live worker keeps its rows and a dead one loses them after
/// one lease. After downtime every overdue row is handed over once (rows, not intervals, are what is claimed).
/// </summary>
public sealed class ReminderDispatcher(IReminderStore reminders, TimeProvider time)
{
    /// <summary>Where the claimed rows are counted (none: not counted).</summary>
    public Observability.TibsMetrics? Metrics { get; init; }

    /// <summary>Rows claimed at a time: small, so that a dead worker holds little for its lease.</summary>
    public int BatchSize { get; init; } = 20;

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
            var claimed = await reminders.ClaimDueAsync(claimedAt, BatchSize, workerId, Lease, cancellationToken);
            Metrics?.RemindersClaimed(claimed.Count);
            var held = new HashSet<Guid>(claimed);
            for (var i = 0; i < claimed.Count; i++)
            {
                var now = time.UtcNow();
                if (now - claimedAt >= Lease / 2)
                {
                    // Half the lease is gone: extend it for the rows still to do, and skip those another worker took.
                    held = [.. await reminders.RenewClaimAsync([.. claimed.Skip(i)], workerId, now + Lease, cancellationToken)];
                    claimedAt = now;
                }

                var id = claimed[i];
                if (!held.Contains(id))
                {
                    continue;
                }

                if (Checkpoint is { } reached)
                {
                    await reached(DeliveryStep.Claimed, id);
                }

                await queue.EnqueueAsync(id, cancellationToken);
                total++;
            }

            if (claimed.Count < BatchSize)
            {
                break;
            }
        }

        return total;
    }
}
