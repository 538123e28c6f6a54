using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>
/// When the simulator lets a step's acting timers (<see cref="StepDefinition.Timers"/>) fire: <c>after</c> read as an
/// ISO-8601 duration; business days (<c>P20BD</c>) counted on a working calendar (weekdays only when none is given).
/// </summary>
internal static class SimulatedTimers
{
    public static DateTimeOffset? FiresAt(TimerDefinition timer, DateTimeOffset stepStartedAt) => FiresAt(timer, stepStartedAt, null);

    public static DateTimeOffset? FiresAt(TimerDefinition timer, DateTimeOffset stepStartedAt, WorkingCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return IsoDuration.TryParse(timer.After, out var duration, out _) ? duration.AddTo(stepStartedAt, calendar) : null;
    }
}
