using System.Globalization;
using System.Text;
using Dapper;
using TIBS.Cases.Core.Indicators;

namespace TIBS.Cases.Data.Indicators;

/// <summary>
/// The programme's indicators in SQL, one statement per figure set (docs/indicators.md defines each). Every indicator
/// is a set of counted rows (indicator, case, organisation, amount, counted at); a figure is the number of distinct
/// organisations (or the sum of amounts for solutions) among the rows that pass the filter.
/// </summary>
internal sealed partial class IndicatorQueries(IDbConnectionFactory db) : IIndicatorQueries
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
                FROM case_steps s{CaseJoins(filter, "s.case_id")}
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

    public async Task<IReadOnlyList<StepTime>> StepTimesAsync(string definitionKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionKey);
        var sql = Sql;
        var firstMigrationAfter =
            """
            SELECT MIN(e2.seq) FROM case_events e2
            WHERE e2.case_id = s.case_id AND e2.kind = 'case-migrated' AND e2.occurred_at > s.started_at
            """;
        var text =
            $"""
            WITH steps AS (
                SELECT COALESCE(
                           (SELECT {sql.Whole(sql.Json("e.data", "fromVersion"))} FROM case_events e
                            WHERE e.case_id = s.case_id AND e.seq = ({firstMigrationAfter})),
                           v.number) AS version,
                       s.step_key, s.completed_at, s.due_at, {sql.Days("s.started_at", "s.completed_at")} AS days,
                       ROW_NUMBER() OVER (PARTITION BY s.case_id, s.step_key ORDER BY s.started_at, s.id) AS visit
                FROM case_steps s
                JOIN cases c ON c.id = s.case_id
                JOIN workflow_versions v ON v.id = c.definition_version_id
                JOIN workflow_definitions wd ON wd.id = v.definition_id
                WHERE wd.definition_key = @definitionKey AND (s.outcome IS NULL OR s.outcome <> 'migrated')
            ),
            ranked AS (
                SELECT version, step_key, days,
                       ROW_NUMBER() OVER (PARTITION BY version, step_key ORDER BY days) - 1 AS i,
                       COUNT(*) OVER (PARTITION BY version, step_key) AS n
                FROM steps WHERE completed_at IS NOT NULL
            ),
            pct AS (
                SELECT version, step_key, MAX(n) AS completed,
                       {sql.Float(IndicatorSql.Percentile(50))} AS median_days, {sql.Float(IndicatorSql.Percentile(90))} AS p90_days
                FROM ranked GROUP BY version, step_key
            ),
            counts AS (
                SELECT version, step_key,
                       SUM(CASE WHEN due_at IS NOT NULL THEN 1 ELSE 0 END) AS with_due,
                       SUM(CASE WHEN due_at IS NOT NULL AND COALESCE(completed_at, @now) > due_at THEN 1 ELSE 0 END) AS overdue,
                       SUM(CASE WHEN visit > 1 THEN 1 ELSE 0 END) AS sent_back
                FROM steps GROUP BY version, step_key
            )
            SELECT t.version, t.step_key, COALESCE(p.completed, 0) AS completed, p.median_days, p.p90_days, t.with_due, t.overdue, t.sent_back
            FROM counts t
            LEFT JOIN pct p ON p.version = t.version AND p.step_key = t.step_key
            ORDER BY t.version, t.step_key
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<StepTime>(new CommandDefinition(text, new { definitionKey, now }, cancellationToken: cancellationToken))];
    }

    private const string Joins = "JOIN cases c ON c.id = k.case_id JOIN regions r ON r.code = c.region_code";

    /// <summary>
    /// When each case was found eligible, signed its agreement and was evaluated at its close: only the cases that
    /// reached one of these milestones, read from the milestone steps' index range (ix_case_steps_milestones), not
    /// from every step. Every statement asks for the milestone it counts by (<c>IS NOT NULL</c>), so the cases
    /// with none would count nowhere.
    /// </summary>
    private const string Milestones =
        """
        milestones AS (
            SELECT s.case_id,
                   MIN(CASE WHEN s.step_key = 'eligibility' AND s.outcome = 'eligible' THEN s.completed_at END) AS eligible_at,
                   MIN(CASE WHEN s.step_key = 'signed-agreement' AND s.outcome = 'signed' THEN s.completed_at END) AS signed_at,
                   MAX(CASE WHEN s.step_key = 'final-evaluation' AND s.outcome = 'closed' THEN s.completed_at END) AS evaluated_at
            FROM case_steps s
            WHERE (s.step_key = 'eligibility' AND s.outcome = 'eligible' AND s.completed_at IS NOT NULL)
               OR (s.step_key = 'signed-agreement' AND s.outcome = 'signed' AND s.completed_at IS NOT NULL)
               OR (s.step_key = 'final-evaluation' AND s.outcome = 'closed' AND s.completed_at IS NOT NULL)
            GROUP BY s.case_id
        )
        """;

    /// <summary>
    /// The counted rows of every indicator (docs/indicators.md), as CTEs ending in <c>counted</c>. The parties (and
    /// their agreements) are read only for the cases that signed or were evaluated, the only ones counted by them,
    /// through the participants' case index.
    /// </summary>
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
                SELECT p.case_id, p.company_id, p.role AS party_role
                FROM milestones pm JOIN case_participants p ON p.case_id = pm.case_id
                WHERE (pm.signed_at IS NOT NULL OR pm.evaluated_at IS NOT NULL)
                  AND (p.role = 'lead' OR (p.role = 'partner' AND p.pipeline_status = 'agreed'))
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
    internal static IndicatorFilter Narrow(IndicatorFilter filter, IndicatorDimension? by, string? group)
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

    /// <summary>
    /// The joins a filter needs from rows of a case (<paramref name="caseId"/>) to cases <c>c</c> and regions <c>r</c>:
    /// none without a filter on the case (every step's case and every case's region exist, foreign keys), so an
    /// unfiltered figure reads its own index range and is planned at its own cost.
    /// </summary>
    private static string CaseJoins(IndicatorFilter filter, string caseId)
    {
        var country = !string.IsNullOrEmpty(filter.CountryCode);
        var onCase = country || !string.IsNullOrEmpty(filter.RegionCode) || !string.IsNullOrEmpty(filter.S3Area) || filter.OrganisationId is not null;
        return (onCase ? $" JOIN cases c ON c.id = {caseId}" : "") + (country ? " JOIN regions r ON r.code = c.region_code" : "");
    }

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
