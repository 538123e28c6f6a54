using System.Text;
using Dapper;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Candidate companies for the partner search: filtered, and ranked in SQL by the parts of the score that codes decide
/// (<see cref="CandidateRanking"/>); the score itself is computed in memory by MatchScorer (Core).
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

    public async Task<IReadOnlyList<RankedCandidate>> RankedCandidatesAsync(CandidateQuery query, CandidateRanking ranking, int minRank, int? take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ranking);
        var d = db.Dialect;
        var (where, p) = Where(query);
        p.Add("rs3", ranking.S3Areas.ToArray());
        p.Add("rs3Count", ranking.S3Count);
        p.Add("rdivisions", ranking.NaceDivisions.ToArray());
        p.Add("rsections", ranking.NaceSections.ToArray());
        p.Add("rtargets", ranking.TargetCountries.ToArray());
        p.Add("rsizes", ranking.SizeClassesSought.ToArray());
        p.Add("rkind", ranking.LeadRegionKind ?? "");
        p.Add("minRank", minRank);

        // Each part as MatchScorer computes it; a list the case does not have is left out of the SQL (it earns nothing).
        var parts = new List<string>();
        if (ranking.S3Count > 0)
        {
            parts.Add($"""
                (SELECT CASE WHEN COUNT(*) = 0 THEN 0 WHEN COUNT(*) >= 2 OR COUNT(*) = @rs3Count THEN {CandidateRanking.S3All} ELSE {CandidateRanking.S3One} END
                 FROM company_s3_areas rs WHERE rs.company_id = co.id AND {d.InList("LOWER(rs.s3_code)", "@rs3")})
                """);
        }

        if (ranking.NaceSections.Count > 0)
        {
            var division = ranking.NaceDivisions.Count > 0
                ? $"WHEN EXISTS (SELECT 1 FROM company_nace_codes rn WHERE rn.company_id = co.id AND {d.InList("UPPER(SUBSTRING(REPLACE(TRIM(rn.nace_code), '.', ''), 1, 3))", "@rdivisions")}) THEN {CandidateRanking.NaceDivisionPoints} "
                : "";
            parts.Add($"""
                CASE {division}WHEN EXISTS (SELECT 1 FROM company_nace_codes rn WHERE rn.company_id = co.id AND {d.InList("UPPER(SUBSTRING(TRIM(rn.nace_code), 1, 1))", "@rsections")}) THEN {CandidateRanking.NaceSectionPoints} ELSE 0 END
                """);
        }

        if (ranking.TargetCountries.Count > 0)
        {
            parts.Add($"CASE WHEN {d.InList("UPPER(co.country_code)", "@rtargets")} THEN {CandidateRanking.TargetCountryPoints} ELSE 0 END");
        }

        if (ranking.SizeClassesSought.Count > 0)
        {
            parts.Add($"CASE WHEN {d.InList("co.size_class", "@rsizes")} THEN {CandidateRanking.PartnerTypePoints} ELSE 0 END");
        }

        if (ranking.LeadRegionKind is not null)
        {
            parts.Add($"CASE WHEN EXISTS (SELECT 1 FROM regions rr WHERE rr.code = co.region_code AND rr.kind IN ('{CandidateRanking.SupportedRegion}', '{CandidateRanking.AdvancedRegion}') AND rr.kind <> @rkind) THEN {CandidateRanking.RegionPairingPoints} ELSE 0 END");
        }

        var rank = parts.Count == 0 ? "0" : string.Join(" + ", parts);
        var sql = $"SELECT {Columns}, ranked.match_rank FROM (SELECT co.id AS ranked_id, {rank} AS match_rank FROM companies co{where}) ranked JOIN companies co ON co.id = ranked.ranked_id WHERE ranked.match_rank >= @minRank ORDER BY ranked.match_rank DESC, co.name, co.id";
        if (take is { } t)
        {
            p.Add("take", Math.Max(1, t));
            sql = d.Limit(sql, "@take");
        }

        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<RankedRow>(new CommandDefinition(sql, p, cancellationToken: cancellationToken)))
            .Where(x => !query.ExcludeCompanyIds.Contains(x.Id))
            .ToList();
        var companies = await WithCodesAsync(c, [.. rows.Select(r => r.ToCompany())], cancellationToken);
        return [.. companies.Select((x, i) => new RankedCandidate(x, rows[i].MatchRank))];
    }

    public async Task<int> CountCandidatesAsync(CandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, p) = Where(query);
        var excluded = query.ExcludeCompanyIds.Distinct().ToList();
        if (excluded.Count > 0)
        {
            p.Add("excludedIds", db.Dialect.IdList(excluded));
            where.Append(" AND NOT (").Append(db.Dialect.InList("co.id", "@excludedIds")).Append(')');
        }

        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM companies co{where}", p, cancellationToken: cancellationToken));
    }

    /// <summary>The filters of the query over <c>companies co</c>, as a WHERE clause and its parameters.</summary>
    private static (StringBuilder Where, DynamicParameters Parameters) Where(CandidateQuery query)
    {
        var where = new StringBuilder(" WHERE co.country_code <> @excludeCountry");
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
