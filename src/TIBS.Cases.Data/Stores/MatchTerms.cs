using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The stored <see cref="CompanyTerms"/> of companies (schema script 0037, decision 0051): written with the company,
/// and computed at start for rows written before the terms existed or with older rules (<see cref="CompanyTerms.Version"/>).
/// </summary>
internal static class MatchTerms
{
    private const int BatchSize = 500;

    /// <summary>Rows per INSERT: three parameters a row stays under SQL Server's 2,100.</summary>
    private const int RowsPerInsert = 300;

    /// <summary>
    /// Writes (or replaces) the terms of the companies, already written in the same transaction; <paramref name="withCodes"/>
    /// also writes their codes and marks them computed with the current rules (the store writes both with the row itself).
    /// </summary>
    public static async Task WriteAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyList<Company> companies, bool replace, bool withCodes, CancellationToken cancellationToken)
    {
        // Ids a statement: SQL Server takes at most 2,100 parameters.
        foreach (var batch in companies.Chunk(1000))
        {
            var ids = new { ids = dialect.IdList(batch.Select(x => x.Id)) };
            if (replace)
            {
                await c.ExecuteAsync(new CommandDefinition($"DELETE FROM company_match_terms WHERE {dialect.InList("company_id", "@ids")}", ids, tx, cancellationToken: cancellationToken));
            }

            var rows = batch.SelectMany(x => CompanyTerms.Of(x).Select(t => (x.Id, t.Kind, t.Term))).ToList();
            foreach (var chunk in rows.Chunk(RowsPerInsert))
            {
                var sql = new StringBuilder("INSERT INTO company_match_terms (company_id, kind, term) VALUES ");
                var p = new DynamicParameters();
                for (var i = 0; i < chunk.Length; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@c{i}, @k{i}, @t{i})");
                    p.Add($"c{i}", chunk[i].Id);
                    p.Add($"k{i}", chunk[i].Kind);
                    p.Add($"t{i}", chunk[i].Term);
                }

                await c.ExecuteAsync(new CommandDefinition(sql.ToString(), p, tx, cancellationToken: cancellationToken));
            }

        }

        if (withCodes)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE companies SET match_codes = @Codes, match_terms_version = @Version WHERE id = @Id",
                companies.Select(x => new { x.Id, Codes = CompanyTerms.Codes(x), CompanyTerms.Version }), tx, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Computes the terms of every company that has none yet or has them from other rules; returns how many companies.</summary>
    public static async Task<int> FillMissingAsync(IDbConnectionFactory db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var filled = 0;
        await using var c = await db.OpenAsync(cancellationToken);
        while (true)
        {
            var companies = (await c.QueryAsync<Company>(new CommandDefinition(
                db.Dialect.Limit("SELECT id, name, country_code, region_code, size_class, offers, needs, keywords, languages FROM companies WHERE match_terms_version IS NULL OR match_terms_version <> @version ORDER BY id", "@take"),
                new { take = BatchSize, version = CompanyTerms.Version }, cancellationToken: cancellationToken))).ToList();
            if (companies.Count == 0)
            {
                return filled;
            }

            await using var tx = await c.BeginWriteAsync(cancellationToken);
            await WriteAsync(c, tx, db.Dialect, await WithCodesAsync(c, tx, db.Dialect, companies, cancellationToken), replace: true, withCodes: true, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            filled += companies.Count;
        }
    }

    /// <summary>The companies with their NACE codes and S3 areas (the codes are computed from them).</summary>
    private static async Task<IReadOnlyList<Company>> WithCodesAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyList<Company> companies, CancellationToken cancellationToken)
    {
        var ids = new { ids = dialect.IdList(companies.Select(x => x.Id)) };
        var nace = (await c.QueryAsync<CodeRow>(new CommandDefinition(
            $"SELECT company_id, nace_code AS code FROM company_nace_codes WHERE {dialect.InList("company_id", "@ids")}", ids, tx, cancellationToken: cancellationToken))).ToLookup(r => r.CompanyId, r => r.Code);
        var s3 = (await c.QueryAsync<CodeRow>(new CommandDefinition(
            $"SELECT company_id, s3_code AS code FROM company_s3_areas WHERE {dialect.InList("company_id", "@ids")}", ids, tx, cancellationToken: cancellationToken))).ToLookup(r => r.CompanyId, r => r.Code);
        return [.. companies.Select(x => x with { NaceCodes = [.. nace[x.Id]], S3Areas = [.. s3[x.Id]] })];
    }

    private sealed class CodeRow
    {
        public Guid CompanyId { get; set; }

        public string Code { get; set; } = "";
    }
}
