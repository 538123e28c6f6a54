using System.Globalization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Plans;

/// <summary>What a timer does when it fires.</summary>
public enum TimerAction
{
    /// <summary>Notifies a role, like a reminder.</summary>
    Remind,

    /// <summary>Notifies a role that the step is overdue, like an escalation.</summary>
    Escalate,

    /// <summary>Gives the case to the region's user in a role (e.g. the region's coordinator).</summary>
    Reassign,

    /// <summary>Takes a named outcome of the step as the system, its conditions checked as for a user.</summary>
    Outcome,

    /// <summary>Puts the case on hold with a reason.</summary>
    Hold,
}

/// <summary>The names of timer actions as written in YAML.</summary>
public static class TimerActions
{
    public static IReadOnlyList<string> Names { get; } = ["remind", "escalate", "reassign", "outcome", "hold"];

    public static bool TryParse(string? name, out TimerAction action)
    {
        var index = name is null ? -1 : Names.ToList().IndexOf(name);
        action = index < 0 ? default : (TimerAction)index;
        return index >= 0;
    }

    public static string ToName(this TimerAction action) => Names[(int)action];
}

/// <summary>
/// A timer of a step: <see cref="After"/> the step started, unless the step was left, it does <see cref="Action"/>.
/// <see cref="Key"/> (<c>timer-1</c>, …) names its outbox row within the step.
/// </summary>
public sealed record PlanTimer(int Index, IsoDuration After, TimerAction Action, WorkflowRole? To, string? OutcomeKey, string? Reason)
{
    public const string KeyPrefix = "timer-";

    public string Key => string.Create(CultureInfo.InvariantCulture, $"{KeyPrefix}{Index + 1}");

    /// <summary>True for the timers that change the case (reassign, outcome, hold); remind and escalate only notify.</summary>
    public bool Acts => Action is TimerAction.Reassign or TimerAction.Outcome or TimerAction.Hold;

    /// <summary>What the timer does, in words, e.g. "after 20 business days, take the outcome 'No answer'".</summary>
    public string Describe(PlanStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var what = Action switch
        {
            TimerAction.Remind => $"remind the {(To ?? step.Role).ToName()}",
            TimerAction.Escalate => $"escalate to the {(To ?? step.Role).ToName()}",
            TimerAction.Reassign => $"give the case to the region's {(To ?? step.Role).ToName()}",
            TimerAction.Outcome => $"take the outcome '{step.Outcome(OutcomeKey ?? "")?.Label ?? OutcomeKey}'",
            _ => $"put the case on hold ({Reason})",
        };
        return $"After {After.ToWords()} at '{step.Name}': {what}";
    }
}
