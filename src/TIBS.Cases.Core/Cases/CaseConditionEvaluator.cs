using System.Globalization;
using TIBS.Cases.Core.FollowUp;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Expressions;
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
    IReadOnlyList<Audits.AuditFindingRecord>? findings = null,
    CaseRecord? @case = null) : ICaseConditionEvaluator
{
    private Dictionary<string, object?>? facts;

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
            ConditionCatalog.Expression => ExpressionConditions.Judge(check.Plan, c, Facts(check)),
            _ => ConditionResult.NotMet($"The condition '{c.Name}' is not known to this version of TIBS.Cases."),
        };
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// The case's values as expressions read them (<see cref="ExpressionScopes"/>): the form being submitted, every
    /// step's recorded form (the current step's as submitted), partners, check-ins, findings, dates. Gathered once per
    /// evaluator from what the command already read: no extra round trip.
    /// </summary>
    private Dictionary<string, object?> Facts(ConditionCheck check)
    {
        if (facts is not null)
        {
            return facts;
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var plan = check.Plan;
        foreach (var (stepKey, recorded) in @case is null ? new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>() : CaseData.Read(@case.Data))
        {
            if (plan.TryGetStep(stepKey, out var step))
            {
                ExpressionScopes.AddForm(values, $"steps.{ExpressionScopes.Name(stepKey)}", step.Fields, recorded);
            }
        }

        ExpressionScopes.AddForm(values, $"steps.{ExpressionScopes.Name(check.Step.Key)}", check.Step.Fields, submitted);
        ExpressionScopes.AddForm(values, "form", check.Step.Fields, submitted);

        var partners = participants.Where(p => p.Role == ParticipantRole.Partner).ToList();
        var shortlisted = partners.Where(p => p.PipelineStatus != PipelineStatus.Declined).ToList();
        bool Foreign(CaseParticipantRecord p) => !string.Equals(p.CountryCode, leadCountryCode, StringComparison.OrdinalIgnoreCase);
        bool Interested(CaseParticipantRecord p) => p.PipelineStatus is PipelineStatus.Interested or PipelineStatus.Agreed;
        values[ExpressionScopes.PartnersShortlisted] = shortlisted.Count;
        values[ExpressionScopes.PartnersShortlistedForeign] = shortlisted.Count(Foreign);
        values[ExpressionScopes.PartnersInterested] = partners.Count(Interested);
        values[ExpressionScopes.PartnersAgreed] = partners.Count(p => p.PipelineStatus == PipelineStatus.Agreed);
        values[ExpressionScopes.PartnersDeclined] = partners.Count(p => p.PipelineStatus == PipelineStatus.Declined);
        values[ExpressionScopes.PartnersForeign] = partners.Count(p => Interested(p) && Foreign(p));
        values[ExpressionScopes.PartnersCountries] = shortlisted.Select(p => p.CountryCode).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

        var due = plan.CheckInsFor(check.Step.Key).SelectMany(ci => ci.Occurrences(stepStartedAt).Select((at, k) => (ci.Key, Occurrence: k + 1, At: at))).ToList();
        values[ExpressionScopes.StepCheckInsMissing] = due.Count(d => !checkIns.Any(r => r.CheckInKey == d.Key && r.Occurrence == d.Occurrence));
        values[ExpressionScopes.StepLastCheckInDue] = due.Count == 0 ? stepStartedAt : due.Max(d => d.At);
        values[ExpressionScopes.StepStarted] = stepStartedAt;
        values[ExpressionScopes.StepFormComplete] = check.Step.Fields.All(f => !f.Required || submitted.ContainsKey(f.Key));
        values[ExpressionScopes.FindingsRecorded] = (findings ?? []).Count;
        values[ExpressionScopes.FindingsUnanswered] = (findings ?? []).Count(f => !f.IsAnswered);
        values[ExpressionScopes.Today] = DateOnly.FromDateTime(now.UtcDateTime);
        values[ExpressionScopes.Now] = now;
        values[ExpressionScopes.CaseCountry] = leadCountryCode.Length == 0 ? null : leadCountryCode;
        if (@case is not null)
        {
            values[ExpressionScopes.CaseRegion] = @case.RegionCode;
            values[ExpressionScopes.RegionCountry] = @case.RegionCode.Length >= 2 ? @case.RegionCode[..2] : null;
            values[ExpressionScopes.CaseOpened] = DateOnly.FromDateTime(@case.OpenedAt.UtcDateTime);
        }

        return facts = values;
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
