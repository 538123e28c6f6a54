using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Matching;

/// <summary>Where a value of the lead's profile came from, in the words the score's explanation uses.</summary>
public static class ProfileSource
{
    public const string CooperationProfile = "the cooperation profile";
    public const string NeedsAssessment = "the needs assessment";
    public const string Readiness = "the internationalisation readiness";
    public const string CompanyRecord = "the lead company's record";

    /// <summary>"from the cooperation profile and the lead company's record".</summary>
    public static string From(IEnumerable<string> sources)
    {
        var list = sources.Distinct(StringComparer.Ordinal).ToList();
        return list.Count switch
        {
            0 => "",
            1 => Localized.Format("from {0}", Localized.Text(list[0])),
            _ => Localized.Format("from {0} and {1}", string.Join(", ", list[..^1].Select(Localized.Text)), Localized.Text(list[^1])),
        };
    }
}

/// <summary>A code of the profile (an S3 area, a NACE code, a country, a partner type) and every place that names it.</summary>
public sealed record SourcedCode(string Code, IReadOnlyList<string> Sources);

/// <summary>A text of the profile (needs, offers, keywords) and where it was written.</summary>
public sealed record SourcedText(string Text, string Source);

/// <summary>
/// What the case says the lead needs and offers, merged with the lead company's record: the side of the match the
/// partner search compares candidates with. The case's own step data comes first (the cooperation profile, the needs
/// assessment, the internationalisation readiness), read by step key and field key; a step or field a definition version
/// does not have contributes nothing. The lead company itself is read from the case record, never from a form.
/// </summary>
public sealed record MatchProfile
{
    public const string CooperationProfileStep = "cooperation-profile";
    public const string NeedsAssessmentStep = "needs-assessment";
    public const string ReadinessStep = "internationalisation-readiness";

    /// <summary>Profile types of the cooperation profile that offer something (business or technology offer).</summary>
    private static readonly HashSet<string> OfferProfileTypes = new(StringComparer.Ordinal) { "bo", "to" };

    public required string CountryCode { get; init; }

    public required string RegionCode { get; init; }

    public string? Languages { get; init; }

    public IReadOnlyList<SourcedCode> S3Areas { get; init; } = [];

    public IReadOnlyList<SourcedCode> NaceCodes { get; init; } = [];

    public IReadOnlyList<SourcedCode> TargetCountries { get; init; } = [];

    /// <summary>Partner types sought (values of the needs assessment's <c>partner-types-sought</c>: sme, research-organisation …).</summary>
    public IReadOnlyList<SourcedCode> PartnerTypes { get; init; } = [];

    /// <summary>What the lead needs or seeks.</summary>
    public IReadOnlyList<SourcedText> Needs { get; init; } = [];

    /// <summary>What the lead offers.</summary>
    public IReadOnlyList<SourcedText> Offers { get; init; } = [];

    /// <summary>The profile of the lead company's record alone (a case with no profile data yet).</summary>
    public static MatchProfile Of(Company lead) => Of(lead, "");

    /// <summary>The profile of a case: its step data (by step and field key) together with the lead company's record.</summary>
    public static MatchProfile Of(Company lead, CaseRecord @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return Of(lead, @case.Data);
    }

    private static MatchProfile Of(Company lead, string caseData)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var steps = CaseData.Read(caseData);
        var profileType = Text(steps, CooperationProfileStep, "profile-type");
        // A business or technology offer describes what the lead offers; a request describes what it seeks.
        var profileOffers = profileType is null || OfferProfileTypes.Contains(profileType);
        var profileText = string.Join(' ', new[] { Text(steps, CooperationProfileStep, "keywords"), Text(steps, CooperationProfileStep, "summary") }.OfType<string>());

        return new MatchProfile
        {
            CountryCode = lead.CountryCode,
            RegionCode = lead.RegionCode,
            Languages = lead.Languages,
            S3Areas = Merge(
                (Codes(steps, CooperationProfileStep, "s3-areas"), ProfileSource.CooperationProfile),
                (Codes(steps, NeedsAssessmentStep, "s3-areas"), ProfileSource.NeedsAssessment),
                (lead.S3Areas, ProfileSource.CompanyRecord)),
            NaceCodes = Merge(
                (Codes(steps, CooperationProfileStep, "nace"), ProfileSource.CooperationProfile),
                (Codes(steps, NeedsAssessmentStep, "nace"), ProfileSource.NeedsAssessment),
                (lead.NaceCodes, ProfileSource.CompanyRecord)),
            TargetCountries = Merge(
                (Codes(steps, CooperationProfileStep, "target-countries").Select(c => c.ToUpperInvariant()), ProfileSource.CooperationProfile),
                (Codes(steps, ReadinessStep, "target-countries").Select(c => c.ToUpperInvariant()), ProfileSource.Readiness),
                (Codes(steps, NeedsAssessmentStep, "target-countries").Select(c => c.ToUpperInvariant()), ProfileSource.NeedsAssessment)),
            PartnerTypes = Merge((Codes(steps, NeedsAssessmentStep, "partner-types-sought"), ProfileSource.NeedsAssessment)),
            Needs = Texts(
                (lead.Needs, ProfileSource.CompanyRecord),
                (Text(steps, NeedsAssessmentStep, "innovation-needs"), ProfileSource.NeedsAssessment),
                (Text(steps, CooperationProfileStep, "partner-sought"), ProfileSource.CooperationProfile),
                (profileOffers ? null : profileText, ProfileSource.CooperationProfile)),
            Offers = Texts(
                (lead.Offers, ProfileSource.CompanyRecord),
                (lead.Keywords, ProfileSource.CompanyRecord),
                (profileOffers ? profileText : null, ProfileSource.CooperationProfile)),
        };
    }

    private static string? Text(IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> steps, string step, string field) =>
        steps.TryGetValue(step, out var values) && values.TryGetValue(field, out var value) && value.ToText() is { Length: > 0 } text ? text.Trim() : null;

    private static IEnumerable<string> Codes(IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> steps, string step, string field)
    {
        if (!steps.TryGetValue(step, out var values) || !values.TryGetValue(field, out var value))
        {
            return [];
        }

        IEnumerable<string> codes = value switch
        {
            TaxonomyValue t => t.Codes,
            MultiChoiceValue m => m.Values,
            _ => value.ToText().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        return codes.Select(c => c.Trim()).Where(c => c.Length > 0);
    }

    private static IReadOnlyList<SourcedCode> Merge(params (IEnumerable<string> Codes, string Source)[] parts)
    {
        var result = new List<(string Code, List<string> Sources)>();
        foreach (var (codes, source) in parts)
        {
            foreach (var code in codes)
            {
                var found = result.FindIndex(r => string.Equals(r.Code, code, StringComparison.OrdinalIgnoreCase));
                if (found < 0)
                {
                    result.Add((code, [source]));
                }
                else if (!result[found].Sources.Contains(source))
                {
                    result[found].Sources.Add(source);
                }
            }
        }

        return [.. result.Select(r => new SourcedCode(r.Code, r.Sources))];
    }

    private static IReadOnlyList<SourcedText> Texts(params (string? Text, string Source)[] parts) =>
        [.. parts.Where(p => !string.IsNullOrWhiteSpace(p.Text)).Select(p => new SourcedText(p.Text!, p.Source))];
}
