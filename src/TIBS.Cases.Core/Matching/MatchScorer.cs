using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;

namespace TIBS.Cases.Core.Matching;

/// <summary>One part of a match score: what was compared, the points earned of the possible maximum, and why.</summary>
public sealed record MatchComponent(string Component, int Points, int Max, string Reason);

/// <summary>A candidate with its explained score (0..100); the breakdown adds up to the score.</summary>
public sealed record MatchResult(Company Candidate, int Score, IReadOnlyList<MatchComponent> Breakdown);

/// <summary>The names the explanation uses instead of codes: S3 areas by code, regions (with their kind) by code.</summary>
public sealed record MatchReference(IReadOnlyDictionary<string, string> S3Names, IReadOnlyDictionary<string, Region> Regions)
{
    public static MatchReference None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, Region>());

    public static MatchReference From(IEnumerable<S3Area> s3Areas, IEnumerable<Region> regions) => new(
        s3Areas.ToDictionary(a => a.Code, a => a.Name, StringComparer.OrdinalIgnoreCase),
        regions.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase));

    /// <summary>The S3 area's name; the code itself when it is unknown.</summary>
    public string S3Name(string code) => S3Names.TryGetValue(code, out var name) ? name : code;

    /// <summary>The region's name; the code itself when it is unknown.</summary>
    public string RegionName(string code) => Regions.TryGetValue(code, out var region) ? region.Name : code;

    /// <summary>"supported" or "advanced" (Trans-S3); null when the region is unknown.</summary>
    public string? RegionKind(string code) => Regions.TryGetValue(code, out var region) ? region.Kind : null;
}

/// <summary>
/// The explained matching score of a candidate partner for a case. The lead's side is the case's profile (its step data
/// together with the lead company's record, see <see cref="MatchProfile"/>); every reason says where the lead's values
/// came from. The weights are ours (the TIBS programme never published its matching criteria): shared S3 areas 30, NACE
/// fit 15, the candidate's offers meeting the lead's needs 15, the lead's offers meeting the candidate's needs 10,
/// target countries 10, partner type sought 10, the Trans-S3 pairing of a supported with an advanced region 5, shared
/// languages 5. The broker decides; the score only orders the list and says why.
/// </summary>
internal static class MatchScorer
{
    public static string S3Component => Localized.Text("Shared S3 areas");
    public static string NaceComponent => Localized.Text("NACE fit");
    public static string OffersNeedsComponent => Localized.Text("Their offers ↔ lead's needs");
    public static string NeedsOffersComponent => Localized.Text("Lead's offers ↔ their needs");
    public static string TargetCountryComponent => Localized.Text("Target countries");
    public static string PartnerTypeComponent => Localized.Text("Partner type sought");
    public static string RegionPairingComponent => Localized.Text("Trans-S3 region pairing");
    public static string LanguageComponent => Localized.Text("Shared languages");

    public const int S3Max = 30;
    public const int NaceMax = 15;
    public const int OffersNeedsMax = 15;
    public const int NeedsOffersMax = 10;
    public const int TargetCountryMax = 10;
    public const int PartnerTypeMax = 10;
    public const int RegionPairingMax = 5;
    public const int LanguageMax = 5;

    /// <summary>Region kinds of the Trans-S3 approach: less advanced (supported) and more advanced regions.</summary>
    public const string SupportedRegion = "supported";
    public const string AdvancedRegion = "advanced";

    /// <summary>The score against the lead company's record alone, with the case's target countries.</summary>
    public static MatchResult Score(Company lead, Company candidate, IReadOnlyCollection<string> targetCountries)
    {
        ArgumentNullException.ThrowIfNull(targetCountries);
        var profile = MatchProfile.Of(lead) with { TargetCountries = [.. targetCountries.Select(c => new SourcedCode(c.ToUpperInvariant(), ["the case"]))] };
        return Score(profile, candidate, MatchReference.None);
    }

    public static MatchResult Score(MatchProfile lead, Company candidate, MatchReference reference)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        IReadOnlyList<MatchComponent> parts =
        [
            S3(lead, candidate, reference),
            Nace(lead, candidate),
            Overlap(OffersNeedsComponent, OffersNeedsMax, lead.Needs, [candidate.Offers, candidate.Keywords]),
            OverlapBack(lead, candidate),
            TargetCountry(lead, candidate),
            PartnerType(lead, candidate),
            RegionPairing(lead, candidate, reference),
            Languages(lead, candidate),
        ];
        return new MatchResult(candidate, Math.Clamp(parts.Sum(p => p.Points), 0, 100), parts);
    }

    /// <summary>The partner types a candidate counts as: an SME by its size class, a large company, a research organisation.</summary>
    public static IReadOnlyList<string> PartnerTypesOf(Company candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.SizeClass switch
        {
            SizeClasses.Micro or SizeClasses.Small or SizeClasses.Medium => ["sme"],
            SizeClasses.Large => ["large-company"],
            SizeClasses.Research => ["research-organisation", "university"],
            _ => [],
        };
    }

    /// <summary>A partner type sought (the values of the needs assessment) in words.</summary>
    public static string PartnerTypeName(string type) => type switch
    {
        "sme" => Localized.Text("SME"),
        "large-company" => Localized.Text("large company"),
        "research-organisation" => Localized.Text("research organisation"),
        "university" => Localized.InSentence("University"),
        "cluster" => Localized.Text("cluster or business association"),
        "public-body" => Localized.Text("public body"),
        _ => type,
    };

    private static string Described(SourcedCode code, string name) => $"{name} ({ProfileSource.From(code.Sources)})";

    private static MatchComponent S3(MatchProfile lead, Company candidate, MatchReference reference)
    {
        if (lead.S3Areas.Count == 0)
        {
            return new MatchComponent(S3Component, 0, S3Max, Localized.Text("No S3 area recorded in the case profile or on the lead company."));
        }

        var shared = lead.S3Areas.Where(a => candidate.S3Areas.Contains(a.Code, StringComparer.OrdinalIgnoreCase)).ToList();
        if (shared.Count == 0)
        {
            return new MatchComponent(S3Component, 0, S3Max,
                Localized.Format("No S3 area in common; the case names {0}.", string.Join(", ", lead.S3Areas.Select(a => Described(a, reference.S3Name(a.Code))))));
        }

        var list = string.Join(", ", shared.Select(a => Described(a, reference.S3Name(a.Code))));
        return shared.Count == lead.S3Areas.Count || shared.Count >= 2
            ? new MatchComponent(S3Component, S3Max, S3Max, shared.Count == lead.S3Areas.Count ? $"{list}." : Localized.Format("{0} of the case's {1} S3 areas in common: {2}.", shared.Count, lead.S3Areas.Count, list))
            : new MatchComponent(S3Component, 20, S3Max, Localized.Format("1 of the case's {0} S3 areas in common: {1}.", lead.S3Areas.Count, list));
    }

    /// <summary>The NACE section of a code (its letter, upper case).</summary>
    public static string NaceSection(string code) => code.Trim().ToUpperInvariant()[..1];

    /// <summary>The NACE division of a code (C16 of C16.2), or null when the code names a section only.</summary>
    public static string? NaceDivision(string code)
    {
        var c = code.Trim().ToUpperInvariant().Replace(".", "", StringComparison.Ordinal);
        return c.Length >= 3 && char.IsLetter(c[0]) && char.IsDigit(c[1]) && char.IsDigit(c[2]) ? c[..3] : null;
    }

    private static MatchComponent Nace(MatchProfile lead, Company candidate)
    {
        static string Section(string code) => NaceSection(code);
        static string? Division(string code) => NaceDivision(code);

        var leadCodes = lead.NaceCodes.Where(c => !string.IsNullOrWhiteSpace(c.Code)).ToList();
        var candidateCodes = candidate.NaceCodes.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        var candidateDivisions = candidateCodes.Select(Division).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var division = leadCodes.Where(c => Division(c.Code) is { } d && candidateDivisions.Contains(d)).OrderBy(c => Division(c.Code), StringComparer.Ordinal).FirstOrDefault();
        if (division is not null)
        {
            return new MatchComponent(NaceComponent, NaceMax, NaceMax, Localized.Format("Same NACE division {0} ({1}).", Division(division.Code), ProfileSource.From(division.Sources)));
        }

        var candidateSections = candidateCodes.Select(Section).ToHashSet(StringComparer.Ordinal);
        var section = leadCodes.Where(c => candidateSections.Contains(Section(c.Code))).OrderBy(c => Section(c.Code), StringComparer.Ordinal).FirstOrDefault();
        return section is not null
            ? new MatchComponent(NaceComponent, 9, NaceMax, Localized.Format("Same NACE section {0} ({1}), different divisions.", Section(section.Code), ProfileSource.From(section.Sources)))
            : new MatchComponent(NaceComponent, 0, NaceMax, leadCodes.Count == 0 || candidateCodes.Count == 0 ? Localized.Text("NACE codes missing on one side.") : Localized.Text("Different NACE sections."));
    }

    private static MatchComponent OverlapBack(MatchProfile lead, Company candidate)
    {
        var needTerms = Keywords.Terms(candidate.Needs);
        var offers = lead.Offers.Select(o => (Terms: Keywords.Terms(o.Text), o.Source)).ToList();
        if (needTerms.Count == 0 || offers.All(o => o.Terms.Count == 0))
        {
            return new MatchComponent(NeedsOffersComponent, 0, NeedsOffersMax, needTerms.Count == 0 ? Localized.Text("Nothing to compare: their needs not described.") : Localized.Text("Nothing to compare: the lead's offers not described."));
        }

        var shared = needTerms.Where(t => offers.Any(o => o.Terms.Contains(t))).Order(StringComparer.Ordinal).ToList();
        var sources = offers.Where(o => o.Terms.Overlaps(shared)).Select(o => o.Source);
        return Explained(NeedsOffersComponent, NeedsOffersMax, shared, sources, back: true);
    }

    private static MatchComponent Overlap(string component, int max, IReadOnlyList<SourcedText> needs, string?[] offers)
    {
        var needTerms = needs.Select(n => (Terms: Keywords.Terms(n.Text), n.Source)).ToList();
        var offerTerms = Keywords.Terms(string.Join(' ', offers));
        if (needTerms.All(n => n.Terms.Count == 0) || offerTerms.Count == 0)
        {
            return new MatchComponent(component, 0, max, needTerms.All(n => n.Terms.Count == 0) ? Localized.Text("Nothing to compare: the lead's needs not described.") : Localized.Text("Nothing to compare: their offers not described."));
        }

        var shared = needTerms.SelectMany(n => n.Terms).Where(offerTerms.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var sources = needTerms.Where(n => n.Terms.Overlaps(shared)).Select(n => n.Source);
        return Explained(component, max, shared, sources, back: false);
    }

    /// <summary>The overlap of needs and offers in words: the lead's needs with their offers, or (<paramref name="back"/>) their needs with the lead's offers.</summary>
    private static MatchComponent Explained(string component, int max, IReadOnlyList<string> shared, IEnumerable<string> sources, bool back)
    {
        if (shared.Count == 0)
        {
            return new MatchComponent(component, 0, max, back
                ? Localized.Text("No word of their needs appears in the lead's offers.")
                : Localized.Text("No word of the lead's needs appears in their offers."));
        }

        var points = Math.Min(max, shared.Count * 5);
        var terms = string.Join(", ", shared);
        var from = ProfileSource.From(sources);
        return new MatchComponent(component, points, max, (shared.Count == 1, back) switch
        {
            (true, false) => Localized.Format("1 shared term between the lead's needs and their offers: {0} ({1}).", terms, from),
            (false, false) => Localized.Format("{0} shared terms between the lead's needs and their offers: {1} ({2}).", shared.Count, terms, from),
            (true, true) => Localized.Format("1 shared term between their needs and the lead's offers: {0} ({1}).", terms, from),
            (false, true) => Localized.Format("{0} shared terms between their needs and the lead's offers: {1} ({2}).", shared.Count, terms, from),
        });
    }

    private static MatchComponent TargetCountry(MatchProfile lead, Company candidate)
    {
        var targets = lead.TargetCountries;
        if (targets.Count == 0)
        {
            return new MatchComponent(TargetCountryComponent, 0, TargetCountryMax, Localized.Text("No target countries recorded on the case yet."));
        }

        var country = candidate.CountryCode.ToUpperInvariant();
        var hit = targets.FirstOrDefault(t => string.Equals(t.Code, country, StringComparison.OrdinalIgnoreCase));
        return hit is not null
            ? new MatchComponent(TargetCountryComponent, TargetCountryMax, TargetCountryMax, Localized.Format("{0} is one of the case's target countries ({1}).", CompanyRules.CountryName(country), ProfileSource.From(hit.Sources)))
            : new MatchComponent(TargetCountryComponent, 0, TargetCountryMax,
                Localized.Format("{0} is not among the case's target countries ({1}).", CompanyRules.CountryName(country), string.Join(", ", targets.Select(t => CompanyRules.CountryName(t.Code)))));
    }

    private static MatchComponent PartnerType(MatchProfile lead, Company candidate)
    {
        if (lead.PartnerTypes.Count == 0)
        {
            return new MatchComponent(PartnerTypeComponent, 0, PartnerTypeMax, Localized.Text("No partner types sought recorded on the case yet."));
        }

        var types = PartnerTypesOf(candidate);
        var hit = lead.PartnerTypes.FirstOrDefault(t => types.Contains(t.Code, StringComparer.OrdinalIgnoreCase));
        var sought = string.Join(", ", lead.PartnerTypes.Select(t => PartnerTypeName(t.Code)));
        if (types.Count == 0)
        {
            return new MatchComponent(PartnerTypeComponent, 0, PartnerTypeMax, Localized.Format("They are of an unknown type; the case seeks: {0}.", sought));
        }

        // English needs "a" or "an" before the type; the other languages have no article, so each form is its own key.
        var an = types[0] == "sme";
        var name = PartnerTypeName(types[0]);
        return hit is not null
            ? new MatchComponent(PartnerTypeComponent, PartnerTypeMax, PartnerTypeMax, an
                ? Localized.Format("They are an {0}, a partner type the case seeks ({1}).", name, ProfileSource.From(hit.Sources))
                : Localized.Format("They are a {0}, a partner type the case seeks ({1}).", name, ProfileSource.From(hit.Sources)))
            : new MatchComponent(PartnerTypeComponent, 0, PartnerTypeMax, an
                ? Localized.Format("They are an {0}; the case seeks: {1}.", name, sought)
                : Localized.Format("They are a {0}; the case seeks: {1}.", name, sought));
    }

    private static MatchComponent RegionPairing(MatchProfile lead, Company candidate, MatchReference reference)
    {
        var leadKind = reference.RegionKind(lead.RegionCode);
        var candidateKind = reference.RegionKind(candidate.RegionCode);
        if (leadKind is null || candidateKind is null)
        {
            return new MatchComponent(RegionPairingComponent, 0, RegionPairingMax, Localized.Text("Whether the regions are supported or advanced is not recorded."));
        }

        var leadRegion = $"{reference.RegionName(lead.RegionCode)} ({KindName(leadKind)})";
        var candidateRegion = $"{reference.RegionName(candidate.RegionCode)} ({KindName(candidateKind)})";
        return leadKind != candidateKind && leadKind is SupportedRegion or AdvancedRegion && candidateKind is SupportedRegion or AdvancedRegion
            ? new MatchComponent(RegionPairingComponent, RegionPairingMax, RegionPairingMax, Localized.Format("{0} with {1}: Trans-S3 pairs a less with a more advanced region.", leadRegion, candidateRegion))
            : new MatchComponent(RegionPairingComponent, 0, RegionPairingMax, candidateKind == SupportedRegion
                ? Localized.Format("{0} with {1}: both regions are supported; Trans-S3 pairs a less with a more advanced region.", leadRegion, candidateRegion)
                : candidateKind == AdvancedRegion
                    ? Localized.Format("{0} with {1}: both regions are advanced; Trans-S3 pairs a less with a more advanced region.", leadRegion, candidateRegion)
                    : Localized.Format("{0} with {1}: both regions are {2}; Trans-S3 pairs a less with a more advanced region.", leadRegion, candidateRegion, candidateKind));
    }

    /// <summary>"supported" or "advanced" in the reader's language; another kind as it is recorded.</summary>
    private static string KindName(string kind) => kind switch
    {
        SupportedRegion => Localized.Text("supported"),
        AdvancedRegion => Localized.Text("advanced"),
        _ => kind,
    };

    private static MatchComponent Languages(MatchProfile lead, Company candidate)
    {
        var shared = Keywords.Languages(lead.Languages).Intersect(Keywords.Languages(candidate.Languages), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return shared.Count switch
        {
            0 => new MatchComponent(LanguageComponent, 0, LanguageMax, Localized.Text("No language in common recorded.")),
            1 => new MatchComponent(LanguageComponent, 3, LanguageMax, Localized.Format("One shared language: {0}.", shared[0])),
            _ => new MatchComponent(LanguageComponent, LanguageMax, LanguageMax, Localized.Format("Shared languages: {0}.", string.Join(", ", shared))),
        };
    }
}
