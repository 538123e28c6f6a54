using System.Globalization;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Conditions;

/// <summary>The partner pipeline statuses the named conditions count (shortlisted → contacted → interested / declined → agreed).</summary>
public static class PartnerStatuses
{
    public const string Lead = "lead";
    public const string Shortlisted = "shortlisted";
    public const string Contacted = "contacted";
    public const string Interested = "interested";
    public const string Declined = "declined";
    public const string Agreed = "agreed";

    public static IReadOnlyList<string> All { get; } = [Lead, Shortlisted, Contacted, Interested, Declined, Agreed];
}

/// <summary>A partner of the case as the conditions see it: its country and its pipeline status.</summary>
public sealed record PartnerFact(string CountryCode, string Status);

/// <summary>A recorded check-in occurrence (1-based) of the check-in <see cref="CheckInKey"/>.</summary>
public sealed record CheckInFact(string CheckInKey, int Occurrence);

/// <summary>A finding of an audit and whether it has been answered.</summary>
public sealed record FindingFact(int Number, bool Answered);

/// <summary>
/// Everything the named conditions read about one case at one moment: the form values submitted with the outcome, the
/// partners (without the lead company), the recorded check-ins, the audit findings and the step's start and now.
/// Core fills it from the database; the simulator fills it with simulated facts.
/// </summary>
public sealed record CaseFacts(
    string LeadCountryCode,
    IReadOnlyList<PartnerFact> Partners,
    IReadOnlyDictionary<string, FieldValue> Submitted,
    IReadOnlyList<CheckInFact> CheckIns,
    DateTimeOffset StepStartedAt,
    DateTimeOffset Now,
    IReadOnlyList<FindingFact> Findings)
{
    /// <summary>No step has recorded a form yet.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> NothingRecorded { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(StringComparer.Ordinal);

    /// <summary>The forms the case's steps recorded so far, by step key (expressions read them as <c>steps.*</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> Recorded { get; init; } = NothingRecorded;

    /// <summary>The case's region (NUTS code), when known.</summary>
    public string? RegionCode { get; init; }

    /// <summary>When the case was opened, when known.</summary>
    public DateTimeOffset? OpenedAt { get; init; }
}

/// <summary>
/// The meaning of every named condition against <see cref="CaseFacts"/>, with reasons in words: the one
/// implementation the engine's users (Core's evaluator, the simulator) share.
/// </summary>
public static class CaseFactConditions
{
    /// <summary>Whether <paramref name="check"/>'s condition holds for <paramref name="facts"/>.</summary>
    public static ConditionResult Evaluate(ConditionCheck check, CaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(facts);
        var c = check.Condition;

        // Conditions on the form itself are judged by the engine's own rules, so messages are the same everywhere.
        if (FormConditions.Evaluate(check.Step, c, facts.Submitted) is { } formResult)
        {
            return formResult;
        }

        var count = c.Count ?? 1;
        var partners = facts.Partners;
        bool Foreign(PartnerFact p) => !string.Equals(p.CountryCode, facts.LeadCountryCode, StringComparison.OrdinalIgnoreCase);
        static bool InterestedOrAgreed(PartnerFact p) => p.Status is PartnerStatuses.Interested or PartnerStatuses.Agreed;
        return c.Name switch
        {
            ConditionCatalog.CandidatesFromOtherCountries => AtLeast(
                partners.Count(p => p.Status != PartnerStatuses.Declined && Foreign(p)), count,
                (need, have) => Localized.Format("Needs at least {0} shortlisted candidate(s) from another country than the lead company's; the case has {1}.", need, have)),
            ConditionCatalog.MinInterestedPartners => AtLeast(partners.Count(InterestedOrAgreed), count,
                (need, have) => Localized.Format("Needs at least {0} interested partner(s); the case has {1}.", need, have)),
            ConditionCatalog.PartnersFromOtherCountries => AtLeast(
                partners.Count(p => InterestedOrAgreed(p) && Foreign(p)), count,
                (need, have) => Localized.Format("Needs at least {0} interested or agreed partner(s) from another country; the case has {1}.", need, have)),
            ConditionCatalog.MinAgreedPartners => AtLeast(partners.Count(p => p.Status == PartnerStatuses.Agreed), count,
                (need, have) => Localized.Format("Needs at least {0} partner(s) who agreed; the case has {1}.", need, have)),
            ConditionCatalog.CheckInsComplete => CheckInsComplete(check, facts),
            ConditionCatalog.NotBefore => NotBefore(check, facts.StepStartedAt, facts.Now),
            ConditionCatalog.FindingsRecorded => AtLeast(facts.Findings.Count, count,
                (need, have) => Localized.Format("Needs at least {0} recorded finding(s); the case has {1}.", need, have)),
            ConditionCatalog.FindingsAnswered => FindingsAnswered(facts.Findings),
            ConditionCatalog.Expression => ExpressionConditions.Judge(check.Plan, c, CaseExpressionFacts.Values(check, facts)),
            _ => ConditionResult.NotMet(Localized.Format("The condition '{0}' is not known to this version of TIBS.Cases.", c.Name)),
        };
    }

    /// <summary>A day as people read it: 12 March 2027 (UTC).</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A day in a message: as <see cref="Day"/> in English, the long date of the current culture in other languages.</summary>
    public static string DayInWords(DateTimeOffset at) =>
        CultureInfo.CurrentCulture.TwoLetterISOLanguageName is "en" or "iv" ? Day(at) : at.UtcDateTime.ToString("D", CultureInfo.CurrentCulture);

    /// <summary>A date in a message: ISO in English, the short date of the current culture in other languages.</summary>
    private static string ShortDay(DateTimeOffset at) =>
        CultureInfo.CurrentCulture.TwoLetterISOLanguageName is "en" or "iv"
            ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : at.ToString("d", CultureInfo.CurrentCulture);

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

        var lastCheckIn = check.Condition.Value == ConditionCatalog.LastCheckIn;
        var early = check.Step.Outcomes.FirstOrDefault(o => o.RequiresReason && o.Key != check.Outcome.Key);
        var day = DayInWords(from);
        return ConditionResult.NotMet((lastCheckIn, early) switch
        {
            (true, null) => Localized.Format("Possible from {0}, when the last check-in is due.", day),
            (true, { } e) => Localized.Format("Possible from {0}, when the last check-in is due; to stop before then, choose '{1}' and give a reason.", day, e.Label),
            (false, null) => Localized.Format("Possible from {0}.", day),
            (false, { } e) => Localized.Format("Possible from {0}; to stop before then, choose '{1}' and give a reason.", day, e.Label),
        });
    }

    private static ConditionResult FindingsAnswered(IReadOnlyList<FindingFact> findings)
    {
        var open = findings.Where(f => !f.Answered).Select(f => f.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        return open.Count switch
        {
            0 => ConditionResult.Satisfied,
            1 => ConditionResult.NotMet(Localized.Format("Finding {0} has no answer yet.", open[0])),
            _ => ConditionResult.NotMet(Localized.Format("Findings {0} have no answer yet.", string.Join(", ", open))),
        };
    }

    private static ConditionResult CheckInsComplete(ConditionCheck check, CaseFacts facts)
    {
        var missing = new List<string>();
        foreach (var checkIn in check.Plan.CheckInsFor(check.Step.Key))
        {
            var due = checkIn.Occurrences(facts.StepStartedAt);
            for (var k = 0; k < due.Count; k++)
            {
                if (!facts.CheckIns.Any(r => r.CheckInKey == checkIn.Key && r.Occurrence == k + 1))
                {
                    missing.Add(due[k] <= facts.Now
                        ? Localized.Format("{0} {1} of {2} (was due {3})", checkIn.Name, k + 1, due.Count, ShortDay(due[k]))
                        : Localized.Format("{0} {1} of {2} (is due {3})", checkIn.Name, k + 1, due.Count, ShortDay(due[k])));
                }
            }
        }

        return missing.Count == 0 ? ConditionResult.Satisfied : ConditionResult.NotMet(Localized.Format("Check-ins not recorded yet: {0}.", string.Join("; ", missing)));
    }

    private static ConditionResult AtLeast(int have, int need, Func<int, int, string> unmet) =>
        have >= need ? ConditionResult.Satisfied : ConditionResult.NotMet(unmet(need, have));
}
