using System.Globalization;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Migration;

/// <summary>An open partner track of a running case: its id, the partner's name and the state it is in.</summary>
public sealed record RunningTrack(string TrackId, string Partner, string State);

/// <summary>A partner of a running case whose pipeline has not ended (it would get a track), with its pipeline status.</summary>
public sealed record RunningPartner(string Partner, string PipelineStatus);

/// <summary>What happens to the partner tracks of a case.</summary>
public enum TrackDecision
{
    /// <summary>Neither step runs tracks.</summary>
    None,
    /// <summary>The case stays in a step that runs tracks in both versions: the open tracks go on (in a mapped state where needed).</summary>
    Continue,
    /// <summary>The target step runs tracks and the case has none open: a track starts per partner, in the state its pipeline status names.</summary>
    Start,
    /// <summary>The target step runs no tracks: the open tracks are cancelled.</summary>
    Cancel,
    /// <summary>The case changes step: the open tracks of the old step are cancelled and the new step's tracks start.</summary>
    CancelAndStart,
}

/// <summary>An open track that continues, in <see cref="ToState"/> (the same state, or the one a mapping names).</summary>
public sealed record TrackMove(string TrackId, string Partner, string FromState, string ToState, bool Mapped);

/// <summary>A track that starts for a partner, in <see cref="State"/>.</summary>
public sealed record TrackStart(string Partner, string State);

/// <summary>The plan for a case's partner tracks, with <see cref="Words"/> for people.</summary>
public sealed record TrackMigration(
    TrackDecision Decision,
    IReadOnlyList<TrackMove> Continued,
    IReadOnlyList<RunningTrack> Cancelled,
    IReadOnlyList<TrackStart> Started,
    string Words)
{
    public static readonly TrackMigration None = new(TrackDecision.None, [], [], [], "");

    /// <summary>Mapping keys of the form <c>step/state</c> map a track state of a step; the others map steps.</summary>
    public const char StateSeparator = '/';

    public static bool IsStateMapping(string key) => key.Contains(StateSeparator, StringComparison.Ordinal);
}

/// <summary>
/// Plans what happens to running partner tracks (pure): a case that stays in a step with tracks in both versions keeps
/// its open tracks, each in its state or in the state a <c>step/state -> state</c> mapping names (a state the target's
/// tracks lack and no mapping covers rejects the plan, like an unmapped step); tracks start, in the state the partner's
/// pipeline status names, where the target step has tracks and none are open; open tracks are cancelled where the
/// target step runs none, or where the case changes step.
/// </summary>
internal static class TrackMigrationPlanner
{
    /// <summary>Problems of the <c>step/state</c> mappings and of open tracks in states the target version lacks.</summary>
    public static List<MigrationPlanError> Check(WorkflowPlan from, WorkflowPlan to, IReadOnlyDictionary<string, string> stateMappings, IReadOnlyDictionary<string, string> stepMappings, IEnumerable<RunningCase> cases)
    {
        var (a, b) = ($"{from.Key} v{from.Version}", $"{to.Key} v{to.Version}");
        var errors = new List<MigrationPlanError>();
        foreach (var (source, target) in stateMappings)
        {
            var parts = source.Split(TrackMigration.StateSeparator);
            var step = parts[0];
            var state = parts.Length == 2 ? parts[1] : "";
            var sourceTracks = from.IsStep(step) ? from.GetStep(step).Tracks : null;
            var targetTracks = to.IsStep(step) ? to.GetStep(step).Tracks : null;
            if (parts.Length != 2 || sourceTracks is null || sourceTracks.State(state) is null)
            {
                errors.Add(new MigrationPlanError(step, 0,
                    Localized.Format("The track mapping from '{0}' cannot be used: write it as step/state, with a step of {1} that runs tracks and one of its track states.", source, a)));
            }
            else if (targetTracks is null)
            {
                errors.Add(new MigrationPlanError(step, 0, Localized.Format("The track mapping from '{0}' cannot be used: step '{1}' of {2} runs no tracks (its open tracks are cancelled).", source, step, b)));
            }
            else if (targetTracks.State(target) is null)
            {
                errors.Add(new MigrationPlanError(step, 0, targetTracks.IsEnd(target)
                    ? Localized.Format("'{0}' is mapped to '{1}', an end of the tracks of '{2}' in {3}; open tracks can only be moved to a state ({4}).", source, target, step, b, States(targetTracks))
                    : Localized.Format("'{0}' is mapped to '{1}', which is not a track state of '{2}' in {3} ({4}).", source, target, step, b, States(targetTracks))));
            }
        }

        var lost = cases.Where(c => from.IsStep(c.CurrentState) && Target(c, stepMappings) == c.CurrentState && to.IsStep(c.CurrentState))
            .SelectMany(c => c.OpenTracks.Select(t => (Step: c.CurrentState, t.State)))
            .Where(t => to.GetStep(t.Step).Tracks is { } tracks && tracks.State(t.State) is null && !stateMappings.ContainsKey(Key(t.Step, t.State)))
            .GroupBy(t => t);
        foreach (var g in lost)
        {
            var tracks = to.GetStep(g.Key.Step).Tracks!;
            var name = from.GetStep(g.Key.Step).Tracks?.NameOf(g.Key.State) ?? g.Key.State;
            errors.Add(new MigrationPlanError(g.Key.Step, g.Count(),
                Localized.Format("Step '{0}' has {1} open partner track(s) in '{2}' ({3}), a state the tracks of '{0}' in {4} do not have; map it with a line '{5} -> state' ({6}).", g.Key.Step, g.Count(), name, g.Key.State, b, Key(g.Key.Step, g.Key.State), States(tracks))));
        }

        return errors;
    }

    /// <summary>What happens to the tracks of <paramref name="c"/>, moving from <paramref name="fromStep"/> to <paramref name="toStep"/>.</summary>
    public static TrackMigration Plan(RunningCase c, PlanStep fromStep, PlanStep toStep, IReadOnlyDictionary<string, string> stateMappings)
    {
        var (source, target) = (fromStep.Tracks, toStep.Tracks);
        var open = c.OpenTracks;
        if (target is null)
        {
            return open.Count == 0 ? TrackMigration.None : new TrackMigration(TrackDecision.Cancel, [], open, [],
                Localized.Format("{0} open partner track(s) cancelled ({1}): '{2}' runs no tracks in the new version", open.Count, Counts(open.Select(t => t.State), source), toStep.Key));
        }

        if (open.Count > 0 && fromStep.Key == toStep.Key)
        {
            var moves = open.Select(t => stateMappings.TryGetValue(Key(fromStep.Key, t.State), out var mapped) && target.State(t.State) is null
                ? new TrackMove(t.TrackId, t.Partner, t.State, mapped, true)
                : new TrackMove(t.TrackId, t.Partner, t.State, t.State, false)).ToList();
            var mappedWords = moves.Where(m => m.Mapped).GroupBy(m => (m.FromState, m.ToState))
                .Select(g => Localized.Format("{0} from '{1}' to '{2}' (mapped)", g.Count(), source?.NameOf(g.Key.FromState) ?? g.Key.FromState, target.NameOf(g.Key.ToState)));
            return new TrackMigration(TrackDecision.Continue, moves, [], [],
                Localized.Format("{0} open partner track(s) continue ({1})", open.Count, string.Join("; ", new[] { Counts(moves.Where(m => !m.Mapped).Select(m => m.ToState), target) }.Where(w => w.Length > 0).Concat(mappedWords))));
        }

        var starts = c.Partners.Select(p => new TrackStart(p.Partner, target.StartStateFor(p.PipelineStatus))).ToList();
        var startWords = starts.Count == 0
            ? Localized.Text("no partner track starts: no partner's pipeline is still open")
            : Localized.Format("{0} partner track(s) start in the state each partner's pipeline status names ({1})", starts.Count, Counts(starts.Select(s => s.State), target));
        return open.Count == 0
            ? new TrackMigration(TrackDecision.Start, [], [], starts, startWords)
            : new TrackMigration(TrackDecision.CancelAndStart, [], open, starts,
                Localized.Format("{0} open partner track(s) of '{1}' cancelled ({2}); {3}", open.Count, fromStep.Key, Counts(open.Select(t => t.State), source), startWords));
    }

    public static string Key(string step, string state) => step + TrackMigration.StateSeparator + state;

    private static string Target(RunningCase c, IReadOnlyDictionary<string, string> stepMappings) =>
        stepMappings.TryGetValue(c.CurrentState, out var mapped) ? mapped : c.CurrentState;

    private static string States(PlanTracks tracks) => Localized.Format("its states: {0}", string.Join(", ", tracks.States.Select(s => s.Key)));

    private static string Counts(IEnumerable<string> states, PlanTracks? tracks) =>
        string.Join(", ", states.GroupBy(s => s, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Localized.Format("{0} in '{1}'", g.Count(), tracks?.NameOf(g.Key) ?? g.Key)));
}
