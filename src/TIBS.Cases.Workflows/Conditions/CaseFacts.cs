using System.Globalization;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;

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
                n => $"{n} shortlisted candidate(s) from another country than the lead company's"),
            ConditionCatalog.MinInterestedPartners => AtLeast(partners.Count(InterestedOrAgreed), count, n => $"{n} interested partner(s)"),
            ConditionCatalog.PartnersFromOtherCountries => AtLeast(
                partners.Count(p => InterestedOrAgreed(p) && Foreign(p)), count,
                n => $"{n} interested or agreed partner(s) from another country"),
            ConditionCatalog.MinAgreedPartners => AtLeast(partners.Count(p => p.Status == PartnerStatuses.Agreed), count, n => $"{n} partner(s) who agreed"),
            ConditionCatalog.CheckInsComplete => CheckInsComplete(check, facts),
            ConditionCatalog.NotBefore => NotBefore(check, facts.StepStartedAt, facts.Now),
            ConditionCatalog.FindingsRecorded => AtLeast(facts.Findings.Count, count, n => $"{n} recorded finding(s)"),
            ConditionCatalog.FindingsAnswered => FindingsAnswered(facts.Findings),
            ConditionCatalog.Expression => ExpressionConditions.Judge(check.Plan, c, CaseExpressionFacts.Values(check, facts)),
            _ => ConditionResult.NotMet($"The condition '{c.Name}' is not known to this version of TIBS.Cases."),
        };
    }

    /// <summary>A day as people read it: 12 March 2027 (UTC).</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

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

    private static ConditionResult FindingsAnswered(IReadOnlyList<FindingFact> findings)
    {
        var open = findings.Where(f => !f.Answered).Select(f => f.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        return open.Count switch
        {
            0 => ConditionResult.Satisfied,
            1 => ConditionResult.NotMet($"Finding {open[0]} has no answer yet."),
            _ => ConditionResult.NotMet($"Findings {string.Join(", ", open)} have no answer yet."),
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
                    var when = due[k] <= facts.Now ? "was due" : "is due";
                    missing.Add(string.Create(CultureInfo.InvariantCulture, $"{checkIn.Name} {k + 1} of {due.Count} ({when} {due[k]:yyyy-MM-dd})"));
                }
            }
        }

        return missing.Count == 0 ? ConditionResult.Satisfied : ConditionResult.NotMet("Check-ins not recorded yet: " + string.Join("; ", missing) + ".");
    }

    private static ConditionResult AtLeast(int have, int need, Func<int, string> what) =>
        have >= need
            ? ConditionResult.Satisfied
            : ConditionResult.NotMet(string.Create(CultureInfo.InvariantCulture, $"Needs at least {what(need)}; the case has {have}."));
}
