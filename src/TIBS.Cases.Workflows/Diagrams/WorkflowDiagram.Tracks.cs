using TIBS.Cases.Workflows.Definitions;
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
            notes.Add($"One track per {tracks.ForEach}, by the {tracks.Role.ToName()}{(tracks.Due is { } due ? $", due in {due.ToWords()}" : "")}");
            notes.Add($"Track states: {string.Join(", ", tracks.States.Select(s => s.Name))}; ends: {string.Join(", ", tracks.Ends.Select(e => e.Name))}");
            foreach (var state in tracks.States)
            {
                notes.AddRange(state.Timers.Select(t => $"{state.Name}, after {Words(t.After)}: {TrackTimer(tracks, state, t)}"));
            }

            notes.AddRange(tracks.Join.Select(j => $"Join when {j.When}: {step.Outcome(j.Outcome)?.Label ?? j.Outcome}"));
        }

        notes.AddRange(step.Timers.Select(t => t.Describe(step).Replace($" at '{step.Name}'", "", StringComparison.Ordinal)));
        return notes;
    }

    private static string Words(string after) => IsoDuration.TryParse(after, out var d) ? d.ToWords() : after;

    private static string TrackTimer(PlanTracks tracks, PlanTrackState state, TimerDefinition timer) =>
        tracks.TimerTarget(state, timer) is { } target ? tracks.NameOf(target).ToLowerInvariant() : timer.Action;
}
