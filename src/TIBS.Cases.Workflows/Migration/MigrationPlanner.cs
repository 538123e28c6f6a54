using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Migration;

/// <summary>A reminder row of a running case that has not been sent yet.</summary>
public sealed record PendingReminder(string Id, string StepKey, DateTimeOffset DueAt, string? Key = null);

/// <summary>
/// A running case as the planner needs it: where it is, which form fields of its current step hold data
/// (a draft or saved values), its pending reminders and when the current step started. <see cref="HeldFor"/> is the
/// time the current step has spent on hold and been resumed from (its due dates moved by that much);
/// <see cref="HoldStartedAt"/> is when a hold still going on began.
/// </summary>
public sealed record RunningCase(
    string CaseId,
    string CurrentState,
    IReadOnlyCollection<string> FormDataKeys,
    IReadOnlyList<PendingReminder> PendingReminders,
    DateTimeOffset? StepStartedAt = null,
    bool OnHold = false)
{
    public TimeSpan HeldFor { get; init; }

    public DateTimeOffset? HoldStartedAt { get; init; }

    /// <summary>The case's region (NUTS code): business days of the new schedule are counted on its calendar.</summary>
    public string? RegionCode { get; init; }

    /// <summary>The open partner tracks of the current step.</summary>
    public IReadOnlyList<RunningTrack> OpenTracks { get; init; } = [];

    /// <summary>The partners whose pipeline has not ended: each would get a track in a step that starts them.</summary>
    public IReadOnlyList<RunningPartner> Partners { get; init; } = [];
}

/// <summary>
/// What to plan: move <see cref="Cases"/> from plan <see cref="From"/> to plan <see cref="To"/>. Steps with
/// the same key map automatically; <see cref="StepMappings"/> (A step key → B step key) maps the others
/// and overrides same-key mapping; a key <c>step/state</c> maps a track state of that step to a track state of B. <see cref="AsOf"/> is "now" for the new reminder schedule.
/// </summary>
public sealed record MigrationRequest(
    WorkflowPlan From,
    WorkflowPlan To,
    IReadOnlyDictionary<string, string> StepMappings,
    IReadOnlyList<RunningCase> Cases,
    DateTimeOffset AsOf);

/// <summary>A reason the whole plan is rejected; <see cref="StepKey"/> and <see cref="CaseCount"/> say what it affects.</summary>
public sealed record MigrationPlanError(string? StepKey, int CaseCount, string Message)
{
    public override string ToString() => Message;
}

/// <summary>What happens to the reminders of a case.</summary>
public enum ReminderDecision
{
    /// <summary>Same step key and the same time plan: pending reminders stay as they are.</summary>
    Kept,
    /// <summary>Step or time plan changed: pending reminders are cancelled and the new step's schedule is created.</summary>
    Recreated,
}

/// <summary>The dry-run line for one case.</summary>
public sealed record CaseMigration(
    string CaseId,
    string FromStep,
    string ToStep,
    bool MappedExplicitly,
    IReadOnlyList<string> CarriedFields,
    IReadOnlyList<string> DroppedFields,
    ReminderDecision Reminders,
    IReadOnlyList<PendingReminder> KeptReminders,
    IReadOnlyList<PendingReminder> CancelledReminders,
    IReadOnlyList<ScheduledNotice> NewReminders,
    bool OnHold)
{
    /// <summary>Time on hold the new schedule keeps: due dates and reminders stay moved by it.</summary>
    public TimeSpan HeldFor { get; init; }

    /// <summary>What happens to the case's partner tracks.</summary>
    public TrackMigration Tracks { get; init; } = TrackMigration.None;

    /// <summary>The line in words, e.g. for the coordinator's dry-run page.</summary>
    /// <remarks>Made in the current UI language each time it is read: each clause is one sentence of the resources.</remarks>
    public string Summary
    {
        get
        {
            var clauses = new List<string>
            {
                MappedExplicitly ? Localized.Format("{0}: {1} → {2} (mapped)", CaseId, FromStep, ToStep) : Localized.Format("{0}: {1} → {2}", CaseId, FromStep, ToStep),
                Localized.Format("form data carried: {0}; dropped: {1}", List(CarriedFields), List(DroppedFields)),
                Reminders == ReminderDecision.Kept
                    ? Localized.Format("reminders kept ({0})", KeptReminders.Count)
                    : Localized.Format("reminders recreated ({0} cancelled, {1} new)", CancelledReminders.Count, NewReminders.Count),
            };
            if (HeldFor > TimeSpan.Zero)
            {
                clauses.Add(HeldFor.TotalDays >= 1
                    ? Localized.Format("due dates stay {0} day(s) later for the time on hold", Math.Round(HeldFor.TotalDays, 1))
                    : Localized.Format("due dates stay {0} hour(s) later for the time on hold", Math.Round(HeldFor.TotalHours, 1)));
            }

            if (OnHold)
            {
                clauses.Add(Localized.Text("stays on hold"));
            }

            if (Reminders == ReminderDecision.Recreated && (NewReminders.Any(n => n.Kind == NoticeKind.Timer) || CancelledReminders.Any(r => r.Key?.StartsWith(PlanTimer.KeyPrefix, StringComparison.Ordinal) == true)))
            {
                clauses.Add(Localized.Format("pending timers re-planned from the new version ({0} scheduled)", NewReminders.Count(n => n.Kind == NoticeKind.Timer)));
            }

            if (Tracks.Words.Length > 0)
            {
                clauses.Add(Tracks.Words);
            }

            return string.Join("; ", clauses);
        }
    }

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? Localized.Text("none") : string.Join(", ", items);
}

/// <summary>A case that is not moved, and why (it has ended).</summary>
public sealed record SkippedCase(string CaseId, string State, string Reason);

/// <summary>
/// The result of planning: either <see cref="Errors"/> (the plan is rejected as a whole and no case moves)
/// or, per case, what would happen.
/// </summary>
public sealed record MigrationPlan(
    IReadOnlyList<MigrationPlanError> Errors,
    IReadOnlyDictionary<string, string> EffectiveMappings,
    IReadOnlyList<CaseMigration> Cases,
    IReadOnlyList<SkippedCase> Skipped)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Plans the migration of running cases between two versions (pure: no I/O, no clock). A case always
/// stays at the corresponding step and never restarts from the beginning: an unmapped live step rejects
/// the plan instead, and an explicit mapping that would send a case back to the start step is an error.
/// </summary>
public static class MigrationPlanner
{
    public static MigrationPlan Plan(MigrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (from, to) = (request.From, request.To);
        var a = $"{from.Key} v{from.Version}";
        var b = $"{to.Key} v{to.Version}";
        var errors = new List<MigrationPlanError>();
        var stepMappings = request.StepMappings.Where(p => !TrackMigration.IsStateMapping(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var stateMappings = request.StepMappings.Where(p => TrackMigration.IsStateMapping(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        var live = request.Cases.Where(c => from.IsStep(c.CurrentState))
            .GroupBy(c => c.CurrentState, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int CasesIn(string step) => live.GetValueOrDefault(step);

        foreach (var c in request.Cases.Where(c => !from.Contains(c.CurrentState)))
        {
            errors.Add(new MigrationPlanError(c.CurrentState, 1,
                Localized.Format("Case {0} is in '{1}', which is neither a step nor an end state of {2}; it does not belong to this version.", c.CaseId, c.CurrentState, a)));
        }

        foreach (var (source, target) in stepMappings)
        {
            if (!from.IsStep(source))
            {
                errors.Add(new MigrationPlanError(source, 0, Localized.Format("The mapping from '{0}' cannot be used: '{0}' is not a step of {1}.", source, a)));
            }

            if (to.IsEndState(target))
            {
                errors.Add(new MigrationPlanError(source, CasesIn(source),
                    Localized.Format("'{0}' is mapped to '{1}', an end state of {2}; running cases can only be moved to a step.", source, target, b)));
            }
            else if (!to.IsStep(target))
            {
                errors.Add(new MigrationPlanError(source, CasesIn(source), Localized.Format("'{0}' is mapped to '{1}', which is not a step of {2}.", source, target, b)));
            }
            else if (from.IsStep(source) && source != from.StartStep.Key && target == to.StartStep.Key)
            {
                errors.Add(new MigrationPlanError(source, CasesIn(source),
                    Localized.Format("'{0}' is mapped to '{1}', the first step of {2}: that would send {3} running case(s) back to the beginning. Map it to the step that corresponds to '{0}'.", source, target, b, CasesIn(source))));
            }
        }

        var mappings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in from.Steps)
        {
            if (stepMappings.TryGetValue(step.Key, out var target))
            {
                mappings[step.Key] = target;
            }
            else if (to.IsStep(step.Key))
            {
                mappings[step.Key] = step.Key;
            }
        }

        foreach (var (step, count) in live.Where(p => !mappings.ContainsKey(p.Key)))
        {
            errors.Add(new MigrationPlanError(step, count,
                Localized.Format("Step '{0}' has {1} running case(s), but {2} has no step '{0}' and no mapping was given for it; map '{0}' to a step of {2}.", step, count, b)));
        }

        if (errors.Count == 0)
        {
            errors.AddRange(TrackMigrationPlanner.Check(from, to, stateMappings, stepMappings, request.Cases));
        }

        if (errors.Count > 0)
        {
            return new MigrationPlan(errors, mappings, [], []);
        }

        var migrations = new List<CaseMigration>();
        var skipped = new List<SkippedCase>();
        foreach (var c in request.Cases)
        {
            if (from.IsEndState(c.CurrentState))
            {
                skipped.Add(new SkippedCase(c.CaseId, c.CurrentState, Localized.Format("The case has ended ({0}) and stays on {1}.", c.CurrentState, a)));
                continue;
            }

            var target = mappings[c.CurrentState];
            var targetStep = to.GetStep(target);
            var fields = targetStep.Fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            var keys = c.FormDataKeys.Distinct(StringComparer.Ordinal).ToList();
            var keep = target == c.CurrentState && from.ScheduleSignature(c.CurrentState) == to.ScheduleSignature(target);
            // The new schedule keeps the time already spent on hold (as resuming does: every date moves by it). A case
            // still on hold gets the notices not yet sent when the hold began; resuming moves them by the rest.
            var notSentAfter = c.OnHold && c.HoldStartedAt is { } holdStart ? holdStart : request.AsOf;
            IReadOnlyList<ScheduledNotice> fresh = keep || c.StepStartedAt is not { } started
                ? []
                : [.. to.ScheduleFor(target, started, WorkingCalendars.ForRegion(c.RegionCode)).Select(n => n with { At = n.At + c.HeldFor }).Where(n => n.At > notSentAfter)];
            migrations.Add(new CaseMigration(
                c.CaseId,
                c.CurrentState,
                target,
                stepMappings.ContainsKey(c.CurrentState),
                [.. keys.Where(fields.Contains)],
                [.. keys.Where(k => !fields.Contains(k))],
                keep ? ReminderDecision.Kept : ReminderDecision.Recreated,
                keep ? c.PendingReminders : [],
                keep ? [] : c.PendingReminders,
                fresh,
                c.OnHold)
            { HeldFor = c.HeldFor, Tracks = TrackMigrationPlanner.Plan(c, from.GetStep(c.CurrentState), targetStep, stateMappings) });
        }

        return new MigrationPlan([], mappings, migrations, skipped);
    }
}
