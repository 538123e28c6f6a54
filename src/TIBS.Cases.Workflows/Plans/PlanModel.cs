using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Plans;

/// <summary>A stage of a compiled plan; <see cref="StateName"/> is its superstate in the state machine.</summary>
public sealed record PlanStage(string Key, string Name, string? Description, IReadOnlyList<string> StepKeys)
{
    /// <summary>The superstate name, <c>stage:&lt;key&gt;</c> (cannot clash with step keys, which have no colon).</summary>
    public string StateName => StateNames.Stage(Key);
}

/// <summary>An option of a choice field.</summary>
public sealed record PlanOption(string Value, string Label);

/// <summary>A typed form field.</summary>
public sealed record PlanField(
    string Key,
    string Label,
    FieldType Type,
    bool Required,
    string? Help,
    IReadOnlyList<PlanOption> Options,
    string? Taxonomy,
    bool Multiple,
    decimal? Min,
    decimal? Max,
    IReadOnlyList<PlanField> Columns,
    int? MaxLength = null);

/// <summary>
/// A condition of an outcome, resolved against the catalog. <see cref="GuardName"/> is what diagrams show
/// (<c>min-agreed-partners: 1</c>); <see cref="Description"/> says it in words for people, in the reader's language
/// when the plan was compiled from a definition (a compiled plan is kept for every request, so the words are made
/// when read). <see cref="Expression"/> is the text of an <c>expression</c> condition (see
/// <see cref="Expressions.ExpressionConditions"/>).
/// </summary>
public sealed record PlanCondition(
    string Name,
    ConditionDescriptor Descriptor,
    string GuardName,
    string Description,
    int? Count,
    string? Field,
    string? Value,
    string? Expression = null,
    string? Unmet = null)
{
    /// <summary>Makes <see cref="Description"/> in the current language each time it is read.</summary>
    internal Func<string>? Describer { get; init; }

    public string Description { get => Describer?.Invoke() ?? field; init => field = value; } = Description;

    public bool Equals(PlanCondition? other) =>
        other is not null && Name == other.Name && Descriptor.Name == other.Descriptor.Name && Descriptor.Parameter == other.Descriptor.Parameter && GuardName == other.GuardName && Description == other.Description
        && Count == other.Count && Field == other.Field && Value == other.Value && Expression == other.Expression && Unmet == other.Unmet;

    public override int GetHashCode() => HashCode.Combine(Name, GuardName, Count, Field, Value, Expression, Unmet);
}

/// <summary>An outcome of a step; <see cref="Trigger"/> (<c>&lt;step&gt;:&lt;outcome&gt;</c>) is unique in the plan.</summary>
public sealed record PlanOutcome(
    string StepKey,
    string Key,
    string Label,
    string Target,
    bool LeadsToEndState,
    IReadOnlyList<PlanCondition> Conditions,
    bool RequiresReason = false)
{
    public string Trigger => StateNames.OutcomeTrigger(StepKey, Key);
}

public sealed record PlanReminder(IsoDuration After, WorkflowRole To);

public sealed record PlanEscalation(IsoDuration After, WorkflowRole To);

public sealed record PlanContributor(WorkflowRole Role, string Task, IsoDuration? Due);

/// <summary>A step of a compiled plan, with typed role, durations, fields and outcomes.</summary>
public sealed record PlanStep(
    string Key,
    string Name,
    string? Description,
    WorkflowRole Role,
    string StageKey,
    int Index,
    IsoDuration? Due,
    IReadOnlyList<PlanReminder> Reminders,
    PlanEscalation? Escalation,
    IReadOnlyList<PlanContributor> Contributors,
    IReadOnlyList<PlanField> Fields,
    IReadOnlyList<PlanOutcome> Outcomes,
    PlanTracks? Tracks = null)
{
    public PlanField? Field(string key) => Fields.FirstOrDefault(f => f.Key == key);

    public PlanOutcome? Outcome(string key) => Outcomes.FirstOrDefault(o => o.Key == key);

    /// <summary>Timers that act while the step is open, in the order written.</summary>
    public IReadOnlyList<PlanTimer> Timers { get; init; } = [];

    /// <summary>The timer whose outbox row has the notice key <paramref name="key"/> (<c>timer-1</c>), if any.</summary>
    public PlanTimer? Timer(string key) => Timers.FirstOrDefault(t => t.Key == key);
}

public sealed record PlanEndState(string Key, string Name, EndStateKind Kind, string? Description);

/// <summary>A case-wide action; its trigger is <c>*:&lt;key&gt;</c> ("in any step").</summary>
public sealed record PlanCaseAction(
    string Key,
    string Label,
    CaseActionKind Kind,
    string? Target,
    IReadOnlyList<WorkflowRole> Roles,
    bool RequiresReason)
{
    public string Trigger => StateNames.CaseActionTrigger(Key);
}

/// <summary>Check-ins every <see cref="Every"/> for <see cref="For"/> after the step <see cref="StepKey"/> starts.</summary>
public sealed record PlanCheckIn(
    string Key,
    string Name,
    string StepKey,
    IsoDuration Every,
    IsoDuration For,
    WorkflowRole Role,
    IReadOnlyList<PlanField> Fields,
    IsoDuration? Opens = null)
{
    /// <summary>
    /// From when occurrence <paramref name="occurrence"/> (1-based) may be recorded: <see cref="Opens"/> before its due
    /// date, or when the step started if the definition sets no window.
    /// </summary>
    public DateTimeOffset OpensAt(DateTimeOffset stepStartedAt, int occurrence)
    {
        var due = Occurrences(stepStartedAt)[occurrence - 1];
        return Opens is { } window ? new IsoDuration(-window.Months, -window.Time).AddTo(due) : stepStartedAt;
    }

    /// <summary>
    /// When the check-ins fall due: start + k × every for k = 1, 2, … up to start + for. Months are
    /// multiplied before adding, so check-ins from 31 January fall on 30 April, 31 July, 31 October, 31 January.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Occurrences(DateTimeOffset stepStartedAt)
    {
        var end = For.AddTo(stepStartedAt);
        var result = new List<DateTimeOffset>();
        for (var k = 1; k <= 1000; k++)
        {
            var at = new IsoDuration(Every.Months * k, Every.Time * k).AddTo(stepStartedAt);
            if (at > end)
            {
                break;
            }

            result.Add(at);
        }

        return result;
    }
}

/// <summary>The kinds of time-based notices a step produces.</summary>
public enum NoticeKind
{
    Reminder,
    Due,
    Escalation,
    ContributorDue,
    CheckIn,
    Timer,
}

/// <summary>
/// One notice a step schedules when it starts; <see cref="Key"/> is unique within the step
/// (e.g. <c>reminder-1</c>, <c>check-in:quarterly:2</c>) so that rows can be made idempotent.
/// </summary>
public sealed record ScheduledNotice(NoticeKind Kind, string Key, DateTimeOffset At, WorkflowRole To, string Description);

/// <summary>Naming scheme of states and triggers in the state machine.</summary>
internal static class StateNames
{
    public static string Stage(string stageKey) => $"stage:{stageKey}";

    public static string OutcomeTrigger(string stepKey, string outcomeKey) => $"{stepKey}:{outcomeKey}";

    public static string CaseActionTrigger(string actionKey) => $"*:{actionKey}";
}
