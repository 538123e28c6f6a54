using TIBS.Cases.Core.Companies;

namespace TIBS.Cases.Core.Matching;

/// <summary>
/// Everything of a case's profile that a candidate's score depends on, in the form SQL compares it, so that the
/// database computes the complete score exactly as <see cref="MatchScorer"/> does (decision 0051): shared S3 areas (30
/// or 20), NACE division (15) or section (9), the candidate's offers meeting the lead's needs (5 a shared term, at
/// most 15), the lead's offers meeting the candidate's needs (5 a shared term, at most 10), target country (10),
/// partner type sought (10), the Trans-S3 region pairing (5) and shared languages (3 for one, 5 for two or more). The
/// candidate's words are the stored <see cref="CompanyTerms"/>. The partner search reads only the page SQL returns
/// and explains it in memory.
/// </summary>
public sealed record CandidateRanking
{
    /// <summary>The points of each part, as <see cref="MatchScorer"/> gives them.</summary>
    public const int S3All = MatchScorer.S3Max;
    public const int S3One = 20;
    public const int NaceDivisionPoints = MatchScorer.NaceMax;
    public const int NaceSectionPoints = 9;
    public const int OffersNeedsMax = MatchScorer.OffersNeedsMax;
    public const int NeedsOffersMax = MatchScorer.NeedsOffersMax;
    public const int SharedTermPoints = 5;
    public const int TargetCountryPoints = MatchScorer.TargetCountryMax;
    public const int PartnerTypePoints = MatchScorer.PartnerTypeMax;
    public const int RegionPairingPoints = MatchScorer.RegionPairingMax;
    public const int OneLanguagePoints = 3;
    public const int LanguagesPoints = MatchScorer.LanguageMax;
    public const string SupportedRegion = MatchScorer.SupportedRegion;
    public const string AdvancedRegion = MatchScorer.AdvancedRegion;

    /// <summary>The case's S3 areas, lower case, each once.</summary>
    public IReadOnlyList<string> S3Areas { get; init; } = [];

    /// <summary>The case's NACE divisions (C16), upper case.</summary>
    public IReadOnlyList<string> NaceDivisions { get; init; } = [];

    /// <summary>The case's NACE sections (C), upper case.</summary>
    public IReadOnlyList<string> NaceSections { get; init; } = [];

    /// <summary>The case's target countries, upper case.</summary>
    public IReadOnlyList<string> TargetCountries { get; init; } = [];

    /// <summary>The size classes of the partner types the case seeks (an SME: micro, small, medium …).</summary>
    public IReadOnlyList<string> SizeClassesSought { get; init; } = [];

    /// <summary>The terms of the lead's needs (all sources together): a candidate earns points for each among its offer terms.</summary>
    public IReadOnlyList<string> NeedTerms { get; init; } = [];

    /// <summary>The terms of the lead's offers (all sources together): a candidate earns points for each among its need terms.</summary>
    public IReadOnlyList<string> OfferTerms { get; init; } = [];

    /// <summary>The lead's language codes, lower case.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>The lead's region kind when it is supported or advanced: candidates of the other kind get the pairing's points.</summary>
    public string? LeadRegionKind { get; init; }

    /// <summary>The ranking of a case's profile, with the region kinds of the reference data.</summary>
    public static CandidateRanking Of(MatchProfile profile, MatchReference reference)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(reference);
        string[] sizes = [SizeClasses.Micro, SizeClasses.Small, SizeClasses.Medium, SizeClasses.Large, SizeClasses.Research];
        var sought = profile.PartnerTypes.Select(t => t.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kind = reference.RegionKind(profile.RegionCode);
        var codes = profile.NaceCodes.Select(c => c.Code).Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        return new CandidateRanking
        {
            S3Areas = [.. profile.S3Areas.Select(a => a.Code.ToLowerInvariant()).Distinct(StringComparer.Ordinal)],
            NaceDivisions = [.. codes.Select(MatchScorer.NaceDivision).OfType<string>().Distinct(StringComparer.Ordinal)],
            NaceSections = [.. codes.Select(MatchScorer.NaceSection).Distinct(StringComparer.Ordinal)],
            TargetCountries = [.. profile.TargetCountries.Select(t => t.Code.ToUpperInvariant()).Distinct(StringComparer.Ordinal)],
            SizeClassesSought = [.. sizes.Where(s => MatchScorer.PartnerTypesOf(new Company { Id = Guid.Empty, Name = "", CountryCode = "", RegionCode = "", SizeClass = s }).Any(sought.Contains))],
            NeedTerms = [.. profile.Needs.SelectMany(n => Keywords.Terms(n.Text)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            OfferTerms = [.. profile.Offers.SelectMany(o => Keywords.Terms(o.Text)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Languages = [.. Keywords.Languages(profile.Languages).Order(StringComparer.Ordinal)],
            LeadRegionKind = kind is MatchScorer.SupportedRegion or MatchScorer.AdvancedRegion ? kind : null,
        };
    }

    /// <summary>How many S3 areas the case names (all of them shared earns the full points even when it is one).</summary>
    public int S3Count => S3Areas.Count;
}

/// <summary>A candidate with the score SQL computed for it (<see cref="CandidateRanking"/>).</summary>
public sealed record RankedCandidate(Company Company, int Rank);

/// <summary>One page of ranked candidates, best first, and how many candidates pass the filters and the minimum score.</summary>
public sealed record RankedPage(IReadOnlyList<RankedCandidate> Candidates, int Found);
