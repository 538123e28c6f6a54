using System.Globalization;
using System.Text.Json.Nodes;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Time a case's current step has spent on hold. Resuming moves the step's due date and its paused reminders by the
/// time on hold and records it (<c>heldFor</c>) in the resume event; the sum of those since the step started is what a
/// recomputed schedule must keep.
/// </summary>
internal static class HoldTime
{
    public const string ResumeEventKind = "case-resume";

    /// <summary>Total time on hold, ended by a resume, since <see cref="CaseRecord.StepStartedAt"/> (a hold still going on is not in it).</summary>
    public static TimeSpan OfCurrentStep(CaseRecord @case, IEnumerable<CaseEventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(@case);
        var total = TimeSpan.Zero;
        foreach (var e in events.Where(e => e.Kind == ResumeEventKind && e.OccurredAt >= @case.StepStartedAt))
        {
            if (JsonNode.Parse(e.Data)?["heldFor"]?.GetValue<string>() is { } text
                && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var held) && held > TimeSpan.Zero)
            {
                total += held;
            }
        }

        return total;
    }
}
