using System.Text;
using Dapper;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;

namespace TIBS.Cases.Data.Stores;

/// <summary>Candidate companies for the partner search; the score itself is computed in memory by <see cref="MatchScorer"/>.</summary>
internal sealed class MatchingQueries(IDbConnectionFactory db) : IMatchingQueries
{
    private const string Columns = "co.id, co.name, co.country_code, co.region_code, co.size_class, co.year_founded, co.website, co.offers, co.needs, co.keywords, co.languages, co.created_at, co.updated_at, co.version";

    public async Task<IReadOnlyList<Company>> CandidatesAsync(CandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var d = db.Dialect;
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

        p.Add("take", Math.Clamp(query.Take, 1, 2000));
        var sql = d.Limit($"SELECT {Columns} FROM companies co{where} ORDER BY co.name, co.id", "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        var companies = (await c.QueryAsync<Company>(new CommandDefinition(sql, p, cancellationToken: cancellationToken)))
            .Where(x => !query.ExcludeCompanyIds.Contains(x.Id))
            .ToList();
        if (companies.Count == 0)
        {
            return [];
        }

        var nace = await c.QueryAsync<CodeRow>(new CommandDefinition(
            $"SELECT n.company_id, n.nace_code AS code FROM company_nace_codes n JOIN companies co ON co.id = n.company_id{where} ORDER BY n.nace_code", p, cancellationToken: cancellationToken));
        var s3 = await c.QueryAsync<CodeRow>(new CommandDefinition(
            $"SELECT s.company_id, s.s3_code AS code FROM company_s3_areas s JOIN companies co ON co.id = s.company_id{where} ORDER BY s.s3_code", p, cancellationToken: cancellationToken));
        var naceBy = nace.ToLookup(r => r.CompanyId, r => r.Code);
        var s3By = s3.ToLookup(r => r.CompanyId, r => r.Code);
        return [.. companies.Select(x => x with { NaceCodes = [.. naceBy[x.Id]], S3Areas = [.. s3By[x.Id]] })];
    }

    private sealed class CodeRow
    {
        public Guid CompanyId { get; set; }

        public string Code { get; set; } = "";
    }
}
