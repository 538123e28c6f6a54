using System.Text;
using Dapper;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Candidate companies for the partner search: filtered, scored and ranked in SQL by the complete score
/// (<see cref="CandidateRanking"/>, the stored <see cref="CompanyTerms"/>); only the shown page is read (decision 0051).
/// </summary>
internal sealed class MatchingQueries(IDbConnectionFactory db) : IMatchingQueries
{
    private const string Columns = "co.id, co.name, co.country_code, co.region_code, co.size_class, co.year_founded, co.website, co.offers, co.needs, co.keywords, co.languages, co.created_at, co.updated_at, co.version";

    /// <summary>Ids per statement when the codes of the candidates are read (SQL Server takes at most 2,100 parameters).</summary>
    private const int IdBatch = 1000;

    public async Task<IReadOnlyList<Company>> CandidatesAsync(CandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, p) = Where(query);
        p.Add("take", Math.Clamp(query.Take, 1, 2000));
        var sql = db.Dialect.Limit($"SELECT {Columns} FROM companies co{where} ORDER BY co.name, co.id", "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        var companies = (await c.QueryAsync<Company>(new CommandDefinition(sql, p, cancellationToken: cancellationToken)))
            .Where(x => !query.ExcludeCompanyIds.Contains(x.Id))
            .ToList();
        return await WithCodesAsync(c, companies, cancellationToken);
    }

    public async Task<RankedPage> BestCandidatesAsync(CandidateQuery query, CandidateRanking ranking, int? minScore, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ranking);
        take = Math.Max(1, take);

        // "N candidates found": those the filters let through, or (with a minimum score) those that reach it; a page that
        // is not full needs no count. On the servers the count of those the filters let through (an index read) runs on
        // a connection of its own while the page is ranked and read. The count of those reaching a minimum score follows
        // the page, only when the page is full, as every count does on SQLite (a file, one writer).
        var counting = CountAlongside(query, minScore, cancellationToken);

        // The candidates sharing words or S3 areas with the case first (MatchPrefilter), the narrowest set first; every
        // candidate when none settles the page.
        foreach (var prefilter in MatchPrefilter.Tiers(ranking, minScore))
        {
            if (await RankAsync(query, ranking, minScore, take, prefilter, counting, cancellationToken) is { } page)
            {
                return page;
            }
        }

        return (await RankAsync(query, ranking, minScore, take, null, counting, cancellationToken))!;
    }

    /// <summary>The page and the count ranking every candidate the filters let through, without the pre-filter.</summary>
    internal async Task<RankedPage> RankEveryCandidateAsync(CandidateQuery query, CandidateRanking ranking, int? minScore, int take, CancellationToken cancellationToken = default)
    {
        take = Math.Max(1, take);
        return (await RankAsync(query, ranking, minScore, take, null, CountAlongside(query, minScore, cancellationToken), cancellationToken))!;
    }

    /// <summary>The count of the candidates the filters let through, on a connection of its own (servers, no minimum score); null otherwise.</summary>
    private Task<int>? CountAlongside(CandidateQuery query, int? minScore, CancellationToken cancellationToken) =>
        minScore is null && db.Dialect.Provider is DatabaseProvider.Postgres or DatabaseProvider.SqlServer ? CountApartAsync(query, cancellationToken) : null;

    /// <summary>
    /// The page ranked among the candidates the pre-filter examines (all of them without one) and its count; null when
    /// the examined candidates do not settle the page (it is not full, or its last score is not above what the others
    /// can score).
    /// </summary>
    private async Task<RankedPage?> RankAsync(
        CandidateQuery query, CandidateRanking ranking, int? minScore, int take, MatchPrefilter? prefilter, Task<int>? counting, CancellationToken cancellationToken)
    {
        var d = db.Dialect;
        await using var c = await db.OpenAsync(cancellationToken);
        if (prefilter is { Ids: null } && MatchPrefilter.ReadsIdsFirst(d))
        {
            prefilter = await prefilter.WithIdsAsync(c, ranking, d, cancellationToken);
        }

        var (scored, p) = Scored(query, ranking, prefilter);
        p.Add("minScore", minScore ?? 0);
        p.Add("take", take);

        // The score of every examined candidate, the page's candidates chosen by it (a top-N sort: no window or count in
        // the same statement, which would sort every candidate), then their columns read by id.
        var byName = NameCollations.Collate("sc.name", query.Order, d.Provider);
        var atLeast = minScore is null ? "" : " WHERE sc.match_score >= @minScore";
        var best = d.Limit($"SELECT sc.id, sc.match_score FROM ({scored}) sc{atLeast} ORDER BY sc.match_score DESC, {byName}, sc.id", "@take");
        var sql = $"SELECT {Columns}, best.match_score AS match_rank FROM ({best}) best JOIN companies co ON co.id = best.id ORDER BY best.match_score DESC, {NameCollations.Collate("co.name", query.Order, d.Provider)}, co.id";

        // The examined companies read by key (PostgreSQL): costed at the default four sequential reads per random one, a few
        // thousand of them look dearer than scanning every company (measured: 48-59 ms scanned, 14-21 ms by key at 100,000
        // companies). Without parallel workers: on a server of few cores the workers queue behind the leader and the count
        // running alongside (measured at 21,000 examined companies on 2 cores: 125-149 ms p50 alone, 179-235 ms with two
        // workers). Both are set for this transaction only.
        await using var tx = prefilter?.Ids is not null ? await c.BeginTransactionAsync(cancellationToken) : null;
        if (tx is not null)
        {
            await c.ExecuteAsync(new CommandDefinition("SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0", transaction: tx, cancellationToken: cancellationToken));
        }

        var rows = (await c.QueryAsync<RankedRow>(new CommandDefinition(sql, p, tx, cancellationToken: cancellationToken))).ToList();
        var complete = prefilter is null or { Complete: true };
        if (!complete && (rows.Count < take || rows[^1].MatchRank <= prefilter!.Above))
        {
            return null;
        }

        var companies = await WithCodesAsync(c, [.. rows.Select(r => r.ToCompany())], cancellationToken);

        // A page that is not full holds every candidate.
        var found = rows.Count < take ? rows.Count
            : counting is not null ? await counting
            : await CountAsync(c, query, ranking, minScore, complete ? prefilter : null, cancellationToken);
        return new RankedPage([.. companies.Select((x, i) => new RankedCandidate(x, rows[i].MatchRank))], found);
    }

    /// <summary>The candidates the filters let through, counted on a connection of its own (with its own parameters).</summary>
    private async Task<int> CountApartAsync(CandidateQuery query, CancellationToken cancellationToken)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await CountAsync(c, query, cancellationToken);
    }

    private async Task<int> CountAsync(System.Data.Common.DbConnection c, CandidateQuery query, CandidateRanking ranking, int? minScore, MatchPrefilter? prefilter, CancellationToken cancellationToken)
    {
        if (minScore is null)
        {
            return await CountAsync(c, query, cancellationToken);
        }

        var (scored, p) = Scored(query, ranking, prefilter);
        p.Add("minScore", minScore.Value);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM ({scored}) sc WHERE sc.match_score >= @minScore", p, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Every candidate the filters let through (and the pre-filter examines, when given) with its score
    /// (<c>id, name, match_score</c>), and its parameters.
    /// </summary>
    private (string Sql, DynamicParameters Parameters) Scored(CandidateQuery query, CandidateRanking ranking, MatchPrefilter? prefilter)
    {
        var (where, p) = Where(query);
        Exclude(query, where, p);
        var (joins, score) = Score(ranking, db.Dialect, p);
        var from = prefilter is null or { Ids: not null } ? "companies co" : $"({prefilter.Examined(ranking, db.Dialect, p)}) ex JOIN companies co ON co.id = ex.company_id";
        if (prefilter?.Ids is { } ids)
        {
            p.Add("exids", db.Dialect.IdList(ids));
            where.Append(" AND ").Append(db.Dialect.InList("co.id", "@exids"));
        }

        return ($"SELECT co.id, co.name, {score} AS match_score FROM {from}{joins}{where}", p);
    }

    /// <summary>
    /// The joins and the expression of the complete score: MatchScorer's formula, part by part; a list the case does not
    /// have earns nothing and is left out. Codes (S3 areas, NACE, languages) are tested on the candidate's own row, one
    /// exact substring test per code of the case on its <c>match_codes</c> (" s3:bioeconomy ", spaces included); the words are counted in <c>company_match_terms</c>, read by the
    /// case's terms first and grouped by company, so the companies are read once.
    /// </summary>
    private static (string Joins, string Score) Score(CandidateRanking ranking, ISqlDialect d, DynamicParameters p)
    {
        var joins = new StringBuilder();
        var parts = new List<string>();
        var codes = 0;
        string Has(string kind, string value)
        {
            var name = $"code{codes++}";
            p.Add(name, " " + CompanyTerms.Token(kind, value) + " ");
            return d.Contains("co.match_codes", "@" + name);
        }

        string Count(IEnumerable<string> conditions) => "(" + string.Join(" + ", conditions.Select(c => $"CASE WHEN {c} THEN 1 ELSE 0 END")) + ")";

        if (ranking.S3Count > 0)
        {
            // A simple CASE tests the count once: one area shared earns all the points when the case names one.
            var one = ranking.S3Count == 1 ? CandidateRanking.S3All : CandidateRanking.S3One;
            parts.Add($"CASE {Count(ranking.S3Areas.Select(a => Has(CompanyTerms.S3Code, a)))} WHEN 0 THEN 0 WHEN 1 THEN {one} ELSE {CandidateRanking.S3All} END");
        }

        if (ranking.NaceSections.Count > 0)
        {
            var division = ranking.NaceDivisions.Count > 0
                ? $"WHEN {string.Join(" OR ", ranking.NaceDivisions.Select(x => Has(CompanyTerms.NaceDivisionCode, x)))} THEN {CandidateRanking.NaceDivisionPoints} "
                : "";
            parts.Add($"CASE {division}WHEN {string.Join(" OR ", ranking.NaceSections.Select(x => Has(CompanyTerms.NaceSectionCode, x)))} THEN {CandidateRanking.NaceSectionPoints} ELSE 0 END");
        }

        if (ranking.NeedTerms.Count > 0)
        {
            p.Add("rneeds", ranking.NeedTerms.ToArray());
            joins.Append($" LEFT JOIN (SELECT wo.company_id, COUNT(*) AS shared FROM company_match_terms wo WHERE wo.kind = '{CompanyTerms.Offer}' AND {d.InList("wo.term", "@rneeds")} GROUP BY wo.company_id) offers ON offers.company_id = co.id");
            parts.Add(Capped("offers.shared", CandidateRanking.OffersNeedsMax));
        }

        if (ranking.OfferTerms.Count > 0)
        {
            p.Add("roffers", ranking.OfferTerms.ToArray());
            joins.Append($" LEFT JOIN (SELECT wn.company_id, COUNT(*) AS shared FROM company_match_terms wn WHERE wn.kind = '{CompanyTerms.Need}' AND {d.InList("wn.term", "@roffers")} GROUP BY wn.company_id) needs ON needs.company_id = co.id");
            parts.Add(Capped("needs.shared", CandidateRanking.NeedsOffersMax));
        }

        if (ranking.TargetCountries.Count > 0)
        {
            p.Add("rtargets", ranking.TargetCountries.ToArray());
            parts.Add($"CASE WHEN {d.InList("UPPER(co.country_code)", "@rtargets")} THEN {CandidateRanking.TargetCountryPoints} ELSE 0 END");
        }

        if (ranking.SizeClassesSought.Count > 0)
        {
            p.Add("rsizes", ranking.SizeClassesSought.ToArray());
            parts.Add($"CASE WHEN {d.InList("co.size_class", "@rsizes")} THEN {CandidateRanking.PartnerTypePoints} ELSE 0 END");
        }

        if (ranking.LeadRegionKind is not null)
        {
            p.Add("rkind", ranking.LeadRegionKind);
            joins.Append(" LEFT JOIN regions rr ON rr.code = co.region_code");
            parts.Add($"CASE WHEN rr.kind IN ('{CandidateRanking.SupportedRegion}', '{CandidateRanking.AdvancedRegion}') AND rr.kind <> @rkind THEN {CandidateRanking.RegionPairingPoints} ELSE 0 END");
        }

        if (ranking.Languages.Count > 0)
        {
            parts.Add($"CASE {Count(ranking.Languages.Select(l => Has(CompanyTerms.LanguageCode, l)))} WHEN 0 THEN 0 WHEN 1 THEN {CandidateRanking.OneLanguagePoints} ELSE {CandidateRanking.LanguagesPoints} END");
        }

        // The parts add up to at most 100, so the sum needs no clamp (MatchScorer clamps to 0..100).
        return (joins.ToString(), parts.Count == 0 ? "0" : string.Join(" + ", parts));

        static string Capped(string shared, int max) =>
            $"CASE WHEN {shared} IS NULL THEN 0 WHEN {shared} * {CandidateRanking.SharedTermPoints} >= {max} THEN {max} ELSE {shared} * {CandidateRanking.SharedTermPoints} END";
    }

    public async Task<int> CountCandidatesAsync(CandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await db.OpenAsync(cancellationToken);
        return await CountAsync(c, query, cancellationToken);
    }

    /// <summary>
    /// The candidates the filters let through. Filtered by countries only, from the companies per country the writes
    /// keep (<c>company_counts</c>, decision 0060) less the excluded companies among them; otherwise as every company the
    /// other filters let through less those of the excluded country: both index reads (the key, the country's range of
    /// <c>ix_companies_country</c>), where a count of "not this country" reads every row.
    /// </summary>
    private async Task<int> CountAsync(System.Data.Common.DbConnection c, CandidateQuery query, CancellationToken cancellationToken)
    {
        var (filters, p) = Filters(query);
        string sql;
        if (string.IsNullOrWhiteSpace(query.Text) && string.IsNullOrWhiteSpace(query.S3Area)
            && string.IsNullOrWhiteSpace(query.RegionKind) && string.IsNullOrWhiteSpace(query.NaceSection))
        {
            string Countries(string alias) => $"{alias}.country_code <> @excludeCountry" + (string.IsNullOrWhiteSpace(query.Country) ? "" : $" AND {alias}.country_code = @country");
            sql = $"SELECT (SELECT COALESCE(SUM(k.companies), 0) FROM company_counts k WHERE {Countries("k")})";
            var excluded = query.ExcludeCompanyIds.Distinct().ToList();
            if (excluded.Count > 0)
            {
                p.Add("excludedIds", db.Dialect.IdList(excluded));
                sql += $" - (SELECT COUNT(*) FROM companies co WHERE {Countries("co")} AND {db.Dialect.InList("co.id", "@excludedIds")})";
            }
        }
        else
        {
            Exclude(query, filters, p);
            sql = $"SELECT (SELECT COUNT(*) FROM companies co WHERE 1 = 1{filters}) - (SELECT COUNT(*) FROM companies co WHERE co.country_code = @excludeCountry{filters})";
        }

        return await c.ExecuteScalarAsync<int>(new CommandDefinition(sql, p, cancellationToken: cancellationToken));
    }

    /// <summary>Leaves the companies already on the case out.</summary>
    private void Exclude(CandidateQuery query, StringBuilder where, DynamicParameters p)
    {
        var excluded = query.ExcludeCompanyIds.Distinct().ToList();
        if (excluded.Count > 0)
        {
            p.Add("excludedIds", db.Dialect.IdList(excluded));
            where.Append(" AND NOT (").Append(db.Dialect.InList("co.id", "@excludedIds")).Append(')');
        }
    }

    /// <summary>The filters of the query over <c>companies co</c>, as a WHERE clause and its parameters.</summary>
    private static (StringBuilder Where, DynamicParameters Parameters) Where(CandidateQuery query)
    {
        var (filters, p) = Filters(query);
        return (filters.Insert(0, " WHERE co.country_code <> @excludeCountry"), p);
    }

    /// <summary>
    /// The filters of the query but the excluded country, each as " AND condition" over <c>companies co</c>, and the
    /// parameters of all of them (<c>@excludeCountry</c> included).
    /// </summary>
    private static (StringBuilder Filters, DynamicParameters Parameters) Filters(CandidateQuery query)
    {
        var where = new StringBuilder();
        var p = new DynamicParameters();
        p.Add("excludeCountry", query.ExcludeCountry.Trim().ToUpperInvariant());
        if (!string.IsNullOrWhiteSpace(query.Country))
        {
            where.Append(" AND co.country_code = @country");
            p.Add("country", query.Country.Trim().ToUpperInvariant());
        }

        if (!string.IsNullOrWhiteSpace(query.S3Area))
        {
            where.Append(" AND EXISTS (SELECT 1 FROM company_s3_areas fs WHERE fs.company_id = co.id AND fs.s3_code = @s3)");
            p.Add("s3", query.S3Area.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.RegionKind))
        {
            where.Append(" AND EXISTS (SELECT 1 FROM regions fr WHERE fr.code = co.region_code AND fr.kind = @regionKind)");
            p.Add("regionKind", query.RegionKind.Trim().ToLowerInvariant());
        }

        if (!string.IsNullOrWhiteSpace(query.NaceSection))
        {
            where.Append(" AND EXISTS (SELECT 1 FROM company_nace_codes fn WHERE fn.company_id = co.id AND fn.nace_code LIKE @nace ESCAPE '\\')");
            p.Add("nace", CaseQueries.EscapeLike(query.NaceSection.Trim().ToUpperInvariant()[..1]) + "%");
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // Name, keywords, offers or needs, case and accents ignored (folded search key, see SearchText).
            where.Append(" AND co.search_text LIKE @text ESCAPE '\\'");
            p.Add("text", SearchKeys.ContainsPattern(query.Text));
        }

        return (where, p);
    }

    /// <summary>The companies with their NACE codes and S3 areas, read by id in batches (never the whole filtered table again).</summary>
    private async Task<IReadOnlyList<Company>> WithCodesAsync(System.Data.Common.DbConnection c, IReadOnlyList<Company> companies, CancellationToken cancellationToken)
    {
        var nace = new List<CodeRow>();
        var s3 = new List<CodeRow>();
        foreach (var batch in companies.Select(x => x.Id).Chunk(IdBatch))
        {
            var ids = new { ids = db.Dialect.IdList(batch) };
            nace.AddRange(await c.QueryAsync<CodeRow>(new CommandDefinition(
                $"SELECT n.company_id, n.nace_code AS code FROM company_nace_codes n WHERE {db.Dialect.InList("n.company_id", "@ids")} ORDER BY n.nace_code", ids, cancellationToken: cancellationToken)));
            s3.AddRange(await c.QueryAsync<CodeRow>(new CommandDefinition(
                $"SELECT s.company_id, s.s3_code AS code FROM company_s3_areas s WHERE {db.Dialect.InList("s.company_id", "@ids")} ORDER BY s.s3_code", ids, cancellationToken: cancellationToken)));
        }

        var naceBy = nace.ToLookup(r => r.CompanyId, r => r.Code);
        var s3By = s3.ToLookup(r => r.CompanyId, r => r.Code);
        return [.. companies.Select(x => x with { NaceCodes = [.. naceBy[x.Id]], S3Areas = [.. s3By[x.Id]] })];
    }

    private sealed class CodeRow
    {
        public Guid CompanyId { get; set; }

        public string Code { get; set; } = "";
    }

    private sealed class RankedRow
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string CountryCode { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public string SizeClass { get; set; } = "";
        public int? YearFounded { get; set; }
        public string? Website { get; set; }
        public string? Offers { get; set; }
        public string? Needs { get; set; }
        public string? Keywords { get; set; }
        public string? Languages { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
        public int Version { get; set; }
        public int MatchRank { get; set; }

        public Company ToCompany() => new()
        {
            Id = Id,
            Name = Name,
            CountryCode = CountryCode,
            RegionCode = RegionCode,
            SizeClass = SizeClass,
            YearFounded = YearFounded,
            Website = Website,
            Offers = Offers,
            Needs = Needs,
            Keywords = Keywords,
            Languages = Languages,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            Version = Version,
        };
    }
}
