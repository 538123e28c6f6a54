using TIBS.Cases.Workflows.Expressions;

namespace TIBS.Cases.Workflows.Conditions;

/// <summary>
/// The values expressions read about a case (<see cref="ExpressionScopes"/>), taken from the same <see cref="CaseFacts"/>
/// the named conditions read: the form being submitted, every step's recorded form (the current step's as submitted),
/// partners, check-ins, findings, dates. Core and the simulator both go through here.
/// </summary>
internal static class CaseExpressionFacts
{
    public static Dictionary<string, object?> Values(ConditionCheck check, CaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(facts);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var plan = check.Plan;
        foreach (var (stepKey, recorded) in facts.Recorded)
        {
            if (plan.TryGetStep(stepKey, out var step))
            {
                ExpressionScopes.AddForm(values, $"steps.{ExpressionScopes.Name(stepKey)}", step.Fields, recorded);
            }
        }

        ExpressionScopes.AddForm(values, $"steps.{ExpressionScopes.Name(check.Step.Key)}", check.Step.Fields, facts.Submitted);
        ExpressionScopes.AddForm(values, "form", check.Step.Fields, facts.Submitted);

        var partners = facts.Partners;
        var shortlisted = partners.Where(p => p.Status != PartnerStatuses.Declined).ToList();
        bool Foreign(PartnerFact p) => !string.Equals(p.CountryCode, facts.LeadCountryCode, StringComparison.OrdinalIgnoreCase);
        static bool Interested(PartnerFact p) => p.Status is PartnerStatuses.Interested or PartnerStatuses.Agreed;
        values[ExpressionScopes.PartnersShortlisted] = shortlisted.Count;
        values[ExpressionScopes.PartnersShortlistedForeign] = shortlisted.Count(Foreign);
        values[ExpressionScopes.PartnersInterested] = partners.Count(Interested);
        values[ExpressionScopes.PartnersAgreed] = partners.Count(p => p.Status == PartnerStatuses.Agreed);
        values[ExpressionScopes.PartnersDeclined] = partners.Count(p => p.Status == PartnerStatuses.Declined);
        values[ExpressionScopes.PartnersForeign] = partners.Count(p => Interested(p) && Foreign(p));
        values[ExpressionScopes.PartnersCountries] = shortlisted.Select(p => p.CountryCode).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

        var due = plan.CheckInsFor(check.Step.Key).SelectMany(ci => ci.Occurrences(facts.StepStartedAt).Select((at, k) => (ci.Key, Occurrence: k + 1, At: at))).ToList();
        values[ExpressionScopes.StepCheckInsMissing] = due.Count(d => !facts.CheckIns.Any(r => r.CheckInKey == d.Key && r.Occurrence == d.Occurrence));
        values[ExpressionScopes.StepLastCheckInDue] = due.Count == 0 ? facts.StepStartedAt : due.Max(d => d.At);
        values[ExpressionScopes.StepStarted] = facts.StepStartedAt;
        values[ExpressionScopes.StepFormComplete] = check.Step.Fields.All(f => !f.Required || facts.Submitted.ContainsKey(f.Key));
        values[ExpressionScopes.FindingsRecorded] = facts.Findings.Count;
        values[ExpressionScopes.FindingsUnanswered] = facts.Findings.Count(f => !f.Answered);
        values[ExpressionScopes.Today] = DateOnly.FromDateTime(facts.Now.UtcDateTime);
        values[ExpressionScopes.Now] = facts.Now;
        values[ExpressionScopes.CaseCountry] = facts.LeadCountryCode.Length == 0 ? null : facts.LeadCountryCode;
        if (facts.RegionCode is { } region)
        {
            values[ExpressionScopes.CaseRegion] = region;
            values[ExpressionScopes.RegionCountry] = region.Length >= 2 ? region[..2] : null;
        }

        if (facts.OpenedAt is { } opened)
        {
            values[ExpressionScopes.CaseOpened] = DateOnly.FromDateTime(opened.UtcDateTime);
        }

        return values;
    }
}
