using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>The rows a step brings with it when it starts: its step record and its reminder rows.</summary>
internal static class CaseSteps
{
    /// <summary>
    /// The reminder and timer rows of a step started at <paramref name="startedAt"/>; business days are counted on the
    /// calendar of the case's region <paramref name="regionCode"/>.
    /// </summary>
    public static IReadOnlyList<ReminderRecord> Schedule(WorkflowPlan plan, PlanStep step, CaseStepRecord stepRecord, DateTimeOffset startedAt, string? regionCode = null) =>
        [.. plan.ScheduleFor(step.Key, startedAt, WorkingCalendars.ForRegion(regionCode)).Select(n => new ReminderRecord
        {
            Id = Guid.CreateVersion7(startedAt),
            CaseId = stepRecord.CaseId,
            CaseStepId = stepRecord.Id,
            StepKey = step.Key,
            NoticeKey = n.Key,
            Kind = NoticeKindName(n.Kind),
            RecipientRole = n.To.ToName(),
            DueAt = Timestamps.Normalize(n.At),
            Status = ReminderStatus.Pending,
            Description = n.Description,
            CreatedAt = startedAt,
        })];

    public static string NoticeKindName(NoticeKind kind) => kind switch
    {
        NoticeKind.Reminder => "reminder",
        NoticeKind.Due => "due",
        NoticeKind.Escalation => "escalation",
        NoticeKind.ContributorDue => "contributor-due",
        NoticeKind.Timer => TimerKind,
        _ => "check-in",
    };

    /// <summary>The kind of the outbox rows of timers.</summary>
    public const string TimerKind = "timer";

    /// <summary>The record of a step started <paramref name="now"/>, due on the calendar of the case's region.</summary>
    public static CaseStepRecord NewStep(Guid caseId, PlanStep step, DateTimeOffset now, string? regionCode = null) => new()
    {
        Id = Guid.CreateVersion7(now),
        CaseId = caseId,
        StepKey = step.Key,
        StageKey = step.StageKey,
        StartedAt = now,
        DueAt = step.Due is { } due ? Timestamps.Normalize(due.AddTo(now, WorkingCalendars.ForRegion(regionCode))) : null,
    };

    /// <summary>
    /// The open record of the current step. The case row and its step records may be read one after the other, so a
    /// concurrent completion can show up as a missing record: that is a conflict, reported as one.
    /// </summary>
    internal static CaseStepRecord CurrentStepRecord(CaseDetails details) =>
        details.Steps.LastOrDefault(s => s.StepKey == details.Case.CurrentStep && s.CompletedAt is null)
        ?? throw new ConcurrencyConflictException($"Case {details.Case.Reference} moved on while it was being read.");

    /// <summary>
    /// Moves a step's completion (<paramref name="write"/>, whose case carries the completion's event) on to
    /// <paramref name="target"/>: the partner tracks still open in the step left are cancelled (<paramref name="why"/>), then
    /// the next step starts with its record, reminders and, if it runs them, a track per partner; or the case ends.
    /// </summary>
    internal static CaseWrite MoveTo(CaseWrite write, CaseDetails details, string target, Actor actor, DateTimeOffset now, string why)
    {
        write = Partners.Tracks.PartnerTracks.CancelOpen(write, details, actor, now, $"the step was left: {why}");
        var updated = write.Case;
        if (!details.Plan.TryGetStep(target, out var next))
        {
            return write with
            {
                Case = updated with { CurrentStep = target, CurrentStage = null, Status = CaseStatus.Closed, ClosedAt = now, StepStartedAt = now, StepDueAt = null },
            };
        }

        var nextRecord = NewStep(details.Case.Id, next, now, details.Case.RegionCode);
        write = write with
        {
            Case = updated with { CurrentStep = next.Key, CurrentStage = next.StageKey, StepStartedAt = now, StepDueAt = nextRecord.DueAt },
            StartedSteps = [.. write.StartedSteps, nextRecord],
            NewReminders = [.. write.NewReminders, .. Schedule(details.Plan, next, nextRecord, now, details.Case.RegionCode)],
        };
        return next.Tracks is null ? write : Partners.Tracks.PartnerTracks.Start(write, next, nextRecord.Id, details.Participants, actor, now);
    }

    internal static IReadOnlyList<Guid> PendingReminderIds(CaseDetails details, Guid stepRecordId) =>
        [.. details.Reminders.Where(r => r.CaseStepId == stepRecordId && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id)];
}
