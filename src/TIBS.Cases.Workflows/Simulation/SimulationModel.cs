using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>
/// How to simulate: <see cref="Walks"/> random walks from <see cref="Seed"/> (the same seed gives the same walks), or,
/// with <see cref="Script"/>, that one walk. Times start at <see cref="Start"/>; nothing reads the real clock.
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>The most walks one run may ask for.</summary>
    public const int MaxWalks = 100_000;

    public int Walks { get; init; } = 1000;

    public int Seed { get; init; } = 1;

    /// <summary>A walk that has not ended after this many steps is cut off (reported, not a finding).</summary>
    public int MaxStepsPerWalk { get; init; } = 200;

    /// <summary>When the simulated cases start (a Monday morning by default).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A scripted walk to follow instead of random walks (see <see cref="ScriptedWalk.Parse"/>).</summary>
    public ScriptedWalk? Script { get; init; }

    /// <summary>
    /// Codes the generated taxonomy values are drawn from, by taxonomy (<c>country</c>, <c>region</c>, <c>s3-area</c>,
    /// <c>nace</c>); <see cref="SimulationTaxonomies.Sample"/> when not given.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? TaxonomyCodes { get; init; }

    /// <summary>
    /// When an acting timer of a step fires, for a step started at the given moment; null when the simulator cannot tell
    /// (it is then listed as not simulated). When not given, its <c>after</c> is read as an ISO-8601 duration and
    /// business days (<c>P20BD</c>) are counted on the working calendar of the simulated case's country.
    /// </summary>
    public Func<TimerDefinition, DateTimeOffset, DateTimeOffset?>? TimerFiresAt { get; init; }
}

/// <summary>What the walks found.</summary>
public sealed record SimulationReport
{
    public required string DefinitionKey { get; init; }
    public required int Version { get; init; }
    public required int Walks { get; init; }
    public required int Seed { get; init; }
    public IReadOnlyList<StepVisits> Steps { get; init; } = [];
    public IReadOnlyList<OutcomeStatistics> Outcomes { get; init; } = [];
    public IReadOnlyList<DeadPath> DeadPaths { get; init; } = [];
    public IReadOnlyList<EndStateReached> EndStates { get; init; } = [];
    public IReadOnlyList<TimerStatistics> Timers { get; init; } = [];
    /// <summary>Steps where some walks found no outcome possible and the case could only be withdrawn.</summary>
    public IReadOnlyList<BlockedStep> Blocked { get; init; } = [];
    /// <summary>Walks cut off after <see cref="SimulationOptions.MaxStepsPerWalk"/> steps.</summary>
    public int CutOff { get; init; }
    public int Holds { get; init; }
    public int LongestWalk { get; init; }
    public double MedianWalk { get; init; }
    public ScriptedWalkResult? Script { get; init; }

    /// <summary>Outcomes that no walk could take, with the reasons.</summary>
    public IReadOnlyList<OutcomeStatistics> NeverPossible => [.. Outcomes.Where(o => o.Possible == 0)];

    /// <summary>Steps no walk reached.</summary>
    public IReadOnlyList<StepVisits> NeverVisited => [.. Steps.Where(s => s.Visits == 0)];

    /// <summary>
    /// True when the walks found something to fix: an outcome never possible, a step never reached or a dead path; for a
    /// scripted walk, an entry that was refused.
    /// </summary>
    public bool HasFindings => Script is { } script ? !script.Completed : NeverPossible.Count > 0 || NeverVisited.Count > 0 || DeadPaths.Count > 0 || NeverJoined.Count > 0;

    /// <summary>How the tracks of steps with <c>tracks:</c> ended (cancelled ones when a join fired while they were open).</summary>
    public IReadOnlyList<TrackEndStatistics> TrackEnds { get; init; } = [];

    /// <summary>The join rules of steps with tracks and how often each fired.</summary>
    public IReadOnlyList<JoinStatistics> Joins { get; init; } = [];

    /// <summary>Join rules of a step the walks reached that never fired, e.g. one that asks for more partners than ever answer.</summary>
    public IReadOnlyList<JoinStatistics> NeverJoined => [.. Joins.Where(j => j.Fired == 0 && j.Runs > 0)];
}

/// <summary>How many tracks of a step ended in a track end (or in a state, when they were cancelled there by the join).</summary>
public sealed record TrackEndStatistics(string StepKey, string Key, string Name, string Kind, int Tracks);

/// <summary>
/// A join rule of a step: how often it fired out of <see cref="Runs"/> runs of the step's tracks, and, when it never
/// did, how the tracks stood when the walks decided (most frequent first).
/// </summary>
public sealed record JoinStatistics(string StepKey, string StepName, string When, string Outcome, int Runs, int Fired, IReadOnlyList<ReasonCount> Reasons)
{
    /// <summary>The finding in words when the rule never fired although the walks ran the step's tracks; otherwise null.</summary>
    public string? Finding => Fired == 0 && Runs > 0
        ? Reasons.Count == 0
            ? Localized.Format("The join rule '{0}' of '{1}' (outcome '{2}') never fired in {3} run(s) of the step's tracks, so that outcome was never taken by the join.", When, StepName, Outcome, Runs)
            : Localized.Format("The join rule '{0}' of '{1}' (outcome '{2}') never fired in {3} run(s) of the step's tracks, so that outcome was never taken by the join; the tracks stood at: {4}.",
                When, StepName, Outcome, Runs, string.Join("; ", Reasons.Take(3).Select(r => Localized.Format("{0} ({1} time(s))", r.Reason, r.Count))))
        : null;
}

/// <summary>How often walks were in a step (<see cref="Visits"/> counts repeated visits; <see cref="Walks"/> does not).</summary>
public sealed record StepVisits(string Key, string Name, int Visits, int Walks);

/// <summary>
/// An outcome: how often it was possible when a walk decided at its step, how often it was taken, and when it was not
/// possible, the reasons (most frequent first).
/// </summary>
public sealed record OutcomeStatistics(string StepKey, string StepName, string Key, string Label, int Possible, int Taken, IReadOnlyList<ReasonCount> Reasons);

public sealed record ReasonCount(string Reason, int Count);

/// <summary>Walks stuck in <see cref="StepKey"/>: no outcome possible and no case action leading anywhere.</summary>
public sealed record DeadPath(string StepKey, string StepName, int Walks, IReadOnlyList<string> ExamplePath, IReadOnlyList<string> Reasons);

/// <summary>Walks that found no outcome possible in a step and ended with a case action (withdraw) instead.</summary>
public sealed record BlockedStep(string StepKey, string StepName, int Walks, IReadOnlyList<string> Reasons);

public sealed record EndStateReached(string Key, string Name, string Kind, int Walks);

/// <summary>
/// A reminder, due date, escalation, contributor's due date, check-in or acting timer that fired: how often, and how many
/// days after its step started (earliest, median) and after the case started (earliest).
/// </summary>
public sealed record TimerStatistics(string StepKey, string Kind, string Description, int Fired, double FirstDayInStep, double MedianDayInStep, double FirstDayOfCase);

/// <summary>One entry of a scripted walk as it went.</summary>
public sealed record ScriptedStepResult(int Index, string Step, string Action, bool Succeeded, string Message, double DayOfCase);

/// <summary>The scripted walk's course; <see cref="Completed"/> when every entry succeeded.</summary>
public sealed record ScriptedWalkResult(IReadOnlyList<ScriptedStepResult> Entries, string FinalState, bool Completed);
