using Dapper;
using TIBS.Cases.Core.Matching;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The exact pre-filter of the partner search (decision 0051): the candidates that share words or S3 areas with the
/// case, found through the indexes of <c>company_match_terms</c> and <c>company_s3_areas</c>, are the only ones scored
/// when the page or the minimum score needs only candidates above what any other candidate can score.
/// </summary>
/// <remarks>
/// A candidate that is not examined shares no word with the case (both words' parts give it 0) and fewer S3 areas than
/// the examined ones: with <see cref="Pairs"/>, at most one of the case's areas (at most
/// <see cref="CandidateRanking.S3One"/>), otherwise none. It scores at most <see cref="Above"/>: that S3 part plus every
/// part the pre-filter does not look at (NACE, target country, partner type, region pairing, languages) at its maximum
/// for this case. So the examined candidates' best page is the page of all candidates when its last score is above
/// <see cref="Above"/>, and those reaching a minimum score above <see cref="Above"/> are all among them
/// (<see cref="Complete"/>). The codes tested are those the score tests: a company's S3 areas and its
/// <c>match_codes</c> are written together.
/// </remarks>
internal sealed record MatchPrefilter
{
    /// <summary>Up to this many S3 areas of the case, the candidates sharing two are found as pairs (one join each).</summary>
    private const int MaxPairedAreas = 4;

    /// <summary>Examine only the candidates sharing at least two of the case's S3 areas (and those sharing a word).</summary>
    public bool Pairs { get; private init; }

    /// <summary>The most a candidate that is not examined can score.</summary>
    public int Above { get; private init; }

    /// <summary>Every candidate reaching the minimum score is examined: the page and the count need no other.</summary>
    public bool Complete { get; private init; }

    /// <summary>The pre-filter for a case and a minimum score; null when the case has no word and no S3 area to find candidates by.</summary>
    public static MatchPrefilter? Of(CandidateRanking ranking, int? minScore)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        if (ranking.S3Count == 0 && ranking.NeedTerms.Count == 0 && ranking.OfferTerms.Count == 0)
        {
            return null;
        }

        var rest = Unexamined(ranking);
        var pairs = new MatchPrefilter { Pairs = true, Above = CandidateRanking.S3One + rest };
        var shared = new MatchPrefilter { Above = rest };
        if (ranking.S3Count >= 2 && (minScore is not { } m || m > pairs.Above || m <= shared.Above))
        {
            return pairs with { Complete = minScore > pairs.Above };
        }

        return shared with { Complete = minScore > shared.Above };
    }

    /// <summary>The most the parts the pre-filter does not look at give this case's candidates.</summary>
    private static int Unexamined(CandidateRanking ranking) =>
        (ranking.NaceSections.Count > 0 ? CandidateRanking.NaceDivisionPoints : 0)
        + (ranking.TargetCountries.Count > 0 ? CandidateRanking.TargetCountryPoints : 0)
        + (ranking.SizeClassesSought.Count > 0 ? CandidateRanking.PartnerTypePoints : 0)
        + (ranking.LeadRegionKind is not null ? CandidateRanking.RegionPairingPoints : 0)
        + ranking.Languages.Count switch
        {
            0 => 0,
            1 => CandidateRanking.OneLanguagePoints,
            _ => CandidateRanking.LanguagesPoints,
        };

    /// <summary>
    /// The ids of the examined candidates (<c>company_id</c>, each once); the words are the parameters <c>@rneeds</c> and
    /// <c>@roffers</c> the score adds, the S3 areas are added here.
    /// </summary>
    public string Examined(CandidateRanking ranking, ISqlDialect d, DynamicParameters p)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(p);
        var sets = new List<string>();
        if (ranking.NeedTerms.Count > 0)
        {
            sets.Add($"SELECT xo.company_id FROM company_match_terms xo WHERE xo.kind = '{CompanyTerms.Offer}' AND {d.InList("xo.term", "@rneeds")}");
        }

        if (ranking.OfferTerms.Count > 0)
        {
            sets.Add($"SELECT xn.company_id FROM company_match_terms xn WHERE xn.kind = '{CompanyTerms.Need}' AND {d.InList("xn.term", "@roffers")}");
        }

        // The reference codes of the case's areas (the case's are lower case; the score compares them ignoring case).
        string Area(int i) => $"(SELECT xa{i}.code FROM s3_areas xa{i} WHERE LOWER(xa{i}.code) = @xs3{i})";
        if (Pairs && ranking.S3Count <= MaxPairedAreas)
        {
            for (var i = 0; i < ranking.S3Count; i++)
            {
                p.Add($"xs3{i}", ranking.S3Areas[i]);
            }

            for (var i = 0; i < ranking.S3Count; i++)
            {
                for (var j = i + 1; j < ranking.S3Count; j++)
                {
                    sets.Add($"SELECT xs.company_id FROM company_s3_areas xs JOIN company_s3_areas xt ON xt.company_id = xs.company_id WHERE xs.s3_code IN {Area(i)} AND xt.s3_code IN {Area(j)}");
                }
            }
        }
        else if (ranking.S3Count > 0)
        {
            p.Add("xs3", ranking.S3Areas.ToArray());
            var any = $"SELECT xs.company_id FROM company_s3_areas xs WHERE xs.s3_code IN (SELECT xa.code FROM s3_areas xa WHERE {d.InList("LOWER(xa.code)", "@xs3")})";
            sets.Add(Pairs ? $"{any} GROUP BY xs.company_id HAVING COUNT(*) >= 2" : any);
        }

        return string.Join(" UNION ", sets);
    }
}
