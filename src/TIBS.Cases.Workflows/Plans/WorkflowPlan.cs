using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Plans;

/// <summary>Thrown by <see cref="WorkflowPlan.Compile"/> for an invalid definition; lists every problem.</summary>
internal sealed class WorkflowDefinitionException : Exception
{
    public WorkflowDefinitionException(IReadOnlyList<ValidationError> errors)
        : base(Format(errors)) => Errors = errors;

    public WorkflowDefinitionException()
        : this([])
    {
    }

    public WorkflowDefinitionException(string message)
        : base(message) => Errors = [new ValidationError("", message)];

    public WorkflowDefinitionException(string message, Exception innerException)
        : base(message, innerException) => Errors = [new ValidationError("", message)];

    public IReadOnlyList<ValidationError> Errors { get; } = [];

    private static string Format(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 0
            ? "The workflow definition is invalid."
            : $"The workflow definition has {errors.Count} problem(s):{Environment.NewLine}" +
              string.Join(Environment.NewLine, errors.Select(e => $"  {e}"));
}

/// <summary>
/// A validated, compiled, immutable workflow version with lookups. Compile once per published version
/// and cache it by version id; it is safe to share between threads.
/// </summary>
public sealed class WorkflowPlan
{
    private readonly Dictionary<string, PlanStep> _steps;
    private readonly Dictionary<string, PlanEndState> _endStates;
    private readonly Dictionary<string, PlanStage> _stages;
    private readonly Dictionary<string, PlanOutcome> _byTrigger;

    /// <summary>The decision tables, by key as expressions write it (<c>decision.&lt;key&gt;</c>, hyphens as underscores).</summary>
    public IReadOnlyDictionary<string, Expressions.DecisionTable> Decisions { get; }

    private WorkflowPlan(WorkflowDefinitionDocument document, string contentHash, IReadOnlyList<PlanStage> stages,
        IReadOnlyList<PlanStep> steps, IReadOnlyList<PlanEndState> endStates, IReadOnlyList<PlanCaseAction> caseActions,
        IReadOnlyList<PlanCheckIn> checkIns, string start)
    {
        Document = document;
        ContentHash = contentHash;
        Stages = stages;
        Steps = steps;
        EndStates = endStates;
        CaseActions = caseActions;
        CheckIns = checkIns;
        _steps = steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        Decisions = Expressions.DecisionTable.CompileAll(document);
        _endStates = endStates.ToDictionary(e => e.Key, StringComparer.Ordinal);
        _stages = stages.ToDictionary(s => s.Key, StringComparer.Ordinal);
        _byTrigger = steps.SelectMany(s => s.Outcomes).ToDictionary(o => o.Trigger, StringComparer.Ordinal);
        StartStep = _steps[start];
    }

    /// <summary>The document the plan was compiled from.</summary>
    public WorkflowDefinitionDocument Document { get; }

    public string Key => Document.Key;

    public string Name => Document.Name;

    public int Version => Document.Version;

    /// <summary>SHA-256 of the normalized content (see <see cref="WorkflowYamlWriter.ContentHash"/>).</summary>
    public string ContentHash { get; }

    public IReadOnlyList<PlanStage> Stages { get; }

    /// <summary>All steps, in the order of the definition.</summary>
    public IReadOnlyList<PlanStep> Steps { get; }

    public IReadOnlyList<PlanEndState> EndStates { get; }

    public IReadOnlyList<PlanCaseAction> CaseActions { get; }

    public IReadOnlyList<PlanCheckIn> CheckIns { get; }

    /// <summary>The step new cases start in.</summary>
    public PlanStep StartStep { get; }

    /// <summary>Validates and compiles; throws <see cref="WorkflowDefinitionException"/> listing every problem.</summary>
    public static WorkflowPlan Compile(WorkflowDefinitionDocument document) =>
        TryCompile(document, out var plan, out var errors) ? plan : throw new WorkflowDefinitionException(errors);

    /// <summary>Validates and compiles; on failure returns the validation errors.</summary>
    public static bool TryCompile(WorkflowDefinitionDocument document, [NotNullWhen(true)] out WorkflowPlan? plan, out IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(document);
        errors = WorkflowValidator.Validate(document);
        if (errors.Count > 0)
        {
            plan = null;
            return false;
        }

        plan = Build(document);
        return true;
    }

    public bool IsStep(string state) => _steps.ContainsKey(state);

    public bool IsEndState(string state) => _endStates.ContainsKey(state);

    /// <summary>True when <paramref name="state"/> is a step or an end state of this plan.</summary>
    public bool Contains(string state) => IsStep(state) || IsEndState(state);

    public PlanStep GetStep(string key) =>
        _steps.TryGetValue(key, out var step) ? step : throw new KeyNotFoundException($"'{key}' is not a step of {Key} v{Version}.");

    public bool TryGetStep(string key, [NotNullWhen(true)] out PlanStep? step) => _steps.TryGetValue(key, out step);

    public bool TryGetEndState(string key, [NotNullWhen(true)] out PlanEndState? endState) => _endStates.TryGetValue(key, out endState);

    public PlanStage GetStage(string key) => _stages[key];

    /// <summary>The stage a step belongs to.</summary>
    public PlanStage StageOf(string stepKey) => _stages[GetStep(stepKey).StageKey];

    public IReadOnlyList<PlanOutcome> OutcomesOf(string stepKey) => GetStep(stepKey).Outcomes;

    /// <summary>The distinct steps and end states the outcomes of a step lead to.</summary>
    public IReadOnlyList<string> NextStates(string stepKey) => [.. GetStep(stepKey).Outcomes.Select(o => o.Target).Distinct(StringComparer.Ordinal)];

    /// <summary>The role that completes a step.</summary>
    public WorkflowRole RoleFor(string stepKey) => GetStep(stepKey).Role;

    /// <summary>The outcome fired by a trigger <c>&lt;step&gt;:&lt;outcome&gt;</c>, if any.</summary>
    public PlanOutcome? FindOutcomeByTrigger(string trigger) => _byTrigger.GetValueOrDefault(trigger);

    public PlanCaseAction? GetCaseAction(CaseActionKind kind) => CaseActions.FirstOrDefault(a => a.Kind == kind);

    public PlanCaseAction? GetCaseAction(string key) => CaseActions.FirstOrDefault(a => a.Key == key);

    public IReadOnlyList<PlanCheckIn> CheckInsFor(string stepKey) => [.. CheckIns.Where(c => c.StepKey == stepKey)];

    /// <summary>Every notice (reminders, due, escalation, contributors' due, check-ins, timers) of a step started at a given time.</summary>
    public IReadOnlyList<ScheduledNotice> ScheduleFor(string stepKey, DateTimeOffset startedAt) => ScheduleFor(stepKey, startedAt, null);

    /// <summary>
    /// Every notice of a step started at a given time, business days (<c>P&lt;n&gt;BD</c>) counted on
    /// <paramref name="calendar"/>, the calendar of the case's region (weekdays only when null).
    /// </summary>
    public IReadOnlyList<ScheduledNotice> ScheduleFor(string stepKey, DateTimeOffset startedAt, WorkingCalendar? calendar)
    {
        var step = GetStep(stepKey);
        var notices = new List<ScheduledNotice>();
        for (var i = 0; i < step.Reminders.Count; i++)
        {
            var reminder = step.Reminders[i];
            notices.Add(new ScheduledNotice(NoticeKind.Reminder, $"reminder-{i + 1}", reminder.After.AddTo(startedAt, calendar), reminder.To,
                $"Reminder: '{step.Name}' started {reminder.After.ToWords()} ago"));
        }

        if (step.Due is { } due)
        {
            notices.Add(new ScheduledNotice(NoticeKind.Due, "due", due.AddTo(startedAt, calendar), step.Role, $"'{step.Name}' is due"));
        }

        if (step.Escalation is { } escalation)
        {
            notices.Add(new ScheduledNotice(NoticeKind.Escalation, "escalation", escalation.After.AddTo(startedAt, calendar), escalation.To,
                $"Escalation: '{step.Name}' is still open after {escalation.After.ToWords()}"));
        }

        for (var i = 0; i < step.Contributors.Count; i++)
        {
            if (step.Contributors[i].Due is { } contributorDue)
            {
                notices.Add(new ScheduledNotice(NoticeKind.ContributorDue, $"contributor-{i + 1}", contributorDue.AddTo(startedAt, calendar),
                    step.Contributors[i].Role, step.Contributors[i].Task));
            }
        }

        foreach (var timer in step.Timers)
        {
            notices.Add(new ScheduledNotice(NoticeKind.Timer, timer.Key, timer.After.AddTo(startedAt, calendar), timer.To ?? step.Role, timer.Describe(step)));
        }

        foreach (var checkIn in CheckInsFor(stepKey))
        {
            var occurrences = checkIn.Occurrences(startedAt);
            for (var k = 0; k < occurrences.Count; k++)
            {
                notices.Add(new ScheduledNotice(NoticeKind.CheckIn, string.Create(CultureInfo.InvariantCulture, $"check-in:{checkIn.Key}:{k + 1}"),
                    occurrences[k], checkIn.Role, $"{checkIn.Name} {k + 1} of {occurrences.Count}"));
            }
        }

        return [.. notices.OrderBy(n => n.At)];
    }

    /// <summary>
    /// The moment from which a <c>not-before</c> condition of step <paramref name="stepKey"/> is met, for a step started
    /// at <paramref name="stepStartedAt"/>: when its last check-in is due, or the condition's duration after the start.
    /// </summary>
    public DateTimeOffset NotBefore(string stepKey, PlanCondition condition, DateTimeOffset stepStartedAt)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.Value == ConditionCatalog.LastCheckIn)
        {
            var due = CheckInsFor(stepKey).SelectMany(c => c.Occurrences(stepStartedAt)).ToList();
            return due.Count == 0 ? stepStartedAt : due.Max();
        }

        return IsoDuration.Parse(condition.Value ?? "").AddTo(stepStartedAt);
    }

    /// <summary>
    /// A text that changes whenever the time plan of a step changes (due, reminders, escalation,
    /// contributors, check-ins); used to decide whether reminders can be kept when migrating.
    /// </summary>
    public string ScheduleSignature(string stepKey)
    {
        var step = GetStep(stepKey);
        var parts = new List<string> { $"due={step.Due}" };
        parts.AddRange(step.Reminders.Select(r => $"reminder={r.After}>{r.To}"));
        if (step.Escalation is { } e)
        {
            parts.Add($"escalation={e.After}>{e.To}");
        }

        parts.AddRange(step.Contributors.Select(c => $"contributor={c.Due}>{c.Role}"));
        parts.AddRange(step.Timers.Select(t => $"timer={t.After}:{t.Action.ToName()}>{t.To}|{t.OutcomeKey}|{t.Reason}"));
        parts.AddRange(CheckInsFor(stepKey).Select(c => $"check-in={c.Key}:{c.Every}/{c.For}>{c.Role}" + (c.Opens is { } opens ? $" opens {opens}" : "")));
        return string.Join(";", parts);
    }

    private static WorkflowPlan Build(WorkflowDefinitionDocument d)
    {
        var endStates = d.EndStates
            .Select(e => new PlanEndState(e.Key, e.Name, WorkflowNames.TryParseEndStateKind(e.Kind, out var kind) ? kind : EndStateKind.Failure, e.Description))
            .ToList();
        var endKeys = endStates.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var stages = new List<PlanStage>();
        var steps = new List<PlanStep>();
        foreach (var stage in d.Stages)
        {
            stages.Add(new PlanStage(stage.Key, stage.Name, stage.Description, [.. stage.Steps.Select(s => s.Key)]));
            foreach (var step in stage.Steps)
            {
                var role = Role(step.Role);
                steps.Add(new PlanStep(
                    step.Key,
                    step.Name,
                    step.Description,
                    role,
                    stage.Key,
                    steps.Count,
                    step.Due is null ? null : IsoDuration.Parse(step.Due),
                    [.. step.Reminders.Select(r => new PlanReminder(IsoDuration.Parse(r.After), r.To is null ? role : Role(r.To)))],
                    step.Escalation is null ? null : new PlanEscalation(IsoDuration.Parse(step.Escalation.After), Role(step.Escalation.To)),
                    [.. step.Contributors.Select(c => new PlanContributor(Role(c.Role), c.Task, c.Due is null ? null : IsoDuration.Parse(c.Due)))],
                    Fields(step.Form),
                    [.. step.Outcomes.Select(o => new PlanOutcome(step.Key, o.Key, o.Label, o.To, endKeys.Contains(o.To),
                        [.. o.Conditions.Select(c => Condition(c, step.Form))], o.RequiresReason))],
                    step.Tracks is null ? null : Tracks(step.Tracks))
                {
                    Timers = Timers(step.Timers),
                });
            }
        }

        var roleOfStep = steps.ToDictionary(s => s.Key, s => s.Role, StringComparer.Ordinal);
        var checkIns = d.CheckIns.Select(c => new PlanCheckIn(c.Key, c.Name, c.Step, IsoDuration.Parse(c.Every), IsoDuration.Parse(c.For),
            c.Role is null ? roleOfStep[c.Step] : Role(c.Role), Fields(c.Form), c.Opens is null ? null : IsoDuration.Parse(c.Opens))).ToList();
        var actions = d.CaseActions.Select(a => new PlanCaseAction(a.Key, a.Label,
            WorkflowNames.TryParseCaseActionKind(a.Kind, out var kind) ? kind : CaseActionKind.Reassign,
            a.To, [.. a.Roles.Select(Role)], a.RequiresReason)).ToList();
        var start = d.Start ?? steps[0].Key;
        return new WorkflowPlan(d, WorkflowYamlWriter.ContentHash(d), stages, steps, endStates, actions, checkIns, start);
    }

    private static PlanTracks Tracks(TracksDefinition t)
    {
        var role = Role(t.Role);
        var endKeys = t.Ends.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        return new PlanTracks(
            t.ForEach,
            role,
            t.Due is null ? null : IsoDuration.Parse(t.Due),
            [.. t.Reminders.Select(r => new PlanReminder(IsoDuration.Parse(r.After), r.To is null ? role : Role(r.To)))],
            t.Start ?? t.States[0].Key,
            [.. t.States.Select(s => new PlanTrackState(s.Key, s.Name, s.Description,
                [.. s.Outcomes.Select(o => new PlanTrackOutcome(o.Key, o.Label, o.To, endKeys.Contains(o.To)))], s.Timers)
            {
                Acting = Timers(s.Timers),
            })],
            [.. t.Ends.Select(e => new PlanTrackEnd(e.Key, e.Name, WorkflowNames.TryParseEndStateKind(e.Kind, out var kind) ? kind : EndStateKind.Failure))],
            [.. t.Join.Select(j => new PlanTrackJoin(j.When, j.Outcome))]);
    }

    private static List<PlanTimer> Timers(IReadOnlyList<TimerDefinition> timers) =>
    [
        .. timers.Select((t, i) => new PlanTimer(i, IsoDuration.Parse(t.After),
            TimerActions.TryParse(t.Action, out var action) ? action : TimerAction.Remind,
            t.To is null ? null : Role(t.To), t.Outcome, t.Reason)),
    ];

    private static WorkflowRole Role(string name) =>
        WorkflowNames.TryParseRole(name, out var role) ? role : throw new InvalidOperationException($"Unknown role '{name}'.");

    private static List<PlanField> Fields(IReadOnlyList<FieldDefinition> fields) =>
    [
        .. fields.Select(f => new PlanField(
            f.Key,
            f.Label,
            WorkflowNames.TryParseFieldType(f.Type, out var type) ? type : FieldType.Text,
            f.Required,
            f.Help,
            [.. f.Options.Select(o => new PlanOption(o.Value, o.Label ?? o.Value))],
            f.Taxonomy,
            f.Multiple,
            f.Min,
            f.Max,
            Fields(f.Columns),
            f.MaxLength)),
    ];

    private static PlanCondition Condition(ConditionRef c, IReadOnlyList<FieldDefinition> form)
    {
        ConditionCatalog.TryGet(c.Name, out var descriptor);
        int? count = int.TryParse(c.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var field = descriptor.Parameter switch
        {
            ConditionParameterKind.Field or ConditionParameterKind.FileField => c.Argument,
            ConditionParameterKind.FieldValue => c.Arguments?.GetValueOrDefault("field"),
            _ => null,
        };
        var value = descriptor.Parameter switch
        {
            ConditionParameterKind.FieldValue => c.Arguments?.GetValueOrDefault("value"),
            ConditionParameterKind.Moment => c.Argument,
            _ => null,
        };
        return new PlanCondition(c.Name, descriptor, ConditionCatalog.GuardName(c), ConditionCatalog.Describe(c, form),
            descriptor.Parameter == ConditionParameterKind.Count ? count : null, field, value,
            descriptor.Parameter == ConditionParameterKind.Expression ? WorkflowExpressions.Prepare(c.Argument) : null, c.Unmet)
        {
            Describer = () => ConditionCatalog.Describe(c, form),
        };
    }
}
