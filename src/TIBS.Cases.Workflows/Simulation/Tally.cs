using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>Counts what the walks saw and turns it into a <see cref="SimulationReport"/> in the plan's order.</summary>
internal sealed class Tally
{
    private const int ReasonsKept = 3;

    private readonly Dictionary<string, (int Visits, int Walks)> _visits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Possible, int Taken, Dictionary<string, int> Reasons)> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Walks, IReadOnlyList<string> Path, HashSet<string> Reasons)> _dead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Walks, HashSet<string> Reasons)> _blocked = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Step, string Kind, string Description), List<(double InStep, double OfCase)>> _timers = [];

    private readonly Dictionary<(string Step, string Key), int> _trackEnds = [];
    private readonly Dictionary<(string Step, int Rule), (int Runs, int Fired, Dictionary<string, int> Reasons)> _joins = [];

    public List<int> Lengths { get; } = [];

    public int CutOff { get; set; }

    public int Holds { get; set; }

    public void Visit(string step, bool firstInWalk)
    {
        var (visits, walks) = _visits.GetValueOrDefault(step);
        _visits[step] = (visits + 1, walks + (firstInWalk ? 1 : 0));
    }

    public void Offer(PlanStep step, AvailableAction action)
    {
        var entry = Outcome(step.Key, action.Key);
        if (action.IsAllowed)
        {
            _outcomes[Key(step.Key, action.Key)] = entry with { Possible = entry.Possible + 1 };
            return;
        }

        foreach (var unmet in action.Unmet)
        {
            entry.Reasons[unmet.Reason] = entry.Reasons.GetValueOrDefault(unmet.Reason) + 1;
        }
    }

    public void Take(PlanOutcome outcome)
    {
        var entry = Outcome(outcome.StepKey, outcome.Key);
        _outcomes[Key(outcome.StepKey, outcome.Key)] = entry with { Taken = entry.Taken + 1, Possible = Math.Max(entry.Possible, entry.Taken + 1) };
    }

    public void End(string endState) => _ends[endState] = _ends.GetValueOrDefault(endState) + 1;

    public void Dead(string step, IReadOnlyList<string> path, IEnumerable<string> reasons)
    {
        var (walks, example, known) = _dead.GetValueOrDefault(step, (0, [.. path], new HashSet<string>(StringComparer.Ordinal)));
        known.UnionWith(reasons);
        _dead[step] = (walks + 1, example, known);
    }

    public void Block(string step, IEnumerable<string> reasons)
    {
        var (walks, known) = _blocked.GetValueOrDefault(step, (0, new HashSet<string>(StringComparer.Ordinal)));
        known.UnionWith(reasons);
        _blocked[step] = (walks + 1, known);
    }

    public void Timer(string step, string kind, string description, double dayInStep, double dayOfCase)
    {
        if (!_timers.TryGetValue((step, kind, description), out var list))
        {
            _timers[(step, kind, description)] = list = [];
        }

        list.Add((dayInStep, dayOfCase));
    }

    /// <summary>One run of a step's tracks: where each track stood when it was over, and which join rule fired.</summary>
    public void Tracks(PlanStep step, PlanTracks tracks, TrackRun run)
    {
        foreach (var state in run.States)
        {
            _trackEnds[(step.Key, state)] = _trackEnds.GetValueOrDefault((step.Key, state)) + 1;
        }

        var summary = tracks.Summary(run.States);
        for (var i = 0; i < tracks.Join.Count; i++)
        {
            var (runs, fired, reasons) = _joins.GetValueOrDefault((step.Key, i), (0, 0, new Dictionary<string, int>(StringComparer.Ordinal)));
            var firedNow = run.Joined == tracks.Join[i];
            if (!firedNow)
            {
                reasons[summary] = reasons.GetValueOrDefault(summary) + 1;
                var why = Localized.Format("The join rule '{0}' did not hold ({1}).", tracks.Join[i].When, summary);
                var outcome = Outcome(step.Key, tracks.Join[i].Outcome).Reasons;
                outcome[why] = outcome.GetValueOrDefault(why) + 1;
            }

            _joins[(step.Key, i)] = (runs + 1, fired + (firedNow ? 1 : 0), reasons);
        }
    }

    public SimulationReport Report(WorkflowPlan plan, int walks, int seed, ScriptedWalkResult? script)
    {
        var lengths = Lengths.Order().ToList();
        return new SimulationReport
        {
            DefinitionKey = plan.Key,
            Version = plan.Version,
            Walks = walks,
            Seed = seed,
            Script = script,
            Steps = [.. plan.Steps.Select(s => _visits.GetValueOrDefault(s.Key) is var v ? new StepVisits(s.Key, s.Name, v.Visits, v.Walks) : null!)],
            Outcomes = [.. plan.Steps.SelectMany(s => s.Outcomes.Select(o => Statistics(s, o)))],
            EndStates = [.. plan.EndStates.Select(e => new EndStateReached(e.Key, e.Name, e.Kind.ToString().ToLowerInvariant(), _ends.GetValueOrDefault(e.Key)))],
            DeadPaths = [.. plan.Steps.Where(s => _dead.ContainsKey(s.Key)).Select(s => _dead[s.Key] is var d ? new DeadPath(s.Key, s.Name, d.Walks, d.Path, [.. d.Reasons.Order(StringComparer.Ordinal)]) : null!)],
            Blocked = [.. plan.Steps.Where(s => _blocked.ContainsKey(s.Key)).Select(s => _blocked[s.Key] is var b ? new BlockedStep(s.Key, s.Name, b.Walks, [.. b.Reasons.Order(StringComparer.Ordinal).Take(6)]) : null!)],
            Timers = [.. _timers
                .OrderBy(t => plan.TryGetStep(t.Key.Step, out var s) ? s.Index : int.MaxValue)
                .ThenBy(t => t.Value.Min(x => x.InStep))
                .Select(t => new TimerStatistics(t.Key.Step, t.Key.Kind, t.Key.Description, t.Value.Count(x => x.OfCase >= 0),
                    Math.Round(t.Value.Min(x => x.InStep), 1), Math.Round(Median([.. t.Value.Select(x => x.InStep).Order()]), 1), Math.Round(t.Value.Min(x => x.OfCase), 1)))],
            TrackEnds = [.. plan.Steps.Where(s => s.Tracks is not null).SelectMany(s => TrackEnds(s, s.Tracks!))],
            Joins = [.. plan.Steps.Where(s => s.Tracks is not null).SelectMany(s => s.Tracks!.Join.Select((j, i) => Join(s, j, i)))],
            CutOff = CutOff,
            Holds = Holds,
            LongestWalk = lengths.Count == 0 ? 0 : lengths[^1],
            MedianWalk = Median([.. lengths.Select(l => (double)l)]),
        };
    }

    private IEnumerable<TrackEndStatistics> TrackEnds(PlanStep step, PlanTracks tracks) =>
        tracks.Ends.Select(e => new TrackEndStatistics(step.Key, e.Key, e.Name, e.Kind.ToString().ToLowerInvariant(), _trackEnds.GetValueOrDefault((step.Key, e.Key))))
            .Concat(tracks.States.Where(s => _trackEnds.ContainsKey((step.Key, s.Key)))
                .Select(s => new TrackEndStatistics(step.Key, s.Key, s.Name, "cancelled", _trackEnds[(step.Key, s.Key)])));

    private JoinStatistics Join(PlanStep step, PlanTrackJoin join, int index)
    {
        var (runs, fired, reasons) = _joins.GetValueOrDefault((step.Key, index), (0, 0, new Dictionary<string, int>(StringComparer.Ordinal)));
        IReadOnlyList<ReasonCount> why = fired > 0 ? [] : [.. reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(ReasonsKept).Select(r => new ReasonCount(r.Key, r.Value))];
        return new JoinStatistics(step.Key, step.Name, join.When, join.Outcome, runs, fired, why);
    }

    private OutcomeStatistics Statistics(PlanStep step, PlanOutcome outcome)
    {
        var (possible, taken, reasons) = Outcome(step.Key, outcome.Key);
        IReadOnlyList<ReasonCount> why = possible > 0 ? [] : _visits.ContainsKey(step.Key)
            ? [.. reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(ReasonsKept).Select(r => new ReasonCount(r.Key, r.Value))]
            : [new ReasonCount(Localized.Format("No walk reached the step '{0}'.", step.Name), 0)];
        return new OutcomeStatistics(step.Key, step.Name, outcome.Key, outcome.Label, possible, taken, why);
    }

    private (int Possible, int Taken, Dictionary<string, int> Reasons) Outcome(string step, string outcome)
    {
        var key = Key(step, outcome);
        if (!_outcomes.TryGetValue(key, out var entry))
        {
            _outcomes[key] = entry = (0, 0, new Dictionary<string, int>(StringComparer.Ordinal));
        }

        return entry;
    }

    private static string Key(string step, string outcome) => step + ":" + outcome;

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
