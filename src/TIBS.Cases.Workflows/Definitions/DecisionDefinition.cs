namespace TIBS.Cases.Workflows.Definitions;

/// <summary>
/// A decision table (a small DMN-like table): <see cref="Inputs"/> are expressions read from the case, each
/// <see cref="Rules"/> row has one cell per input and an output; <see cref="HitPolicy"/> <c>unique</c> (at most one rule
/// may match any input: overlaps are problems) or <c>first</c> (the first matching rule wins). Without
/// <see cref="Default"/>, every combination of inputs must be covered by a rule. Expressions read the result as
/// <c>decision.&lt;key&gt;</c>.
/// </summary>
public sealed record DecisionDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    /// <summary><c>unique</c> (default) or <c>first</c>.</summary>
    public string? HitPolicy { get; init; }
    public IReadOnlyList<DecisionInput> Inputs { get; init; } = [];
    public DecisionOutput? Output { get; init; }
    public IReadOnlyList<DecisionRule> Rules { get; init; } = [];
    /// <summary>The output when no rule matches; without it the rules must cover every input.</summary>
    public string? Default { get; init; }
}

/// <summary>An input of a decision table: a label, an expression and its kind (<c>number</c>, <c>text</c>, <c>date</c>, <c>boolean</c>).</summary>
public sealed record DecisionInput
{
    public string Label { get; init; } = "";
    public string Expression { get; init; } = "";
    public string Kind { get; init; } = "";
}

/// <summary>The output of a decision table: its kind (<c>text</c> by default, <c>number</c>, <c>boolean</c>) and allowed values.</summary>
public sealed record DecisionOutput
{
    public string? Kind { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
}

/// <summary>
/// A rule: one cell per input (<c>-</c> any value; a value; a comparison <c>&gt;= 10</c>; a range <c>10..250</c>; a list
/// <c>PL, LV</c>) and the output when every cell matches.
/// </summary>
public sealed record DecisionRule
{
    public IReadOnlyList<string> When { get; init; } = [];
    public string Then { get; init; } = "";
}
