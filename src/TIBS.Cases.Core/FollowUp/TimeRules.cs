using System.Globalization;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.FollowUp;

/// <summary>
/// The time rules a definition sets on a step: a check-in may be recorded only from its window before its due date
/// (<c>opens</c>), and an outcome with <c>not-before</c> only from that moment. Every door (the case page, later the
/// API) asks here, so a refusal and the page's "can be recorded from …" say the same date in the same words.
/// Times come from the caller's clock; dates are said in UTC.
/// </summary>
public static class TimeRules
{
    /// <summary>A day as people read it: 12 March 2027.</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// Why occurrence <paramref name="occurrence"/> of <paramref name="checkIn"/> cannot be recorded at
    /// <paramref name="now"/> (its window has not opened yet), or null when it can.
    /// </summary>
    public static string? CheckInNotYetOpen(PlanCheckIn checkIn, int occurrence, DateTimeOffset stepStartedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checkIn);
        var opensAt = checkIn.OpensAt(stepStartedAt, occurrence);
        if (now >= opensAt)
        {
            return null;
        }

        var due = checkIn.Occurrences(stepStartedAt)[occurrence - 1];
        return $"{checkIn.Name} {occurrence} can be recorded from {Day(opensAt)}, {checkIn.Opens!.Value.ToWords()} before it is due on {Day(due)}; not earlier.";
    }

    /// <summary>
    /// Whether a <c>not-before</c> condition is met at <paramref name="now"/>; when not, the reason says from which date
    /// the outcome is possible and names the step's outcome that ends early with a reason, if it has one.
    /// </summary>
    public static ConditionResult NotBefore(ConditionCheck check, DateTimeOffset stepStartedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(check);
        var from = check.Plan.NotBefore(check.Step.Key, check.Condition, stepStartedAt);
        if (now >= from)
        {
            return ConditionResult.Satisfied;
        }

        var when = check.Condition.Value == ConditionCatalog.LastCheckIn ? ", when the last check-in is due" : "";
        var early = check.Step.Outcomes.FirstOrDefault(o => o.RequiresReason && o.Key != check.Outcome.Key);
        var alternative = early is null ? "" : $"; to stop before then, choose '{early.Label}' and give a reason";
        return ConditionResult.NotMet($"Possible from {Day(from)}{when}{alternative}.");
    }
}
