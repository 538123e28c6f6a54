using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Diagrams;

public static partial class WorkflowDiagram
{
    /// <summary>
    /// The lines written under a step's name in its box: its parallel tracks (performer, states, ends, the track timers
    /// and the join rules) and its acting timers, in words; none for a plain step.
    /// </summary>
    public static IReadOnlyList<string> StepNotes(PlanStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var notes = new List<string>();
        if (step.Tracks is { } tracks)
        {
            notes.Add(tracks.Due is { } due
                ? Localized.Format("One track per {0}, by the {1}, due in {2}", tracks.ForEach, tracks.Role.ToName(), due.ToWords())
                : Localized.Format("One track per {0}, by the {1}", tracks.ForEach, tracks.Role.ToName()));
            notes.Add(Localized.Format("Track states: {0}; ends: {1}", string.Join(", ", tracks.States.Select(s => s.Name)), string.Join(", ", tracks.Ends.Select(e => e.Name))));
            foreach (var state in tracks.States)
            {
                notes.AddRange(state.Timers.Select(t => Localized.Format("{0}, after {1}: {2}", state.Name, Words(t.After), TrackTimer(tracks, state, t))));
            }

            notes.AddRange(tracks.Join.Select(j => Localized.Format("Join when {0}: {1}", j.When, step.Outcome(j.Outcome)?.Label ?? j.Outcome)));
        }

        notes.AddRange(step.Timers.Select(t => TimerNote(step, t)));
        return notes;
    }

    /// <summary>What a step's timer does, in the reader's language, under the step's name.</summary>
    private static string TimerNote(PlanStep step, PlanTimer timer)
    {
        var role = (timer.To ?? step.Role).ToName();
        var after = timer.After.ToWords();
        return timer.Action switch
        {
            TimerAction.Remind => Localized.Format("After {0}: remind the {1}", after, role),
            TimerAction.Escalate => Localized.Format("After {0}: escalate to the {1}", after, role),
            TimerAction.Reassign => Localized.Format("After {0}: give the case to the region's {1}", after, role),
            TimerAction.Outcome => Localized.Format("After {0}: take the outcome “{1}”", after, step.Outcome(timer.OutcomeKey ?? "")?.Label ?? timer.OutcomeKey),
            _ => Localized.Format("After {0}: put the case on hold ({1})", after, timer.Reason),
        };
    }

    private static string Words(string after) => IsoDuration.TryParse(after, out var d) ? d.ToWords() : after;

    private static string TrackTimer(PlanTracks tracks, PlanTrackState state, TimerDefinition timer) =>
        tracks.TimerTarget(state, timer) is { } target ? tracks.NameOf(target).ToLowerInvariant() : timer.Action;
}
