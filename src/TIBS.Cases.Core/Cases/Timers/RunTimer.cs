using System.Text.Json.Nodes;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>What a timer did when it came to fire.</summary>
public enum TimerRunOutcome
{
    /// <summary>It acted: the case moved by the outcome, went on hold or was given to someone else.</summary>
    Acted,

    /// <summary>It could not act (conditions unmet, nobody in the role); that is recorded on the case and the step's role told.</summary>
    NotActed,

    /// <summary>The step it was for was left (or the case ended) first: it does nothing.</summary>
    StepLeft,

    /// <summary>It had already acted, or was cancelled: nothing more.</summary>
    AlreadyDone,

    /// <summary>The case is on hold: the timer waits (paused) and is moved by the time on hold when the case resumes.</summary>
    OnHold,

    /// <summary>A timer that only notifies (remind, escalate): delivered like a reminder.</summary>
    Notice,

    NotFound,
}

public sealed record TimerRunResult(TimerRunOutcome Outcome, string Message);

/// <summary>Names and kinds shared by the timer rows and their events.</summary>
internal static class CaseTimers
{
    /// <summary>Who the timeline says did what a timer did.</summary>
    public const string ActorName = "TIBS (timer)";

    /// <summary>Kind of the notice rows a timer leaves for people (given a case, could not act).</summary>
    public const string NoticeKind = "timer-notice";
}

/// <summary>
/// Runs one due timer row of a step (the one door for timers, whoever calls: the dispatcher job, a test): reassign,
/// take an outcome or put on hold, as the system ("TIBS (timer)"), in one transaction with the case's version check
/// and the row marked sent, audited on the case's chain like a user's action. A user's action that wins the race makes
/// the timer find its step left and do nothing; a timer that wins makes the user's write a normal conflict. A conflict
/// is retried from a fresh read, so a timer acts exactly once, also when run twice or after a crash (the row is read
/// after the case, so a run that sees the case after another run's write also sees the row sent).
/// </summary>
public sealed class RunTimer(CaseCommandContext context, IReminderStore reminders, IUserStore users, TakeTrackOutcome tracks)
{
    /// <summary>Reads and decides again this many times when someone else changed the case meanwhile.</summary>
    public int MaxAttempts { get; init; } = 8;

    public async Task<TimerRunResult> HandleAsync(Guid reminderId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TryAsync(reminderId, cancellationToken);
            if (result is not null)
            {
                return result;
            }

            if (attempt >= MaxAttempts)
            {
                throw new ConcurrencyConflictException("The case kept changing while a timer tried to act; the dispatcher tries again later.");
            }
        }
    }

    /// <summary>One read-decide-write; null when the case changed under it (read again).</summary>
    private async Task<TimerRunResult?> TryAsync(Guid reminderId, CancellationToken cancellationToken)
    {
        var first = await reminders.GetAsync(reminderId, cancellationToken);
        if (first?.CaseId is not { } caseId)
        {
            return new TimerRunResult(TimerRunOutcome.NotFound, "There is no such timer.");
        }

        var details = await context.ReadForSystemAsync(caseId, cancellationToken);
        var row = await reminders.GetAsync(reminderId, cancellationToken);
        if (row is null || row.Status is ReminderStatus.Sent or ReminderStatus.Cancelled)
        {
            return new TimerRunResult(TimerRunOutcome.AlreadyDone, "The timer has already acted or was cancelled.");
        }

        var open = details?.Steps.LastOrDefault(s => s.StepKey == details.Case.CurrentStep && s.CompletedAt is null);
        if (details is null || details.Case.IsClosed || open is null || open.Id != row.CaseStepId)
        {
            await reminders.SetStatusAsync(reminderId, ReminderStatus.Cancelled, "The step it was for is done.", cancellationToken);
            return new TimerRunResult(TimerRunOutcome.StepLeft, "The step was left before the timer came; it does nothing.");
        }

        if (details.Case.IsOnHold)
        {
            await reminders.SetStatusAsync(reminderId, ReminderStatus.Paused, null, cancellationToken);
            return new TimerRunResult(TimerRunOutcome.OnHold, "The case is on hold; the timer waits until it resumes.");
        }

        var step = details.Plan.GetStep(row.StepKey);
        if (row.CaseTrackId is { } trackId)
        {
            return await TrackTimerAsync(details, step, trackId, row, cancellationToken);
        }

        if (step.Timer(row.NoticeKey) is not { } timer)
        {
            await reminders.SetStatusAsync(reminderId, ReminderStatus.Cancelled, $"'{step.Name}' has no timer {row.NoticeKey} in this version.", cancellationToken);
            return new TimerRunResult(TimerRunOutcome.NotFound, $"'{step.Name}' has no timer {row.NoticeKey} in this version.");
        }

        if (!timer.Acts)
        {
            return new TimerRunResult(TimerRunOutcome.Notice, "The timer only notifies.");
        }

        var firing = new Firing(details, step, timer, row, context.Now());
        var (write, outcome, message) = timer.Action switch
        {
            TimerAction.Outcome => await TakeOutcomeAsync(firing, cancellationToken),
            TimerAction.Hold => Hold(firing),
            _ => await ReassignAsync(firing, cancellationToken),
        };
        var done = await context.CommitAsync(write with { FiredTimers = [(row.Id, firing.Now)] }, message, cancellationToken);
        return done.Status == CaseCommandStatus.Conflict ? null : new TimerRunResult(outcome, message);
    }

    /// <summary>
    /// A timer of a partner track's state: an outcome timer moves the track as the system through the track's one door
    /// (<see cref="TakeTrackOutcome"/>: guarded by the track's version, then the join); remind and escalate are notices
    /// to the track's performer. A track that has moved on (or ended) since the row was written makes it do nothing.
    /// </summary>
    private async Task<TimerRunResult?> TrackTimerAsync(CaseDetails details, PlanStep step, Guid trackId, ReminderRecord row, CancellationToken cancellationToken)
    {
        var track = details.Tracks.FirstOrDefault(t => t.Id == trackId);
        var partner = track is null ? null : details.Participants.FirstOrDefault(p => p.Id == track.ParticipantId);
        if (track is null || partner is null || step.Tracks is not { } planTracks || PartnerTracks.TimerOf(planTracks, track, row) is not { } timer)
        {
            await reminders.SetStatusAsync(row.Id, ReminderStatus.Cancelled, "The partner track it was for has moved on.", cancellationToken);
            return new TimerRunResult(TimerRunOutcome.StepLeft, "The partner track moved on before the timer came; it does nothing.");
        }

        if (timer.Action != TimerAction.Outcome)
        {
            return new TimerRunResult(TimerRunOutcome.Notice, "The timer only notifies.");
        }

        var moved = await tracks.TakeByTimerAsync(details, step, track, partner, timer, row.Id, cancellationToken);
        return moved.Status == CaseCommandStatus.Done ? new TimerRunResult(TimerRunOutcome.Acted, moved.Message) : null;
    }

    private sealed record Firing(CaseDetails Details, PlanStep Step, PlanTimer Timer, ReminderRecord Row, DateTimeOffset Now)
    {
        public CaseRecord Case => Details.Case;

        public JsonObject Data(string action) => new() { ["timer"] = Timer.Key, ["by"] = CaseTimers.ActorName, ["action"] = action, ["after"] = Timer.After.ToString() };

        /// <summary>A notice to people in <paramref name="role"/>, delivered by the dispatcher like a reminder (exactly once).</summary>
        public ReminderRecord Notice(string suffix, WorkflowRole role, string description) => new()
        {
            Id = Guid.CreateVersion7(Now),
            CaseId = Case.Id,
            CaseStepId = Row.CaseStepId,
            StepKey = Step.Key,
            NoticeKey = $"{Timer.Key}:{suffix}",
            Kind = CaseTimers.NoticeKind,
            RecipientRole = role.ToName(),
            DueAt = Timestamps.Normalize(Now),
            Status = ReminderStatus.Pending,
            Description = description,
            CreatedAt = Now,
        };

        /// <summary>The write that records that the timer could not act, and tells the step's role why.</summary>
        public (CaseWrite, TimerRunOutcome, string) NotActed(string action, string why)
        {
            var message = $"The timer of '{Step.Name}' could not {action}: {why}";
            var data = Data(Timer.Action.ToName());
            data["reason"] = why;
            var (advanced, evt) = Case.Record(Now, Actor.System, CaseEventKinds.TimerNotActed, Step.Key, data.ToJsonString());
            var write = new CaseWrite
            {
                Case = advanced,
                Before = Case,
                ExpectedVersion = Case.Version,
                Events = [evt],
                NewReminders = [Notice("not-acted", Step.Role, message)],
            };
            return (write, TimerRunOutcome.NotActed, message);
        }
    }

    private async Task<(CaseWrite, TimerRunOutcome, string)> TakeOutcomeAsync(Firing f, CancellationToken cancellationToken)
    {
        var outcome = f.Step.Outcome(f.Timer.OutcomeKey ?? "");
        var label = outcome?.Label ?? f.Timer.OutcomeKey;
        if (outcome is null)
        {
            return f.NotActed($"take the outcome '{label}'", "the step has no such outcome in this version.");
        }

        // The system fills in no form: the outcome's conditions are checked on what the case holds, as for a user.
        var evaluator = await context.EvaluatorAsync(f.Details, new Dictionary<string, FieldValue>(StringComparer.Ordinal), cancellationToken);
        var result = await new WorkflowRuntime(f.Details.Plan).CompleteStepAsync(f.Details.Snapshot, outcome.Key, evaluator, f.Timer.Reason, cancellationToken);
        if (!result.Succeeded)
        {
            var unmet = result.Unmet.Count > 0 ? string.Join("; ", result.Unmet.Select(u => u.Reason)) : result.Message;
            return f.NotActed($"take the outcome '{label}'", unmet);
        }

        var data = CompleteStep.EventData(f.Step.Key, outcome, result.After.State, "{}", outcome.RequiresReason ? f.Timer.Reason : null, [], f.Timer);
        var write = CompleteStep.Advance(f.Details, f.Step, outcome, result.After.State, Actor.System, f.Now, "{}", data, f.Case.Version);
        return (write with { CancelReminders = [.. write.CancelReminders.Where(id => id != f.Row.Id)] }, TimerRunOutcome.Acted,
            $"'{f.Step.Name}' was completed by its timer with '{label}' after {f.Timer.After.ToEnglishWords()}.");
    }

    private static (CaseWrite, TimerRunOutcome, string) Hold(Firing f)
    {
        var data = f.Data(CaseActionKind.Hold.ToName());
        data["label"] = "Put on hold";
        data["reason"] = f.Timer.Reason;
        var (advanced, evt) = f.Case.Record(f.Now, Actor.System, CaseEventKinds.CaseHold, f.Step.Key, data.ToJsonString());
        var write = new CaseWrite
        {
            Case = advanced with { Status = CaseStatus.OnHold, HoldStartedAt = f.Now },
            Before = f.Case,
            ExpectedVersion = f.Case.Version,
            Events = [evt],
            UpdateReminders = [.. f.Details.Reminders.Where(r => r.Status == ReminderStatus.Pending && r.Id != f.Row.Id).Select(r => (r.Id, ReminderStatus.Paused, r.DueAt))],
        };
        return (write, TimerRunOutcome.Acted, $"The case was put on hold by its timer after {f.Timer.After.ToEnglishWords()} at '{f.Step.Name}': {f.Timer.Reason}");
    }

    private async Task<(CaseWrite, TimerRunOutcome, string)> ReassignAsync(Firing f, CancellationToken cancellationToken)
    {
        var role = f.Timer.To ?? f.Step.Role;
        var accountRole = role switch
        {
            WorkflowRole.Coordinator => Roles.Coordinator,
            WorkflowRole.Evaluator => Roles.Evaluator,
            WorkflowRole.Administrator => Roles.Administrator,
            _ => Roles.Broker,
        };
        var candidates = await users.ListInRoleAsync(accountRole, [f.Case.RegionCode], cancellationToken: cancellationToken);
        var user = candidates.Where(u => u.IsActive).OrderBy(u => u.DisplayName, StringComparer.Ordinal).ThenBy(u => u.Id).FirstOrDefault();
        if (user is null)
        {
            return f.NotActed($"give the case to the region's {role.ToName()}", $"nobody is {role.ToName()} of the region {f.Case.RegionCode}.");
        }

        var data = f.Data(CaseActionKind.Reassign.ToName());
        data["label"] = "Reassign";
        data["from"] = f.Case.OwnerUserId.ToString();
        data["to"] = user.Id.ToString();
        var (advanced, evt) = f.Case.Record(f.Now, Actor.System, CaseEventKinds.CaseReassign, f.Step.Key, data.ToJsonString());
        var message = $"Case {f.Case.Reference} was given to {user.DisplayName}, the region's {role.ToName()}, by its timer: '{f.Step.Name}' was still open after {f.Timer.After.ToEnglishWords()}.";
        var write = new CaseWrite
        {
            Case = advanced with { OwnerUserId = user.Id },
            Before = f.Case,
            ExpectedVersion = f.Case.Version,
            Events = [evt],
            NewReminders = [f.Notice("reassigned", role, message)],
        };
        return (write, TimerRunOutcome.Acted, message);
    }
}
