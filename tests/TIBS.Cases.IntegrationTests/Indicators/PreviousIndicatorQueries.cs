using System.Globalization;
using System.Text;
using Dapper;
using TIBS.Cases.Core.Indicators;

using TIBS.Cases.Data;
using TIBS.Cases.Data.Indicators;

namespace TIBS.Cases.IntegrationTests.Indicators;

/// <summary>
/// The indicator statements as they were before they read index ranges (whole tables: every step, participant and
/// case), kept unchanged as the reference the current statements must agree with, figure for figure.
/// </summary>
internal sealed class PreviousIndicatorQueries(IDbConnectionFactory db)
{
    private const string Enterprises = "'micro', 'small', 'medium', 'large'";
    private const string Smes = "'micro', 'small', 'medium'";

    private IndicatorSql Sql => new(db.Dialect.Provider);

    public async Task<IReadOnlyList<IndicatorValue>> CountAsync(IndicatorFilter filter, IndicatorDimension? by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = Sql;
        var where = Where(filter, "k.counted_at", out var parameters);
        var total = $"SELECT k.code, '' AS grp, COUNT(DISTINCT k.company_id) AS organisations, CAST(SUM(k.amount) AS bigint) AS amount FROM counted k {Joins} {where} GROUP BY k.code";
        var text = new StringBuilder(Counted(sql)).Append(total);
        if (by is { } dimension)
        {
            var (join, group) = Group(sql, dimension);
            text.Append($"\nUNION ALL\nSELECT k.code, {group} AS grp, COUNT(DISTINCT k.company_id), CAST(SUM(k.amount) AS bigint) FROM counted k {Joins} {join} {where} GROUP BY k.code, {group}");
        }

        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<CountRow>(new CommandDefinition(text.ToString(), parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new IndicatorValue
        {
            Code = r.Code,
            Group = r.Grp ?? "",
            Value = IndicatorCatalog.Find(r.Code)?.Unit == IndicatorUnit.Solutions ? r.Amount : r.Organisations,
        })];
    }

    public async Task<IReadOnlyList<IndicatorCase>> CasesAsync(IndicatorFilter filter, string code, IndicatorDimension? by, string? group, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var where = Where(Narrow(filter, by, group), "k.counted_at", out var parameters);
        parameters.Add("code", code);
        parameters.Add("take", Math.Clamp(take, 1, 5000));
        var sql = Counted(Sql) + db.Dialect.Limit(
            $"""
            SELECT k.case_id, c.reference, c.title, c.region_code, k.company_id, co.name AS company_name, co.country_code AS company_country,
                   co.size_class, k.counted_at, k.amount
            FROM counted k {Joins}
            JOIN companies co ON co.id = k.company_id
            {where} AND k.code = @code
            ORDER BY k.counted_at DESC, c.reference, co.name
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<IndicatorCase>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CountryPair>> CountryPairsAsync(IndicatorFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = Where(filter, "m.signed_at", out var parameters);
        var sql =
            $"""
            WITH {Milestones}
            SELECT lc.country_code AS lead_country, pc.country_code AS partner_country,
                   COUNT(DISTINCT p.company_id) AS partners, COUNT(DISTINCT p.case_id) AS cases
            FROM case_participants p
            JOIN cases c ON c.id = p.case_id
            JOIN regions r ON r.code = c.region_code
            JOIN milestones m ON m.case_id = c.id
            JOIN companies lc ON lc.id = c.lead_company_id
            JOIN companies pc ON pc.id = p.company_id
            {where} AND p.role = 'partner' AND p.pipeline_status = 'agreed' AND m.signed_at IS NOT NULL
            GROUP BY lc.country_code, pc.country_code
            ORDER BY lc.country_code, pc.country_code
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<CountryPair>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<StrategyYear>> StrategiesAsync(IndicatorFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = Sql;
        var where = Where(filter, "e.at", out var parameters);
        var text =
            $"""
            WITH happened AS (
                SELECT id AS case_id, opened_at AS at, 1 AS opened, 0 AS completed, 0 AS withdrawn FROM cases
                UNION ALL
                SELECT id, closed_at, 0, 1, 0 FROM cases WHERE status = 'closed' AND current_step = 'completed' AND closed_at IS NOT NULL
                UNION ALL
                SELECT id, closed_at, 0, 0, 1 FROM cases WHERE status = 'closed' AND current_step = 'withdrawn' AND closed_at IS NOT NULL
            )
            SELECT {sql.Year("e.at")} AS year, SUM(e.opened) AS opened, SUM(e.completed) AS completed, SUM(e.withdrawn) AS withdrawn
            FROM happened e
            JOIN cases c ON c.id = e.case_id
            JOIN regions r ON r.code = c.region_code
            {where}
            GROUP BY {sql.Year("e.at")}
            ORDER BY {sql.Year("e.at")}
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<StrategyYear>(new CommandDefinition(text, parameters, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<AgreementTypeCount>> AgreementTypesAsync(IndicatorFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var type = Sql.GroupText($"COALESCE({Sql.FormText("c.data", "joint-strategy", "agreement-type")}, '')");
        var where = Where(filter, "m.signed_at", out var parameters);
        var sql =
            $"""
            WITH {Milestones}
            SELECT {type} AS agreement_type, COUNT(*) AS agreements
            FROM cases c
            JOIN regions r ON r.code = c.region_code
            JOIN milestones m ON m.case_id = c.id
            {where} AND m.signed_at IS NOT NULL
            GROUP BY {type}
            ORDER BY COUNT(*) DESC, {type}
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<AgreementTypeCount>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<StageDuration>> StageDurationsAsync(IndicatorFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = Sql;
        var where = Where(filter, "s.completed_at", out var parameters);
        var text =
            $"""
            WITH d AS (
                SELECT s.stage_key AS grp, s.case_id, SUM({sql.Days("s.started_at", "s.completed_at")}) AS days
                FROM case_steps s
                JOIN cases c ON c.id = s.case_id
                JOIN regions r ON r.code = c.region_code
                {where} AND s.completed_at IS NOT NULL AND s.stage_key IS NOT NULL AND (s.outcome IS NULL OR s.outcome <> 'migrated')
                GROUP BY s.stage_key, s.case_id
            ),
            ranked AS (
                SELECT grp, days, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY days) - 1 AS i, COUNT(*) OVER (PARTITION BY grp) AS n FROM d
            )
            SELECT grp AS stage_key, MAX(n) AS cases, {sql.Float(IndicatorSql.Percentile(50))} AS median_days
            FROM ranked
            GROUP BY grp
            ORDER BY grp
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<StageDuration>(new CommandDefinition(text, parameters, cancellationToken: cancellationToken))];
    }

    private const string Joins = "JOIN cases c ON c.id = k.case_id JOIN regions r ON r.code = c.region_code";

    /// <summary>When each case was found eligible, signed its agreement and was evaluated at its close.</summary>
    private const string Milestones =
        """
        milestones AS (
            SELECT s.case_id,
                   MIN(CASE WHEN s.step_key = 'eligibility' AND s.outcome = 'eligible' THEN s.completed_at END) AS eligible_at,
                   MIN(CASE WHEN s.step_key = 'signed-agreement' AND s.outcome = 'signed' THEN s.completed_at END) AS signed_at,
                   MAX(CASE WHEN s.step_key = 'final-evaluation' AND s.outcome = 'closed' THEN s.completed_at END) AS evaluated_at
            FROM case_steps s
            WHERE s.completed_at IS NOT NULL
            GROUP BY s.case_id
        )
        """;

    /// <summary>The counted rows of every indicator (docs/indicators.md), as CTEs ending in <c>counted</c>.</summary>
    private static string Counted(IndicatorSql sql)
    {
        string Row(string code, string source) => source.Replace("@@", $"'{code}'", StringComparison.Ordinal);
        var bigOne = "CAST(1 AS bigint)";
        var leadsEligible = $"SELECT @@ AS code, c.id AS case_id, c.lead_company_id AS company_id, {bigOne} AS amount, m.eligible_at AS counted_at FROM cases c JOIN milestones m ON m.case_id = c.id JOIN companies co ON co.id = c.lead_company_id WHERE m.eligible_at IS NOT NULL AND co.size_class IN ({Enterprises})";
        var enterprisesSigned = $"SELECT @@, pa.case_id, pa.company_id, {bigOne}, m.signed_at FROM parties pa JOIN milestones m ON m.case_id = pa.case_id JOIN companies co ON co.id = pa.company_id WHERE m.signed_at IS NOT NULL AND pa.party_role = 'partner' AND co.size_class IN ({Enterprises})";
        var completed = "c.status = 'closed' AND c.current_step = 'completed' AND m.evaluated_at IS NOT NULL";
        string LeadInnovation(string values) => $"SELECT @@, c.id, c.lead_company_id, {bigOne}, m.evaluated_at FROM cases c JOIN milestones m ON m.case_id = c.id JOIN companies co ON co.id = c.lead_company_id WHERE {completed} AND co.size_class IN ({Smes}) AND {sql.FormHasAny("c.data", "final-evaluation", "innovation-introduced", values)}";
        string Solutions(string field) => $"SELECT @@, c.id, c.lead_company_id, {sql.FormWholeNumber("c.data", "final-evaluation", field)}, m.evaluated_at FROM cases c JOIN milestones m ON m.case_id = c.id JOIN agreements a ON a.case_id = c.id WHERE {completed} AND a.countries >= 2";
        var parts = new[]
        {
            Row(IndicatorCatalog.Rco01, leadsEligible), Row(IndicatorCatalog.Rco01, enterprisesSigned),
            Row(IndicatorCatalog.Rco04, leadsEligible), Row(IndicatorCatalog.Rco04, enterprisesSigned),
            Row(IndicatorCatalog.Rco10, $"SELECT @@, pa.case_id, pa.company_id, {bigOne}, m.signed_at FROM parties pa JOIN milestones m ON m.case_id = pa.case_id JOIN agreements a ON a.case_id = pa.case_id JOIN companies co ON co.id = pa.company_id WHERE m.signed_at IS NOT NULL AND a.research_parties > 0 AND co.size_class IN ({Enterprises})"),
            Row(IndicatorCatalog.Rco87, $"SELECT @@, pa.case_id, pa.company_id, {bigOne}, m.signed_at FROM parties pa JOIN milestones m ON m.case_id = pa.case_id JOIN agreements a ON a.case_id = pa.case_id WHERE m.signed_at IS NOT NULL AND a.countries >= 2"),
            Row(IndicatorCatalog.Rco116, Solutions("jointly-developed-solutions")),
            Row(IndicatorCatalog.Rcr03, LeadInnovation("'product', 'process'")),
            Row(IndicatorCatalog.Rcr04, LeadInnovation("'marketing', 'organisational'")),
            Row(IndicatorCatalog.Rcr84, $"SELECT @@, pa.case_id, pa.company_id, {bigOne}, m.evaluated_at FROM parties pa JOIN cases c ON c.id = pa.case_id JOIN milestones m ON m.case_id = pa.case_id JOIN agreements a ON a.case_id = pa.case_id WHERE {completed} AND a.countries >= 2 AND {sql.FormTrue("c.data", "final-evaluation", "cooperation-continues")}"),
            Row(IndicatorCatalog.Rcr104, Solutions("solutions-taken-up")),
        };
        return $"""
            WITH {Milestones},
            parties AS (
                SELECT p.case_id, p.company_id, p.role AS party_role FROM case_participants p
                WHERE p.role = 'lead' OR (p.role = 'partner' AND p.pipeline_status = 'agreed')
            ),
            agreements AS (
                SELECT pa.case_id, COUNT(DISTINCT co.country_code) AS countries,
                       SUM(CASE WHEN co.size_class = 'research' THEN 1 ELSE 0 END) AS research_parties
                FROM parties pa JOIN companies co ON co.id = pa.company_id
                GROUP BY pa.case_id
            ),
            counted AS (
            {string.Join("\nUNION ALL\n", parts)}
            )

            """;
    }

    /// <summary>The join and group expression of a breakdown: the case's region, its region's country, its S3 areas, the year it was counted.</summary>
    private static (string Join, string Group) Group(IndicatorSql sql, IndicatorDimension dimension) => dimension switch
    {
        IndicatorDimension.Region => ("", "c.region_code"),
        IndicatorDimension.Country => ("", "r.country_code"),
        IndicatorDimension.S3Area => (sql.JoinFormArray("c.data", "needs-assessment", "s3-areas", "s3"), "s3.value"),
        _ => ("", sql.Year("k.counted_at")),
    };

    /// <summary>A filter narrowed to one group of a breakdown (the cases behind one cell).</summary>
    private static IndicatorFilter Narrow(IndicatorFilter filter, IndicatorDimension? by, string? group)
    {
        if (by is null || string.IsNullOrEmpty(group))
        {
            return filter;
        }

        return by switch
        {
            IndicatorDimension.Region => filter with { RegionCode = group },
            IndicatorDimension.Country => filter with { CountryCode = group },
            IndicatorDimension.S3Area => filter with { S3Area = group },
            _ when int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is > 1900 and < 3000 => filter with
            {
                From = Max(filter.From, new DateOnly(year, 1, 1)),
                To = Min(filter.To, new DateOnly(year, 12, 31)),
            },
            _ => filter,
        };
    }

    private static DateOnly Max(DateOnly? a, DateOnly b) => a is { } v && v > b ? v : b;

    private static DateOnly Min(DateOnly? a, DateOnly b) => a is { } v && v < b ? v : b;

    /// <summary>The WHERE clause of a filter (always present, so callers can add <c>AND …</c>), over cases <c>c</c> and regions <c>r</c>.</summary>
    private string Where(IndicatorFilter filter, string dateColumn, out DynamicParameters parameters)
    {
        parameters = new DynamicParameters();
        var clauses = new List<string> { "1 = 1" };
        if (!string.IsNullOrEmpty(filter.RegionCode))
        {
            clauses.Add("c.region_code = @region");
            parameters.Add("region", filter.RegionCode);
        }

        if (!string.IsNullOrEmpty(filter.CountryCode))
        {
            clauses.Add("r.country_code = @country");
            parameters.Add("country", filter.CountryCode);
        }

        if (filter.OrganisationId is { } organisation)
        {
            // The brokers of the organisation through ix_users_organisation, then their cases through ix_cases_owner.
            clauses.Add("c.owner_user_id IN (SELECT ou.id FROM users ou WHERE ou.organisation_id = @organisation)");
            parameters.Add("organisation", organisation);
        }

        if (!string.IsNullOrEmpty(filter.S3Area))
        {
            clauses.Add(Sql.FormHasAny("c.data", "needs-assessment", "s3-areas", "@s3"));
            parameters.Add("s3", filter.S3Area);
        }

        if (filter.FromTime is { } from)
        {
            clauses.Add($"{dateColumn} >= @from");
            parameters.Add("from", from);
        }

        if (filter.ToTime is { } to)
        {
            clauses.Add($"{dateColumn} < @to");
            parameters.Add("to", to);
        }

        return "WHERE " + string.Join(" AND ", clauses);
    }

    private sealed record CountRow
    {
        public string Code { get; init; } = "";
        public string? Grp { get; init; }
        public long Organisations { get; init; }
        public long Amount { get; init; }
    }
}
