using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Matching;

/// <summary>One part of a match score: what was compared, the points earned of the possible maximum, and why.</summary>
public sealed record MatchComponent(string Component, int Points, int Max, string Reason);

/// <summary>A candidate with its explained score (0..100); the breakdown adds up to the score.</summary>
public sealed record MatchResult(Company Candidate, int Score, IReadOnlyList<MatchComponent> Breakdown);

/// <summary>
/// The explained matching score of a candidate partner for a case's lead company. The weights are ours (the TIBS
/// programme never published its matching criteria): shared S3 areas 30, NACE fit 20, the candidate's offers meeting
/// the lead's needs 15, the lead's offers meeting the candidate's needs 10, target countries 15, shared languages 10.
/// The broker decides; the score only orders the list and says why.
/// </summary>
public static class MatchScorer
{
    public const string S3Component = "Shared S3 areas";
    public const string NaceComponent = "NACE fit";
    public const string OffersNeedsComponent = "Their offers ↔ lead's needs";
    public const string NeedsOffersComponent = "Lead's offers ↔ their needs";
    public const string TargetCountryComponent = "Target countries";
    public const string LanguageComponent = "Shared languages";

    public const int S3Max = 30;
    public const int NaceMax = 20;
    public const int OffersNeedsMax = 15;
    public const int NeedsOffersMax = 10;
    public const int TargetCountryMax = 15;
    public const int LanguageMax = 10;

    /// <summary>Form fields whose values name the countries where the lead looks for partners.</summary>
    public const string TargetCountriesField = "target-countries";

    public static MatchResult Score(Company lead, Company candidate, IReadOnlyCollection<string> targetCountries)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(targetCountries);
        IReadOnlyList<MatchComponent> parts =
        [
            S3(lead, candidate),
            Nace(lead, candidate),
            Overlap(OffersNeedsComponent, OffersNeedsMax, lead.Needs, Join(candidate.Offers, candidate.Keywords), "the lead's needs", "their offers"),
            Overlap(NeedsOffersComponent, NeedsOffersMax, candidate.Needs, Join(lead.Offers, lead.Keywords), "their needs", "the lead's offers"),
            TargetCountry(candidate, targetCountries),
            Languages(lead, candidate),
        ];
        return new MatchResult(candidate, Math.Clamp(parts.Sum(p => p.Points), 0, 100), parts);
    }

    /// <summary>The target countries recorded on the case (any step's <c>target-countries</c> field), upper case, distinct.</summary>
    public static IReadOnlyList<string> TargetCountries(CaseRecord @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return [.. CaseData.Read(@case.Data).Values
            .SelectMany(step => step.TryGetValue(TargetCountriesField, out var v) ? Codes(v) : [])
            .Select(c => c.Trim().ToUpperInvariant())
            .Where(c => c.Length > 0)
            .Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Codes(FieldValue value) => value switch
    {
        TaxonomyValue t => t.Codes,
        MultiChoiceValue m => m.Values,
        _ => value.ToText().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    private static MatchComponent S3(Company lead, Company candidate)
    {
        var shared = lead.S3Areas.Intersect(candidate.S3Areas, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        return shared.Count switch
        {
            0 => new MatchComponent(S3Component, 0, S3Max, lead.S3Areas.Count == 0 ? "The lead company has no S3 areas recorded." : "No S3 area in common."),
            1 => new MatchComponent(S3Component, 20, S3Max, $"Both work in the S3 area {shared[0]}."),
            _ => new MatchComponent(S3Component, S3Max, S3Max, $"{shared.Count} S3 areas in common: {string.Join(", ", shared)}."),
        };
    }

    private static MatchComponent Nace(Company lead, Company candidate)
    {
        static string Section(string code) => code.Trim().ToUpperInvariant()[..1];
        static string? Division(string code)
        {
            var c = code.Trim().ToUpperInvariant().Replace(".", "", StringComparison.Ordinal);
            return c.Length >= 3 && char.IsLetter(c[0]) && char.IsDigit(c[1]) && char.IsDigit(c[2]) ? c[..3] : null;
        }

        var leadCodes = lead.NaceCodes.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        var candidateCodes = candidate.NaceCodes.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        var division = leadCodes.Select(Division).OfType<string>().Intersect(candidateCodes.Select(Division).OfType<string>(), StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
        if (division is not null)
        {
            return new MatchComponent(NaceComponent, NaceMax, NaceMax, $"Same NACE division {division}.");
        }

        var section = leadCodes.Select(Section).Intersect(candidateCodes.Select(Section), StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
        return section is not null
            ? new MatchComponent(NaceComponent, 12, NaceMax, $"Same NACE section {section}, different divisions.")
            : new MatchComponent(NaceComponent, 0, NaceMax, leadCodes.Count == 0 || candidateCodes.Count == 0 ? "NACE codes missing on one side." : "Different NACE sections.");
    }

    private static MatchComponent Overlap(string component, int max, string? needs, string? offers, string needsName, string offersName)
    {
        var needTerms = Keywords.Terms(needs);
        var offerTerms = Keywords.Terms(offers);
        if (needTerms.Count == 0 || offerTerms.Count == 0)
        {
            return new MatchComponent(component, 0, max, $"Nothing to compare: {(needTerms.Count == 0 ? needsName : offersName)} not described.");
        }

        var shared = needTerms.Intersect(offerTerms, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (shared.Count == 0)
        {
            return new MatchComponent(component, 0, max, $"No word of {needsName} appears in {offersName}.");
        }

        var points = Math.Min(max, shared.Count * 5);
        return new MatchComponent(component, points, max, string.Create(CultureInfo.InvariantCulture, $"{shared.Count} shared term{(shared.Count == 1 ? "" : "s")} between {needsName} and {offersName}: {string.Join(", ", shared)}."));
    }

    private static MatchComponent TargetCountry(Company candidate, IReadOnlyCollection<string> targets)
    {
        if (targets.Count == 0)
        {
            return new MatchComponent(TargetCountryComponent, 0, TargetCountryMax, "No target countries recorded on the case yet.");
        }

        return targets.Contains(candidate.CountryCode.ToUpperInvariant(), StringComparer.Ordinal)
            ? new MatchComponent(TargetCountryComponent, TargetCountryMax, TargetCountryMax, $"{candidate.CountryCode} is one of the case's target countries.")
            : new MatchComponent(TargetCountryComponent, 0, TargetCountryMax, $"{candidate.CountryCode} is not among the target countries ({string.Join(", ", targets)}).");
    }

    private static MatchComponent Languages(Company lead, Company candidate)
    {
        var shared = Keywords.Languages(lead.Languages).Intersect(Keywords.Languages(candidate.Languages), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return shared.Count switch
        {
            0 => new MatchComponent(LanguageComponent, 0, LanguageMax, "No language in common recorded."),
            1 => new MatchComponent(LanguageComponent, 6, LanguageMax, $"One shared language: {shared[0]}."),
            _ => new MatchComponent(LanguageComponent, LanguageMax, LanguageMax, $"Shared languages: {string.Join(", ", shared)}."),
        };
    }

    private static string Join(string? a, string? b) => $"{a} {b}";
}
