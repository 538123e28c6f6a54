namespace TIBS.Cases.Workflows.Definitions;

/// <summary>
/// Parallel tracks of a step: one small flow per item of a collection (today: per partner of the case), each with its
/// own performer, state, due date and reminders. The step continues by the first <see cref="Join"/> rule that holds
/// (as the system); the step's own outcomes stay available to its role, and leaving the step cancels open tracks.
/// </summary>
public sealed record TracksDefinition
{
    /// <summary>What a track runs for: <c>partner</c> (every partner shortlisted in the case, also those shortlisted later).</summary>
    public string ForEach { get; init; } = "";

    /// <summary>The performer of every track (e.g. <c>partner-broker</c>: the brokers of the partner's region).</summary>
    public string Role { get; init; } = "";

    /// <summary>ISO-8601 duration after a track starts by which it should have ended.</summary>
    public string? Due { get; init; }

    /// <summary>Reminders to the track's performer, after the track started.</summary>
    public IReadOnlyList<ReminderDefinition> Reminders { get; init; } = [];

    /// <summary>Key of the state every track starts in; when omitted, the first state.</summary>
    public string? Start { get; init; }

    public IReadOnlyList<TrackStateDefinition> States { get; init; } = [];

    /// <summary>Where a track can end; <see cref="EndStateDefinition.Kind"/> is <c>success</c> or <c>failure</c>.</summary>
    public IReadOnlyList<EndStateDefinition> Ends { get; init; } = [];

    /// <summary>Rules checked after every change of a track, in order; the first that holds makes the step take its outcome, once.</summary>
    public IReadOnlyList<TrackJoinDefinition> Join { get; init; } = [];
}

/// <summary>A state of a track, with the outcomes its performer may take (key, label and the next state or end).</summary>
public sealed record TrackStateDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }

    /// <summary>Ways on; only <see cref="OutcomeDefinition.Key"/>, <see cref="OutcomeDefinition.Label"/> and <see cref="OutcomeDefinition.To"/> are used.</summary>
    public IReadOnlyList<OutcomeDefinition> Outcomes { get; init; } = [];

    /// <summary>Timers of the state; an <c>outcome</c> timer names an outcome of this state, or a state or end of the track to move to.</summary>
    public IReadOnlyList<TimerDefinition> Timers { get; init; } = [];
}

/// <summary>
/// A join rule: when the expression <see cref="When"/> holds over the tracks' counts (<c>tracks.total</c>,
/// <c>tracks.open</c>, <c>tracks.ended</c> and one count per state and end key), the step takes <see cref="Outcome"/>.
/// </summary>
public sealed record TrackJoinDefinition
{
    public string When { get; init; } = "";
    public string Outcome { get; init; } = "";
}
