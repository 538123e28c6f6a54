using Bogus;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>One track's step in a simulated run: at <see cref="At"/> the track moved to <see cref="To"/>, by a person or a timer.</summary>
internal readonly record struct TrackMove(int Track, DateTimeOffset At, string To, string? Timer);

/// <summary>How the tracks of one visit to a step went: the join rule that fired (and when), the track states then, the timers that fired.</summary>
internal sealed record TrackRun(PlanTrackJoin? Joined, DateTimeOffset At, IReadOnlyList<string> States, IReadOnlyList<TrackMove> TimerMoves, string Country);

/// <summary>
/// Simulates the parallel tracks of a step: 1 to 4 partners, each in a random programme country whose working calendar
/// counts the track timers' business days; every track walks its states, its performer answering at a random moment
/// with a random outcome unless a timer of the state fires first. After every move the join rules are checked with
/// the plan's own <see cref="PlanTracks.FirstJoinThatHolds"/>, as the runtime does; the first that holds ends the run
/// (open tracks are cancelled).
/// </summary>
internal sealed class SimulatedTracks(Faker faker)
{
    /// <summary>The most partners a simulated step has.</summary>
    public const int MaxPartners = 4;

    private const int MaxMovesPerTrack = 20;

    public TrackRun Run(PlanTracks tracks, DateTimeOffset start, int? partners = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var count = partners ?? faker.Random.Int(1, MaxPartners);
        var country = WorkingCalendars.Countries[faker.Random.Int(0, WorkingCalendars.Countries.Count - 1)];
        var calendar = WorkingCalendars.ForCountry(country);
        var moves = Enumerable.Range(0, count).SelectMany(t => Walk(tracks, t, start, calendar)).OrderBy(m => m.At).ThenBy(m => m.Track).ToList();
        var states = Enumerable.Repeat(tracks.Start, count).ToArray();
        var fired = new List<TrackMove>();
        var at = start;
        foreach (var move in moves)
        {
            states[move.Track] = move.To;
            at = move.At;
            if (move.Timer is not null)
            {
                fired.Add(move);
            }

            if (tracks.FirstJoinThatHolds(states, WorkflowExpressions.Engine) is { } join)
            {
                return new TrackRun(join, at, states, fired, country);
            }
        }

        return new TrackRun(tracks.FirstJoinThatHolds(states, WorkflowExpressions.Engine), at, states, fired, country);
    }

    // One track from its start state to an end: at each state the performer answers within 30 days, unless a timer fires first.
    private List<TrackMove> Walk(PlanTracks tracks, int track, DateTimeOffset start, WorkingCalendar calendar)
    {
        var moves = new List<TrackMove>();
        var entered = start;
        var key = tracks.Start;
        while (tracks.State(key) is { } state && moves.Count < MaxMovesPerTrack)
        {
            var answer = entered + TimeSpan.FromDays(faker.Random.Double(0.5, 30));
            var timers = state.Timers
                .Select(t => (Timer: t, At: IsoDuration.TryParse(t.After, out var d) ? d.AddTo(entered, calendar) : DateTimeOffset.MaxValue))
                .Where(t => t.At <= answer)
                .OrderBy(t => t.At)
                .ToList();
            string? next = null;
            foreach (var (timer, at) in timers)
            {
                var target = tracks.TimerTarget(state, timer);
                moves.Add(new TrackMove(track, at, target ?? key, Localized.Format("{0}: {1} after {2}", state.Name, timer.Action + (timer.Outcome is null ? "" : " " + timer.Outcome), timer.After)));
                if (target is not null)
                {
                    (next, entered) = (target, at);
                    break;
                }
            }

            if (next is null)
            {
                // Timers that only notify (remind, escalate, reassign, hold) are recorded; the performer still answers.
                if (state.Outcomes.Count == 0)
                {
                    break;
                }

                (next, entered) = (state.Outcomes[faker.Random.Int(0, state.Outcomes.Count - 1)].Target, answer);
                moves.Add(new TrackMove(track, answer, next, null));
            }

            key = next;
        }

        return moves;
    }
}
