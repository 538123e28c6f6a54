using System.Globalization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;

namespace TIBS.Cases.Workflows.Plans;

/// <summary>An outcome of a track state: to another state of the track, or to one of its ends.</summary>
public sealed record PlanTrackOutcome(string Key, string Label, string Target, bool LeadsToEnd);

/// <summary>A state of a track, with the outcomes its performer may take and its timers (as written).</summary>
public sealed record PlanTrackState(string Key, string Name, string? Description, IReadOnlyList<PlanTrackOutcome> Outcomes, IReadOnlyList<TimerDefinition> Timers)
{
    /// <summary>
    /// The state's timers, typed (<c>timer-1</c>, … in the order written): they run from the moment a track enters the
    /// state until it leaves it. Empty when the plan was made without them (a validator's scope).
    /// </summary>
    public IReadOnlyList<PlanTimer> Acting { get; init; } = [];

    public PlanTrackOutcome? Outcome(string key) => Outcomes.FirstOrDefault(o => o.Key == key);

    public PlanTimer? Timer(string key) => Acting.FirstOrDefault(t => t.Key == key);
}

/// <summary>Where a track ends, a success (e.g. agreed) or a failure (declined, no answer).</summary>
public sealed record PlanTrackEnd(string Key, string Name, EndStateKind Kind);

/// <summary>A join rule: when <see cref="When"/> holds, the step takes <see cref="Outcome"/>.</summary>
public sealed record PlanTrackJoin(string When, string Outcome);

/// <summary>
/// The parallel tracks of a step, typed. The counts a join rule sees are <c>tracks.total</c>, <c>tracks.open</c>
/// (not ended), <c>tracks.ended</c> and <c>tracks.&lt;key&gt;</c> for every state and end (hyphens as underscores).
/// </summary>
public sealed record PlanTracks(
    string ForEach,
    WorkflowRole Role,
    IsoDuration? Due,
    IReadOnlyList<PlanReminder> Reminders,
    string Start,
    IReadOnlyList<PlanTrackState> States,
    IReadOnlyList<PlanTrackEnd> Ends,
    IReadOnlyList<PlanTrackJoin> Join)
{
    /// <summary>Tracks run for each partner of the case.</summary>
    public const string ForEachPartner = "partner";

    public const string Total = "tracks.total";
    public const string Open = "tracks.open";
    public const string Ended = "tracks.ended";

    public PlanTrackState? State(string key) => States.FirstOrDefault(s => s.Key == key);

    public PlanTrackEnd? End(string key) => Ends.FirstOrDefault(e => e.Key == key);

    public bool IsEnd(string key) => Ends.Any(e => e.Key == key);

    /// <summary>
    /// The state a partner's track starts in: the state its pipeline status names when the tracks have such a state (a
    /// partner already interested when a running case moves onto a version with tracks goes on from there), otherwise
    /// <see cref="Start"/>.
    /// </summary>
    public string StartStateFor(string pipelineStatus) => State(pipelineStatus) is not null ? pipelineStatus : Start;

    /// <summary>The name of a state or end, for people; the key itself when neither has it.</summary>
    public string NameOf(string key) => State(key)?.Name ?? End(key)?.Name ?? key;

    /// <summary>The variable that counts the tracks in <paramref name="key"/> (a state or an end).</summary>
    public static string CountOf(string key) => "tracks." + key.Replace('-', '_');

    /// <summary>The variables a join rule may use, all numbers.</summary>
    public ExpressionScope Scope() => new(
        new[] { Total, Open, Ended }.Concat(States.Select(s => CountOf(s.Key))).Concat(Ends.Select(e => CountOf(e.Key)))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(v => v, _ => ExpressionValueKind.Number, StringComparer.Ordinal));

    /// <summary>The counts of tracks now in <paramref name="trackStates"/> (one state or end key per track), keyed like <see cref="Scope"/>.</summary>
    public IReadOnlyDictionary<string, object?> Counts(IReadOnlyCollection<string> trackStates)
    {
        var values = Scope().Variables.Keys.ToDictionary(k => k, _ => (object?)0m, StringComparer.Ordinal);
        var ended = trackStates.Count(IsEnd);
        values[Total] = (decimal)trackStates.Count;
        values[Ended] = (decimal)ended;
        values[Open] = (decimal)(trackStates.Count - ended);
        foreach (var group in trackStates.GroupBy(s => s, StringComparer.Ordinal))
        {
            values[CountOf(group.Key)] = (decimal)group.Count();
        }

        return values;
    }

    /// <summary>
    /// The first join rule that holds for tracks now in <paramref name="trackStates"/>, or null. A rule that cannot be
    /// evaluated does not hold (it never throws into the caller).
    /// </summary>
    public PlanTrackJoin? FirstJoinThatHolds(IReadOnlyCollection<string> trackStates, IExpressionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var counts = Counts(trackStates);
        return Join.FirstOrDefault(j => engine.Evaluate(j.When, counts).IsTrue);
    }

    /// <summary>The state or end an <c>outcome</c> timer of <paramref name="state"/> moves a track to, or null.</summary>
    public string? TimerTarget(PlanTrackState state, TimerDefinition timer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timer);
        return timer.Outcome is { } key ? Target(state, key) : null;
    }

    /// <summary>The state or end a typed <c>outcome</c> timer of <paramref name="state"/> moves a track to, or null.</summary>
    public string? TimerTarget(PlanTrackState state, PlanTimer timer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timer);
        return timer.Action != TimerAction.Outcome || timer.OutcomeKey is not { } key ? null : Target(state, key);
    }

    private string? Target(PlanTrackState state, string key) => state.Outcome(key)?.Target ?? (State(key) is not null || IsEnd(key) ? key : null);

    /// <summary>"3 tracks: 1 agreed, 2 open", for people.</summary>
    public string Summary(IReadOnlyCollection<string> trackStates) =>
        string.Create(CultureInfo.InvariantCulture, $"{trackStates.Count} track{(trackStates.Count == 1 ? "" : "s")}") +
        (trackStates.Count == 0 ? "" : ": " + string.Join(", ", trackStates.GroupBy(s => s, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {NameOf(g.Key).ToLowerInvariant()}"))));
}
