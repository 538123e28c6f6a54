using TIBS.Cases.Core.Companies;

namespace TIBS.Cases.Core.Matching;

/// <summary>
/// The parts of a candidate's score that SQL can compute from codes alone, exactly as <see cref="MatchScorer"/> does:
/// shared S3 areas (30 or 20), NACE division (15) or section (9), target country (10), partner type sought (10) and
/// the Trans-S3 region pairing (5). The rest of the score (offers ↔ needs 15, needs ↔ offers 10, languages 5) compares
/// words, so a candidate's score is at most its rank plus <see cref="Rest"/>. The partner search reads candidates best
/// rank first and stops once no unread candidate can reach the shown ones (decision 0051).
/// </summary>
public sealed record CandidateRanking
{
    /// <summary>The most points the parts SQL does not compute can add.</summary>
    public const int Rest = MatchScorer.OffersNeedsMax + MatchScorer.NeedsOffersMax + MatchScorer.LanguageMax;

    /// <summary>The points of each part, as <see cref="MatchScorer"/> gives them.</summary>
    public const int S3All = MatchScorer.S3Max;
    public const int S3One = 20;
    public const int NaceDivisionPoints = MatchScorer.NaceMax;
    public const int NaceSectionPoints = 9;
    public const int TargetCountryPoints = MatchScorer.TargetCountryMax;
    public const int PartnerTypePoints = MatchScorer.PartnerTypeMax;
    public const int RegionPairingPoints = MatchScorer.RegionPairingMax;
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
            LeadRegionKind = kind is MatchScorer.SupportedRegion or MatchScorer.AdvancedRegion ? kind : null,
        };
    }

    /// <summary>How many S3 areas the case names (all of them shared earns the full points even when it is one).</summary>
    public int S3Count => S3Areas.Count;
}

/// <summary>A candidate with the rank SQL computed for it (<see cref="CandidateRanking"/>).</summary>
public sealed record RankedCandidate(Company Company, int Rank);
