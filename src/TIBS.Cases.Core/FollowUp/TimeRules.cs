using System.Globalization;
using TIBS.Cases.Core.Localization;
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
    /// <summary>A day as the reader reads it: 12 March 2027 in English, the long date of the reader's language otherwise.</summary>
    public static string Day(DateTimeOffset at) => CaseFactConditions.DayInWords(at);

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
        return Localized.Format("{0} {1} can be recorded from {2}, {3} before it is due on {4}; not earlier.", checkIn.Name, occurrence, Day(opensAt), checkIn.Opens!.Value.ToWords(), Day(due));
    }

    /// <summary>Whether a <c>not-before</c> condition is met at <paramref name="now"/> (see <see cref="CaseFactConditions.NotBefore"/>).</summary>
    public static ConditionResult NotBefore(ConditionCheck check, DateTimeOffset stepStartedAt, DateTimeOffset now) =>
        CaseFactConditions.NotBefore(check, stepStartedAt, now);
}
