using System.Globalization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Simulation;

/// <summary>
/// When the simulator lets a step's acting timers (<see cref="StepDefinition.Timers"/>) fire: the extension point for
/// working calendars. <see cref="FiresAt"/> reads <c>after</c> as an ISO-8601 duration, or <c>P&lt;n&gt;BD</c> as n
/// business days counted Monday to Friday (public holidays are not known here).
/// </summary>
public static class SimulatedTimers
{
    public static DateTimeOffset? FiresAt(TimerDefinition timer, DateTimeOffset stepStartedAt)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (IsoDuration.TryParse(timer.After, out var duration, out _))
        {
            return duration.AddTo(stepStartedAt);
        }

        var text = timer.After.Trim();
        if (text.StartsWith('P') && text.EndsWith("BD", StringComparison.Ordinal)
            && int.TryParse(text[1..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days > 0)
        {
            var at = stepStartedAt;
            while (days > 0)
            {
                at = at.AddDays(1);
                if (at.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
                {
                    days--;
                }
            }

            return at;
        }

        return null;
    }
}
