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

    /// <summary>
    /// Examine only the candidates sharing an S3 area and a NACE division with the case (and those sharing a word). Tried
    /// before examining every candidate that shares an area, which for a case of one common area is a fifth of all
    /// companies (decision 0064).
    /// </summary>
    public bool Divisions { get; private init; }

    /// <summary>The most a candidate that is not examined can score.</summary>
    public int Above { get; private init; }

    /// <summary>Every candidate reaching the minimum score is examined: the page and the count need no other.</summary>
    public bool Complete { get; private init; }

    /// <summary>
    /// The examined candidates' ids, when they were read before the ranking (PostgreSQL, <see cref="ReadsIdsFirst"/>);
    /// null when the ranking finds them itself.
    /// </summary>
    public IReadOnlyList<Guid>? Ids { get; init; }

    /// <summary>
    /// Whether the examined ids are read first and the ranking then reads those companies by id. On PostgreSQL the
    /// planner cannot know how few candidates the union of words and areas gives (a common word's statistics are no guide
    /// to the case's), and for a few thousand of them scanned every company and hashed; by id it reads only those. The ids
    /// travel as one array parameter there; the other servers take a parameter per id, so they join the union instead.
    /// </summary>
    public static bool ReadsIdsFirst(ISqlDialect d) => d?.Provider == DatabaseProvider.Postgres;

    /// <summary>The case's S3 areas' reference codes, in the case's order, when each names exactly one; null otherwise.</summary>
    private IReadOnlyList<string>? AreaCodes { get; init; }

    /// <summary>
    /// This pre-filter with the examined candidates' ids read. The case's areas are resolved to their reference codes
    /// first (one look-up in the small reference table), so that each pair of areas is two ranges of
    /// <c>ix_company_s3_areas_code</c>, each in company order, merged (measured 8 ms against 15 ms hashed for two areas
    /// of 23,000 companies each).
    /// </summary>
    public async Task<MatchPrefilter> WithIdsAsync(System.Data.Common.DbConnection c, CandidateRanking ranking, ISqlDialect d, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(ranking);
        var resolved = this;
        if (Pairs && ranking.S3Count is > 1 and <= MaxPairedAreas)
        {
            var p = new DynamicParameters();
            p.Add("areas", ranking.S3Areas.ToArray());
            var codes = (await c.QueryAsync<string>(new CommandDefinition($"SELECT code FROM s3_areas WHERE {d.InList("LOWER(code)", "@areas")}", p, cancellationToken: cancellationToken))).ToList();
            var byArea = codes.ToLookup(x => x.ToLowerInvariant(), StringComparer.Ordinal);
            if (ranking.S3Areas.All(a => byArea[a].Count() == 1))
            {
                resolved = this with { AreaCodes = [.. ranking.S3Areas.Select(a => byArea[a].Single())] };
            }
        }

        var examined = new DynamicParameters();
        var ids = await c.QueryAsync<Guid>(new CommandDefinition(resolved.Examined(ranking, d, examined), examined, cancellationToken: cancellationToken));
        return resolved with { Ids = [.. ids] };
    }

    /// <summary>
    /// The pre-filters to try for a case and a minimum score, the narrowest first: each examines more candidates than
    /// the one before and gives up a page only when its candidates do not settle it. Empty when the case has no word and
    /// no S3 area to find candidates by.
    /// </summary>
    /// <remarks>
    /// A case whose S3 areas are not examined in pairs (one area, or a minimum score the pairs cannot guarantee) and that
    /// names a NACE division first examines the candidates sharing an area and a division. Any other candidate shares
    /// no word and either no area (at most what <see cref="Unexamined"/> gives) or an area without a division: at most
    /// every S3 point and every other part, with the NACE section's points for the division's.
    /// </remarks>
    public static IEnumerable<MatchPrefilter> Tiers(CandidateRanking ranking, int? minScore)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        if (Of(ranking, minScore) is not { } broad)
        {
            yield break;
        }

        if (!broad.Pairs && ranking.S3Count > 0 && ranking.NaceDivisions.Count > 0)
        {
            var above = CandidateRanking.S3All + Unexamined(ranking) - CandidateRanking.NaceDivisionPoints + CandidateRanking.NaceSectionPoints;
            if (minScore is not { } m || m > above || m <= broad.Above)
            {
                yield return new MatchPrefilter { Divisions = true, Above = above, Complete = minScore > above };
            }
        }

        yield return broad;
    }

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
    /// The ids of the examined candidates (<c>company_id</c>, each once), with their parameters: the words as
    /// <c>@rneeds</c> and <c>@roffers</c> (the names the score uses for the same lists), the S3 areas.
    /// </summary>
    public string Examined(CandidateRanking ranking, ISqlDialect d, DynamicParameters p)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(p);
        var sets = new List<string>();
        if (ranking.NeedTerms.Count > 0)
        {
            p.Add("rneeds", ranking.NeedTerms.ToArray());
            sets.Add($"SELECT xo.company_id FROM company_match_terms xo WHERE xo.kind = '{CompanyTerms.Offer}' AND {d.InList("xo.term", "@rneeds")}");
        }

        if (ranking.OfferTerms.Count > 0)
        {
            p.Add("roffers", ranking.OfferTerms.ToArray());
            sets.Add($"SELECT xn.company_id FROM company_match_terms xn WHERE xn.kind = '{CompanyTerms.Need}' AND {d.InList("xn.term", "@roffers")}");
        }

        // The reference codes of the case's areas (the case's are lower case; the score compares them ignoring case).
        // Resolved, the codes themselves.
        string Area(int i) => AreaCodes is null ? $" IN (SELECT xa{i}.code FROM s3_areas xa{i} WHERE LOWER(xa{i}.code) = @xs3{i})" : $" = @xs3{i}";
        if (Pairs && ranking.S3Count <= MaxPairedAreas)
        {
            for (var i = 0; i < ranking.S3Count; i++)
            {
                p.Add($"xs3{i}", AreaCodes is null ? ranking.S3Areas[i] : AreaCodes[i]);
            }

            for (var i = 0; i < ranking.S3Count; i++)
            {
                for (var j = i + 1; j < ranking.S3Count; j++)
                {
                    sets.Add($"SELECT xs.company_id FROM company_s3_areas xs JOIN company_s3_areas xt ON xt.company_id = xs.company_id WHERE xs.s3_code{Area(i)} AND xt.s3_code{Area(j)}");
                }
            }
        }
        else if (ranking.S3Count > 0)
        {
            p.Add("xs3", ranking.S3Areas.ToArray());
            var any = $"SELECT xs.company_id FROM company_s3_areas xs WHERE xs.s3_code IN (SELECT xa.code FROM s3_areas xa WHERE {d.InList("LOWER(xa.code)", "@xs3")})";
            if (Divisions)
            {
                // A code's division as MatchScorer.NaceDivision reads it: upper case, without its dot, its first three
                // characters (a division is a letter and two digits: no LIKE wildcard in it).
                var division = string.Join(" OR ", ranking.NaceDivisions.Select((x, i) =>
                {
                    p.Add($"xnd{i}", x + "%");
                    return $"UPPER(REPLACE(TRIM(xd.nace_code), '.', '')) LIKE @xnd{i}";
                }));
                any += $" AND EXISTS (SELECT 1 FROM company_nace_codes xd WHERE xd.company_id = xs.company_id AND ({division}))";
            }

            sets.Add(Pairs ? $"{any} GROUP BY xs.company_id HAVING COUNT(*) >= 2" : any);
        }

        return string.Join(" UNION ", sets);
    }
}
