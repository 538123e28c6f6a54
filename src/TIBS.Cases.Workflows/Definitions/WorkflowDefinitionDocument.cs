namespace TIBS.Cases.Workflows.Definitions;

// The definition document is a faithful, loosely typed picture of the YAML file: roles, field types,
// condition names and durations are kept as written, so that the validator can report every mistake
// with its path. WorkflowPlan.Compile turns a valid document into typed, immutable lookups.

/// <summary>A workflow definition as written in YAML (<c>workflows/&lt;key&gt;/v&lt;N&gt;.yaml</c>).</summary>
public sealed record WorkflowDefinitionDocument
{
    /// <summary>Stable key of the definition, e.g. <c>joint-smart-strategy</c>; the same for all versions.</summary>
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>Version number N (1, 2, …) of this document.</summary>
    public int Version { get; init; }
    public string? Description { get; init; }
    /// <summary>Key of the step new cases start in; when omitted, the first step of the first stage.</summary>
    public string? Start { get; init; }
    public IReadOnlyList<StageDefinition> Stages { get; init; } = [];
    public IReadOnlyList<EndStateDefinition> EndStates { get; init; } = [];
    /// <summary>Actions allowed in every active step: hold, resume, withdraw, reassign.</summary>
    public IReadOnlyList<CaseActionDefinition> CaseActions { get; init; } = [];
    /// <summary>Recurring check-ins scheduled while a case is in a given step.</summary>
    public IReadOnlyList<CheckInDefinition> CheckIns { get; init; } = [];
    /// <summary>Decision tables that expressions read as <c>decision.&lt;key&gt;</c> (see <see cref="DecisionDefinition"/>).</summary>
    public IReadOnlyList<DecisionDefinition> Decisions { get; init; } = [];
}

/// <summary>A stage (needs assessment, partner search, …) groups steps; drawn as a superstate.</summary>
public sealed record StageDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
}

/// <summary>One step of a case: who acts, what they record, how long it may take and where it leads.</summary>
public sealed record StepDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The role that completes the step (<c>broker</c>, <c>partner-broker</c>, <c>coordinator</c>, …).</summary>
    public string Role { get; init; } = "";
    public string? Description { get; init; }
    /// <summary>ISO-8601 duration after the step starts by which it should be done, e.g. <c>P5D</c>.</summary>
    public string? Due { get; init; }
    public IReadOnlyList<ReminderDefinition> Reminders { get; init; } = [];
    public EscalationDefinition? Escalation { get; init; }
    /// <summary>Other roles with a task of their own within the step (e.g. the partner broker acknowledges).</summary>
    public IReadOnlyList<ContributorDefinition> Contributors { get; init; } = [];
    public IReadOnlyList<FieldDefinition> Form { get; init; } = [];
    public IReadOnlyList<OutcomeDefinition> Outcomes { get; init; } = [];
    /// <summary>Timers that act while the step is open (escalate, reassign, take an outcome, hold).</summary>
    public IReadOnlyList<TimerDefinition> Timers { get; init; } = [];
    /// <summary>Parallel tracks the step runs (one per partner), joined back into one of the step's outcomes.</summary>
    public TracksDefinition? Tracks { get; init; }
}

/// <summary>
/// A timer that acts <see cref="After"/> its step (or partner track) started, unless the step has been left by then.
/// <see cref="After"/> is an ISO-8601 duration or <c>P&lt;n&gt;BD</c>: n business days on the calendar of the case's
/// region (weekends and that country's public holidays skipped). <see cref="Action"/> is one of
/// <c>remind</c> (to <see cref="To"/>), <c>escalate</c> (to the role <see cref="To"/>), <c>reassign</c> (to the region's
/// user in the role <see cref="To"/>), <c>outcome</c> (takes the outcome <see cref="Outcome"/> as the system) or
/// <c>hold</c> (puts the case on hold with <see cref="Reason"/>).
/// </summary>
public sealed record TimerDefinition
{
    public string After { get; init; } = "";
    public string Action { get; init; } = "";
    public string? To { get; init; }
    public string? Outcome { get; init; }
    public string? Reason { get; init; }
}

/// <summary>A reminder <see cref="After"/> the step starts, sent to <see cref="To"/> (default: the step's role).</summary>
public sealed record ReminderDefinition
{
    public string After { get; init; } = "";
    public string? To { get; init; }
}

/// <summary>When the step is still open <see cref="After"/> its start, the case is escalated to a role.</summary>
public sealed record EscalationDefinition
{
    public string After { get; init; } = "";
    public string To { get; init; } = "";
}

/// <summary>A task for another role inside a step, with its own due duration.</summary>
public sealed record ContributorDefinition
{
    public string Role { get; init; } = "";
    public string Task { get; init; } = "";
    public string? Due { get; init; }
}

/// <summary>A form field. <see cref="Type"/> is one of the names in <see cref="FieldTypes"/>.</summary>
public sealed record FieldDefinition
{
    public string Key { get; init; } = "";
    public string Label { get; init; } = "";
    public string Type { get; init; } = "";
    public bool Required { get; init; }
    public string? Help { get; init; }
    /// <summary>Options of a <c>choice</c> or <c>multi-choice</c> field.</summary>
    public IReadOnlyList<ChoiceOption> Options { get; init; } = [];
    /// <summary>Taxonomy of a <c>taxonomy</c> field: <c>s3-area</c>, <c>nace</c>, <c>region</c> or <c>country</c>.</summary>
    public string? Taxonomy { get; init; }
    /// <summary>Allows several values on <c>taxonomy</c>, <c>company</c> and <c>file</c> fields.</summary>
    public bool Multiple { get; init; }
    /// <summary>Smallest allowed value of a <c>number</c> field.</summary>
    public decimal? Min { get; init; }
    /// <summary>Largest allowed value of a <c>number</c> field.</summary>
    public decimal? Max { get; init; }
    /// <summary>
    /// Most characters a <c>text</c> or <c>textarea</c> field accepts; without it the type's default applies
    /// (<see cref="Forms.FieldLimits"/>).
    /// </summary>
    public int? MaxLength { get; init; }
    /// <summary>Columns of a <c>table</c> field (rows of values, e.g. joint actions).</summary>
    public IReadOnlyList<FieldDefinition> Columns { get; init; } = [];
}

/// <summary>An option of a choice field; <see cref="Label"/> defaults to <see cref="Value"/>.</summary>
public sealed record ChoiceOption
{
    public string Value { get; init; } = "";
    public string? Label { get; init; }
}

/// <summary>A way out of a step: to another step or an end state, allowed when all conditions are met.</summary>
public sealed record OutcomeDefinition
{
    public string Key { get; init; } = "";
    public string Label { get; init; } = "";
    /// <summary>Key of the next step or of an end state.</summary>
    public string To { get; init; } = "";
    public IReadOnlyList<ConditionRef> Conditions { get; init; } = [];
    /// <summary>Whoever chooses this outcome must say why (e.g. ending a follow-up early); the reason goes into the audit trail.</summary>
    public bool RequiresReason { get; init; }
}

/// <summary>
/// A condition by name from <see cref="Conditions.ConditionCatalog"/>, as written in YAML:
/// <c>form-complete</c>, <c>min-agreed-partners: 1</c> (<see cref="Argument"/> = "1") or
/// <c>field-equals: {field: eligible, value: yes}</c> (<see cref="Arguments"/>).
/// </summary>
public sealed record ConditionRef
{
    public string Name { get; init; } = "";
    public string? Argument { get; init; }
    public IReadOnlyDictionary<string, string>? Arguments { get; init; }

    /// <summary>
    /// What people read when an <c>expression</c> condition does not hold, written by the definition's author
    /// (<c>- { expression: "form.consent_date &lt;= today", unmet: The date of consent lies in the future. }</c>);
    /// without it the rule itself is shown.
    /// </summary>
    public string? Unmet { get; init; }
}

/// <summary>Where a case ends. <see cref="Kind"/> is <c>success</c> or <c>failure</c>.</summary>
public sealed record EndStateDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Description { get; init; }
}

/// <summary>A case-wide action. <see cref="Kind"/> is <c>hold</c>, <c>resume</c>, <c>withdraw</c> or <c>reassign</c>.</summary>
public sealed record CaseActionDefinition
{
    public string Key { get; init; } = "";
    public string Label { get; init; } = "";
    public string Kind { get; init; } = "";
    /// <summary>End state a <c>withdraw</c> action leads to.</summary>
    public string? To { get; init; }
    public IReadOnlyList<string> Roles { get; init; } = [];
    public bool RequiresReason { get; init; }
}

/// <summary>Check-ins <see cref="Every"/> period <see cref="For"/> a total time after <see cref="Step"/> starts.</summary>
public sealed record CheckInDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string Step { get; init; } = "";
    public string Every { get; init; } = "";
    public string For { get; init; } = "";
    /// <summary>
    /// ISO-8601 duration before each check-in's due date from which it may be recorded (e.g. <c>P14D</c>); without it
    /// a check-in may be recorded at any time while the step is open.
    /// </summary>
    public string? Opens { get; init; }
    /// <summary>Who records the check-in; default: the role of the step.</summary>
    public string? Role { get; init; }
    public IReadOnlyList<FieldDefinition> Form { get; init; } = [];
}
