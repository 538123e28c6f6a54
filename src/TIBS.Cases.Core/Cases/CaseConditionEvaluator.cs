using System.Globalization;
using TIBS.Cases.Core.FollowUp;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Decides the named conditions of outcomes against one case: the form values being submitted with the outcome,
/// the case's partner pipeline and its recorded check-ins.
/// </summary>
public sealed class CaseConditionEvaluator(
    string leadCountryCode,
    IReadOnlyList<CaseParticipantRecord> participants,
    IReadOnlyDictionary<string, FieldValue> submitted,
    IReadOnlyList<CaseCheckInRecord> checkIns,
    DateTimeOffset stepStartedAt,
    DateTimeOffset now,
    IReadOnlyList<Audits.AuditFindingRecord>? findings = null) : ICaseConditionEvaluator
{
    public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken)
    {
        var c = check.Condition;
        var count = c.Count ?? 1;
        var partners = participants.Where(p => p.Role == ParticipantRole.Partner).ToList();
        bool Foreign(CaseParticipantRecord p) => !string.Equals(p.CountryCode, leadCountryCode, StringComparison.OrdinalIgnoreCase);

        // Conditions on the form itself are judged by the engine's own rules, so messages are the same everywhere.
        if (FormConditions.Evaluate(check.Step, c, submitted) is { } formResult)
        {
            return ValueTask.FromResult(formResult);
        }

        ConditionResult result = c.Name switch
        {
            ConditionCatalog.CandidatesFromOtherCountries => AtLeast(
                partners.Count(p => p.PipelineStatus != PipelineStatus.Declined && Foreign(p)), count,
                n => $"{n} shortlisted candidate(s) from another country than the lead company's"),
            ConditionCatalog.MinInterestedPartners => AtLeast(
                partners.Count(p => p.PipelineStatus is PipelineStatus.Interested or PipelineStatus.Agreed), count,
                n => $"{n} interested partner(s)"),
            ConditionCatalog.PartnersFromOtherCountries => AtLeast(
                partners.Count(p => p.PipelineStatus is PipelineStatus.Interested or PipelineStatus.Agreed && Foreign(p)), count,
                n => $"{n} interested or agreed partner(s) from another country"),
            ConditionCatalog.MinAgreedPartners => AtLeast(
                partners.Count(p => p.PipelineStatus == PipelineStatus.Agreed), count,
                n => $"{n} partner(s) who agreed"),
            ConditionCatalog.CheckInsComplete => CheckInsComplete(check),
            ConditionCatalog.NotBefore => TimeRules.NotBefore(check, stepStartedAt, now),
            ConditionCatalog.FindingsRecorded => AtLeast((findings ?? []).Count, count, n => $"{n} recorded finding(s)"),
            ConditionCatalog.FindingsAnswered => FindingsAnswered(),
            _ => ConditionResult.NotMet($"The condition '{c.Name}' is not known to this version of TIBS.Cases."),
        };
        return ValueTask.FromResult(result);
    }

    private ConditionResult FindingsAnswered()
    {
        var open = (findings ?? []).Where(f => !f.IsAnswered).Select(f => f.Number.ToString(CultureInfo.InvariantCulture)).ToList();
        return open.Count switch
        {
            0 => ConditionResult.Satisfied,
            1 => ConditionResult.NotMet($"Finding {open[0]} has no answer yet."),
            _ => ConditionResult.NotMet($"Findings {string.Join(", ", open)} have no answer yet."),
        };
    }

    private ConditionResult CheckInsComplete(ConditionCheck check)
    {
        var missing = new List<string>();
        foreach (var checkIn in check.Plan.CheckInsFor(check.Step.Key))
        {
            var due = checkIn.Occurrences(stepStartedAt);
            for (var k = 0; k < due.Count; k++)
            {
                if (!checkIns.Any(r => r.CheckInKey == checkIn.Key && r.Occurrence == k + 1))
                {
                    var when = due[k] <= now ? "was due" : "is due";
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
