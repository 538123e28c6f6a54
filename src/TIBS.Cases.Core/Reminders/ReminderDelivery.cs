using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Reminders;

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
/// Delivers reminders, escalations, due notices and check-ins a batch at a time: checks that each case is still in the
/// step the row was for, reads the batch's recipients once (the people of each role and region, the absences of the
/// day and their deputies), and writes every notification of the batch and marks its rows sent in one transaction
/// (exactly once each: the delivery key is unique). Safe to run twice or concurrently for the same rows, and to be
/// interrupted anywhere: until the transaction commits nothing of the batch is written. A timer row that acts
/// (reassign, outcome, hold) is handed to <see cref="RunTimer"/> instead, the one door for timers.
/// </summary>
public sealed class ReminderDelivery(IReminderStore reminders, ICaseStore cases, IUserStore users, WorkflowCatalog catalog, TimeProvider time, RunTimer? timers = null, Training.ITrainingStore? training = null, Accounts.Absences.IAbsenceStore? absences = null, Observability.TibsMetrics? metrics = null)
{
    /// <summary>Called before and after the batch's write (tests interrupt the work there).</summary>
    public DeliveryCheckpoint? Checkpoint { get; set; }

    /// <summary>Delivers one row (a batch of one).</summary>
    public async Task<DeliveryResult> DeliverAsync(Guid reminderId, CancellationToken cancellationToken = default)
    {
        var reminder = await reminders.GetAsync(reminderId, cancellationToken);
        return reminder is null
            ? new DeliveryResult(DeliveryOutcome.NotFound, [], 0)
            : (await DeliverBatchAsync([reminder], cancellationToken))[0];
    }

    /// <summary>
    /// Delivers the rows of one claim; the results are in the order of <paramref name="batch"/>. Each delivery and each
    /// row of a batch that failed is counted (<see cref="Observability.TibsMetrics"/>).
    /// </summary>
    public async Task<IReadOnlyList<DeliveryResult>> DeliverBatchAsync(IReadOnlyList<ReminderRecord> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<DeliveryResult> results;
        try
        {
            results = await DeliverClaimedAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                metrics?.ReminderFailed();
            }

            throw;
        }

        foreach (var _ in results.Where(r => r.Outcome == DeliveryOutcome.Delivered))
        {
            metrics?.ReminderDelivered();
        }

        return results;
    }

    private async Task<IReadOnlyList<DeliveryResult>> DeliverClaimedAsync(IReadOnlyList<ReminderRecord> batch, CancellationToken cancellationToken)
    {
        var results = new DeliveryResult?[batch.Count];
        var people = new BatchPeople(users);
        var planned = new List<Planned>();
        var views = new Dictionary<Guid, CaseView?>();
        for (var i = 0; i < batch.Count; i++)
        {
            var reminder = batch[i];
            if (reminder.Status is ReminderStatus.Sent or ReminderStatus.Cancelled)
            {
                results[i] = new DeliveryResult(DeliveryOutcome.AlreadyDone, [], 0);
                continue;
            }

            if (reminder.SubjectKind == ReminderSubjects.Training)
            {
                var (result, plan) = await PlanTrainingAsync(i, reminder, people, cancellationToken);
                results[i] = result;
                planned.AddRange(plan is null ? [] : [plan]);
                continue;
            }

            if (reminder.Kind == CaseSteps.TimerKind && timers is not null)
            {
                var run = await timers.HandleAsync(reminder.Id, cancellationToken);
                if (run.Outcome != TimerRunOutcome.Notice)
                {
                    results[i] = new DeliveryResult(run.Outcome switch
                    {
                        TimerRunOutcome.Acted or TimerRunOutcome.NotActed => DeliveryOutcome.Delivered,
                        TimerRunOutcome.StepLeft => DeliveryOutcome.StepFinished,
                        TimerRunOutcome.OnHold => DeliveryOutcome.OnHold,
                        TimerRunOutcome.NotFound => DeliveryOutcome.NotFound,
                        _ => DeliveryOutcome.AlreadyDone,
                    }, [], 0);
                    continue;
                }
            }

            if (reminder.CaseId is { } caseId)
            {
                views[caseId] = null;
            }
        }

        // The batch's cases and their steps in two reads, however many cases and rows the batch holds; read after the
        // batch's timers acted, so each row is judged against its case as it now is.
        foreach (var (id, (c, steps)) in await cases.GetWithStepsAsync([.. views.Keys], cancellationToken))
        {
            views[id] = new CaseView(c, steps);
        }

        // The owners of the batch's cases in one read.
        await people.LoadAsync([.. views.Values.Where(v => v is not null).Select(v => v!.Case.OwnerUserId)], cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is null && !planned.Any(p => p.Index == i))
            {
                var reminder = batch[i];
                var view = reminder.CaseId is { } caseId ? views[caseId] : null;
                var (result, plan) = await PlanCaseAsync(i, reminder, view, people, cancellationToken);
                results[i] = result;
                planned.AddRange(plan is null ? [] : [plan]);
            }
        }

        await WriteAsync(planned, results, cancellationToken);
        return [.. results.Select(r => r!)];
    }

    /// <summary>A row whose notices are decided: to be written with the rest of the batch.</summary>
    private sealed record Planned(int Index, ReminderRecord Reminder, Guid? CaseId, IReadOnlyList<UserAccount> Recipients, NotificationTemplate Text, string Nobody, bool WithDeputies);

    /// <summary>A case of the batch as delivery needs it; participants and tracks are read only for the rows that need them.</summary>
    private sealed class CaseView(CaseRecord c, IReadOnlyList<CaseStepRecord> steps)
    {
        public CaseRecord Case { get; } = c;
        public CaseStepRecord? Open { get; } = steps.LastOrDefault(s => s.CompletedAt is null);
        public IReadOnlyList<CaseParticipantRecord>? Participants { get; set; }
        public IReadOnlyList<Partners.Tracks.CaseTrackRecord>? Tracks { get; set; }
    }

    private async Task<(DeliveryResult? Result, Planned? Plan)> PlanCaseAsync(int index, ReminderRecord reminder, CaseView? view, BatchPeople people, CancellationToken cancellationToken)
    {
        if (view is null || view.Case.IsClosed || view.Open is null || view.Open.Id != reminder.CaseStepId)
        {
            await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Cancelled, "The step it was for is done.", cancellationToken);
            return (new DeliveryResult(DeliveryOutcome.StepFinished, [], 0), null);
        }

        var c = view.Case;
        if (c.IsOnHold)
        {
            await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Paused, null, cancellationToken);
            return (new DeliveryResult(DeliveryOutcome.OnHold, [], 0), null);
        }

        Partners.Tracks.CaseTrackRecord? track = null;
        if (reminder.CaseTrackId is { } trackId)
        {
            // A track's notice is for the track's performer, in the partner's region, while the track runs.
            view.Tracks ??= await cases.GetTracksAsync(c.Id, cancellationToken);
            track = view.Tracks.FirstOrDefault(t => t.Id == trackId);
            if (track is not { IsOpen: true })
            {
                await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Cancelled, "The partner track it was for has ended.", cancellationToken);
                return (new DeliveryResult(DeliveryOutcome.StepFinished, [], 0), null);
            }
        }

        if (reminder.RecipientRole == "partner-broker" && track is null)
        {
            view.Participants ??= await cases.GetParticipantsAsync(c.Id, cancellationToken);
        }

        var recipients = await RecipientsAsync(reminder.RecipientRole, c, view.Participants ?? [], track, people, cancellationToken);
        var plan = await catalog.GetPlanAsync(c.DefinitionVersionId, cancellationToken);
        var stepName = plan.TryGetStep(reminder.StepKey, out var step) ? step.Name : reminder.StepKey;
        var text = track is null ? Text(reminder, c, stepName, view.Open) : TrackText(reminder, c, stepName);
        return (null, new Planned(index, reminder, c.Id, recipients, text, $"Nobody has the role {reminder.RecipientRole} for case {c.Reference}.", WithDeputies: true));
    }

    /// <summary>
    /// A training's expiry notice: to the broker and the coordinators of the broker's region (all coordinators when the
    /// region has none), while the completion is still the broker's newest of its module.
    /// </summary>
    private async Task<(DeliveryResult? Result, Planned? Plan)> PlanTrainingAsync(int index, ReminderRecord reminder, BatchPeople people, CancellationToken cancellationToken)
    {
        var completion = training is not null && reminder.SubjectId is { } completionId ? await training.GetCompletionAsync(completionId, cancellationToken) : null;
        if (training is null || completion is null)
        {
            await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Cancelled, "The training it was for is no longer recorded.", cancellationToken);
            return (new DeliveryResult(DeliveryOutcome.StepFinished, [], 0), null);
        }

        var newer = (await training.ListCompletionsAsync(completion.UserId, cancellationToken))
            .Any(c => c.ModuleId == completion.ModuleId && c.Id != completion.Id && c.CompletedOn > completion.CompletedOn);
        var broker = await users.FindByIdAsync(completion.UserId, cancellationToken);
        if (newer || broker is not { IsActive: true })
        {
            await reminders.SetStatusAsync(reminder.Id, ReminderStatus.Cancelled, newer ? "A newer completion of the module was recorded." : "The broker's account is deactivated.", cancellationToken);
            return (new DeliveryResult(DeliveryOutcome.StepFinished, [], 0), null);
        }

        var module = await training.GetModuleAsync(completion.ModuleId, cancellationToken);
        var moduleTitle = module?.Title ?? reminder.Description ?? "a training module";
        var coordinators = await people.InRoleAsync(Roles.Coordinator, null, cancellationToken);
        var regional = coordinators.Where(u => u.RegionCode == broker.RegionCode).ToList();
        var recipients = new List<UserAccount> { broker };
        recipients.AddRange(regional.Count > 0 ? regional : coordinators);
        var expires = completion.ExpiresOn is { } on ? TemplateArg.Date(on) : TemplateArg.Text("—");
        var text = new NotificationTemplate(
            TextTemplate.Of("Training expires {0}: {1} — {2}", expires, TemplateArg.Text(moduleTitle), TemplateArg.Text(broker.DisplayName)),
            TextTemplate.Of(
                "{0}'s training '{1}' (completed {2}) expires on {3}. Plan a refresher: a broker certified today stops being certified when a required training expires.",
                TemplateArg.Text(broker.DisplayName), TemplateArg.Text(moduleTitle), TemplateArg.Date(completion.CompletedOn), expires));
        return (null, new Planned(index, reminder, null, recipients, text, "Nobody to remind.", WithDeputies: false));
    }

    /// <summary>
    /// Writes the batch: the deputies of every recipient absent today read once (decision 0041: told after the
    /// recipients; a user who is a recipient in their own right gets the notice once, as a recipient), then every
    /// notification and every row's mark in one transaction.
    /// </summary>
    private async Task WriteAsync(List<Planned> planned, DeliveryResult?[] results, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var nobody = planned.Where(p => p.Recipients.Count == 0).ToList();
        foreach (var p in nobody)
        {
            await reminders.SetStatusAsync(p.Reminder.Id, ReminderStatus.Cancelled, p.Nobody, cancellationToken);
            results[p.Index] = new DeliveryResult(DeliveryOutcome.NoRecipient, [], 0);
        }

        planned.RemoveAll(p => p.Recipients.Count == 0);
        if (planned.Count == 0)
        {
            return;
        }

        // Absence is read now, at delivery, once for the whole batch.
        var absentees = planned.Where(p => p.WithDeputies).SelectMany(p => p.Recipients).DistinctBy(u => u.Id).ToList();
        var deputies = await Accounts.Absences.Deputies.ForAsync(absences, users, absentees, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        var rows = new List<NotificationRecord>();
        var keys = new Dictionary<int, List<string>>();
        foreach (var p in planned)
        {
            var ids = p.Recipients.Select(u => u.Id).ToHashSet();
            var theirs = p.WithDeputies ? deputies.Where(d => ids.Contains(d.AbsentUserId)) : [];
            var everyone = p.Recipients.Select(u => (User: u, For: (Accounts.Absences.Deputies.Added?)null)).Concat(theirs.Select(d => (User: d.Deputy, For: (Accounts.Absences.Deputies.Added?)d)));
            var mine = keys[p.Index] = [];
            foreach (var (user, deputising) in everyone.DistinctBy(r => r.User.Id))
            {
                var written = deputising is null ? p.Text : ForDeputy(p.Text, deputising);
                var key = $"reminder:{p.Reminder.Id:N}:{user.Id:N}";
                mine.Add(key);
                rows.Add(written.ApplyTo(new NotificationRecord
                {
                    Id = DeterministicId(key),
                    UserId = user.Id,
                    CaseId = p.CaseId,
                    Kind = p.Reminder.Kind,
                    Title = "",
                    Body = "",
                    DeliveryKey = key,
                    CreatedAt = now,
                    EmailDueAt = now,
                }));
            }
        }

        await ReachedAsync(DeliveryStep.Notified, planned);
        var added = await reminders.DeliverAsync(rows, [.. planned.Select(p => p.Reminder.Id)], now, cancellationToken);
        foreach (var p in planned)
        {
            var mine = keys[p.Index];
            results[p.Index] = new DeliveryResult(DeliveryOutcome.Delivered, [.. mine.Select(DeterministicId)], mine.Count(added.Contains));
        }

        await ReachedAsync(DeliveryStep.Marked, planned);
    }

    private async Task ReachedAsync(DeliveryStep step, List<Planned> planned)
    {
        if (Checkpoint is { } reached)
        {
            foreach (var p in planned)
            {
                await reached(step, p.Reminder.Id);
            }
        }
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
    private static async Task<IReadOnlyList<UserAccount>> RecipientsAsync(string role, CaseRecord c, IReadOnlyList<CaseParticipantRecord> participants, Partners.Tracks.CaseTrackRecord? track, BatchPeople people, CancellationToken cancellationToken)
    {
        switch (role)
        {
            case "broker" or "partner-broker" when track is not null:
                return await people.InRoleAsync(Roles.Broker, new HashSet<string>(StringComparer.Ordinal) { track.RegionCode }, cancellationToken);
            case "broker" when c.IsAudit:
                // An audit is owned by its evaluator; its broker steps are the brokers' of the audited strategy's region.
                return await people.InRoleAsync(Roles.Broker, new HashSet<string>(StringComparer.Ordinal) { c.RegionCode }, cancellationToken);
            case "broker":
            case "evaluator" when c.IsAudit:
                return await people.ActiveAsync(c.OwnerUserId, cancellationToken);
            case "partner-broker":
                var regions = participants.Where(p => p.Role == ParticipantRole.Partner && p.PipelineStatus != PipelineStatus.Declined && p.RegionCode != c.RegionCode)
                    .Select(p => p.RegionCode).ToHashSet(StringComparer.Ordinal);
                return await people.InRoleAsync(Roles.Broker, regions, cancellationToken);
            case "coordinator":
                // Escalations go to the coordinator of the case's (a track's: the partner's) region; without one, to every coordinator.
                var coordinators = await people.InRoleAsync(Roles.Coordinator, null, cancellationToken);
                var regional = coordinators.Where(u => u.CoveredRegions.Contains(track?.RegionCode ?? c.RegionCode, StringComparer.Ordinal)).ToList();
                return regional.Count > 0 ? regional : coordinators;
            case "evaluator":
                return await people.InRoleAsync(Roles.Evaluator, null, cancellationToken);
            default:
                return await people.InRoleAsync(Roles.Administrator, null, cancellationToken);
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
