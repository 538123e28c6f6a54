using System.Globalization;
using System.Text;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>The simulation report as plain text for people (what the command line prints).</summary>
public static class SimulationText
{
    public static string Format(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"{report.DefinitionKey} version {report.Version}: {(report.Script is null ? $"{report.Walks} random walks, seed {report.Seed}" : "scripted walk")}.");
        if (report.Script is { } script)
        {
            foreach (var e in script.Entries)
            {
                Line($"  {e.Index}. day {e.DayOfCase}, {e.Step}: {e.Action} - {(e.Succeeded ? "done" : "refused")}: {e.Message}");
            }

            Line($"  The walk {(script.Completed ? "followed the whole script" : "stopped")}; the case is in '{script.FinalState}'.");
        }

        Line($"Walk length: longest {report.LongestWalk} steps, median {report.MedianWalk}; {report.Holds} holds; {report.CutOff} walks cut off.");
        text.AppendLine("Steps visited (times, walks):");
        foreach (var s in report.Steps)
        {
            Line($"  {s.Name} ({s.Key}): {s.Visits}, {s.Walks}{(s.Visits == 0 ? "  NEVER REACHED" : "")}");
        }

        text.AppendLine("Outcomes taken (taken / possible):");
        foreach (var o in report.Outcomes)
        {
            Line($"  {o.StepKey} -> {o.Label} ({o.Key}): {o.Taken} / {o.Possible}");
        }

        text.AppendLine("End states reached:");
        foreach (var e in report.EndStates)
        {
            Line($"  {e.Name} ({e.Key}, {e.Kind}): {e.Walks}");
        }

        if (report.Timers.Count > 0)
        {
            text.AppendLine("Timers fired (times; first and median day in the step; first day of the case):");
            foreach (var t in report.Timers)
            {
                Line($"  {t.StepKey}: {t.Kind} - {t.Description}: {t.Fired}; day {t.FirstDayInStep}, median {t.MedianDayInStep}; case day {t.FirstDayOfCase}");
            }
        }

        if (report.Joins.Count > 0)
        {
            text.AppendLine("Tracks (where they ended or were cancelled; join rules fired / runs of the step's tracks):");
            foreach (var e in report.TrackEnds)
            {
                Line($"  {e.StepKey}: {e.Name} ({e.Key}, {e.Kind}): {e.Tracks}");
            }

            foreach (var j in report.Joins)
            {
                Line($"  {j.StepKey}: join '{j.When}' -> {j.Outcome}: {j.Fired} / {j.Runs}");
            }
        }

        foreach (var b in report.Blocked)
        {
            Line($"Note: in '{b.StepName}' {b.Walks} walks found no outcome possible and were withdrawn: {string.Join("; ", b.Reasons)}");
        }

        if (report.NeverPossible.Count > 0)
        {
            text.AppendLine("PROBLEM: outcomes never possible in any walk:");
            foreach (var o in report.NeverPossible)
            {
                Line($"  {o.StepName} ({o.StepKey}) -> {o.Label} ({o.Key}): {string.Join("; ", o.Reasons.Select(r => r.Reason))}");
            }
        }

        if (report.DeadPaths.Count > 0)
        {
            text.AppendLine("PROBLEM: dead paths (no outcome possible and no case action leading anywhere):");
            foreach (var d in report.DeadPaths)
            {
                Line($"  stuck in {d.StepName} ({d.StepKey}) in {d.Walks} walks, e.g. after {string.Join(" -> ", d.ExamplePath)}: {string.Join("; ", d.Reasons)}");
            }
        }

        if (report.NeverJoined.Count > 0)
        {
            text.AppendLine("PROBLEM: join rules that never fired:");
            foreach (var j in report.NeverJoined)
            {
                Line($"  {j.StepName} ({j.StepKey}): '{j.When}' -> {j.Outcome}; the tracks stood at: {string.Join("; ", j.Reasons.Select(r => r.Reason))}");
            }
        }

        text.AppendLine(report.HasFindings ? "Result: problems found." : "Result: no problems found.");
        return text.ToString();
    }
}
