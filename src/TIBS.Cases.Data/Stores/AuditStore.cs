using System.Text;
using Dapper;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Audits: findings, samples and the evaluators' lists. Finding rows are written with their audit event by the case's
/// write (<see cref="CaseStore"/>, statements <see cref="InsertFinding"/> and <see cref="AnswerFinding"/>).
/// </summary>
internal sealed class AuditStore(IDbConnectionFactory db) : IAuditStore
{
    internal const string InsertFinding =
        """
        INSERT INTO audit_findings (id, audit_case_id, number, severity, strategy_step, description, recorded_by, recorded_at, response, answered_by, answered_at)
        VALUES (@Id, @AuditCaseId, @Number, @Severity, @StrategyStep, @Description, @RecordedBy, @RecordedAt, @Response, @AnsweredBy, @AnsweredAt)
        """;

    internal const string AnswerFinding =
        "UPDATE audit_findings SET response = @Response, answered_by = @AnsweredBy, answered_at = @AnsweredAt WHERE id = @Id AND response IS NULL";

    private const string FindingColumns = "id, audit_case_id, number, severity, strategy_step, description, recorded_by, recorded_at, response, answered_by, answered_at";

    private const string SummarySelect =
        """
        SELECT a.id, a.reference, a.audited_case_id, s.reference AS audited_reference, a.region_code, a.status, a.current_step, a.step_due_at,
               u.display_name AS owner_name, a.opened_at, a.closed_at,
               (SELECT COUNT(*) FROM audit_findings f WHERE f.audit_case_id = a.id) AS findings,
               (SELECT COUNT(*) FROM audit_findings f WHERE f.audit_case_id = a.id AND f.response IS NULL) AS open_findings
        FROM cases a JOIN cases s ON s.id = a.audited_case_id JOIN users u ON u.id = a.owner_user_id
        """;

    /// <summary>Closed cases that are strategies: not audits, not of the audit definition.</summary>
    private const string StrategyFrom =
        """
        FROM cases c
        JOIN companies co ON co.id = c.lead_company_id
        JOIN workflow_versions v ON v.id = c.definition_version_id
        JOIN workflow_definitions d ON d.id = v.definition_id
        WHERE c.status = 'closed' AND c.audited_case_id IS NULL AND d.definition_key <> @auditKey
        """;

    public async Task<IReadOnlyList<AuditFindingRecord>> GetFindingsAsync(Guid auditCaseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<AuditFindingRecord>(new CommandDefinition(
            $"SELECT {FindingColumns} FROM audit_findings WHERE audit_case_id = @auditCaseId ORDER BY number", new { auditCaseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<AuditSummary>> GetAuditsOfAsync(Guid strategyCaseId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<AuditSummary>(new CommandDefinition(
            SummarySelect + " WHERE a.audited_case_id = @strategyCaseId ORDER BY a.opened_at DESC, a.id DESC", new { strategyCaseId }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<AuditSummary>> GetAuditsInProgressAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var sql = db.Dialect.Limit(SummarySelect + " WHERE a.audited_case_id IS NOT NULL AND a.status <> 'closed' ORDER BY a.opened_at DESC, a.id DESC", "@take");
        return [.. await c.QueryAsync<AuditSummary>(new CommandDefinition(sql, new { take = Math.Clamp(take, 1, 200) }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<OpenFindingsOfRegion>> GetOpenFindingsPerRegionAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<OpenFindingsOfRegion>(new CommandDefinition(
            """
            SELECT a.region_code, COUNT(*) AS open_findings, COUNT(DISTINCT a.id) AS audits
            FROM audit_findings f JOIN cases a ON a.id = f.audit_case_id
            WHERE f.response IS NULL AND a.status <> 'closed'
            GROUP BY a.region_code ORDER BY a.region_code
            """, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<SampleCandidate>> GetSampleCandidatesAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<CandidateRow>(new CommandDefinition(
            "SELECT c.id, c.reference " + StrategyFrom + " AND c.region_code = @regionCode AND c.closed_at >= @from AND c.closed_at < @to",
            new { regionCode, from, to, auditKey = AuditDefinition.Key }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new SampleCandidate(r.Id, r.Reference))];
    }

    public async Task InsertSampleAsync(AuditSampleRecord sample, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_samples (id, seed, region_code, period_from, period_to, requested, drawn_case_ids, drawn_by, drawn_at)
            VALUES (@Id, @Seed, @RegionCode, @PeriodFrom, @PeriodTo, @Requested, @DrawnCaseIds, @DrawnBy, @DrawnAt)
            """, sample, cancellationToken: cancellationToken));
    }

    public async Task<AuditSampleRecord?> GetSampleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<AuditSampleRecord>(new CommandDefinition(
            "SELECT id, seed, region_code, period_from, period_to, requested, drawn_case_ids, drawn_by, drawn_at FROM audit_samples WHERE id = @id",
            new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CompletedStrategy>> SearchCompletedStrategiesAsync(StrategyFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder(
            "SELECT c.id, c.reference, c.title, c.region_code, co.country_code, co.name AS lead_company_name, c.current_step AS end_state, v.number AS definition_version, c.closed_at, " +
            "(SELECT COUNT(*) FROM cases a WHERE a.audited_case_id = c.id) AS audits " + StrategyFrom);
        var p = new DynamicParameters();
        p.Add("auditKey", AuditDefinition.Key);
        void Add(object? value, string clause, string name)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(clause);
                p.Add(name, value);
            }
        }

        Add(filter.Region, "c.region_code = @region", "region");
        Add(filter.Country, "co.country_code = @country", "country");
        Add(filter.ClosedFrom is { } from ? Day(from) : null, "c.closed_at >= @from", "from");
        Add(filter.ClosedTo is { } to ? Day(to.AddDays(1)) : null, "c.closed_at < @to", "to");
        Add(filter.S3Area, "EXISTS (SELECT 1 FROM company_s3_areas s3 WHERE s3.company_id = c.lead_company_id AND s3.s3_code = @s3)", "s3");
        Add(filter.DefinitionVersionId, "c.definition_version_id = @versionId", "versionId");
        Add(filter.Conclusion, "EXISTS (SELECT 1 FROM cases a WHERE a.audited_case_id = c.id AND a.status = 'closed' AND a.current_step = @conclusion)", "conclusion");
        if (filter.Audited is { } audited)
        {
            sql.Append(audited ? " AND EXISTS" : " AND NOT EXISTS").Append(" (SELECT 1 FROM cases a WHERE a.audited_case_id = c.id)");
        }

        if (filter.After is { } after)
        {
            sql.Append(" AND (c.closed_at < @afterClosed OR (c.closed_at = @afterClosed AND c.id < @afterId))");
            p.Add("afterClosed", after.ClosedAt);
            p.Add("afterId", after.Id);
        }

        p.Add("take", Math.Clamp(filter.Take, 1, 201));
        var query = db.Dialect.Limit(sql.Append(" ORDER BY c.closed_at DESC, c.id DESC").ToString(), "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<CompletedStrategy>(new CommandDefinition(query, p, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return rows;
        }

        var concluded = await c.QueryAsync<ConclusionRow>(new CommandDefinition(
            $"SELECT audited_case_id, current_step, closed_at FROM cases WHERE status = 'closed' AND {db.Dialect.InList("audited_case_id", "@ids")}",
            new { ids = db.Dialect.IdList(rows.Select(r => r.Id)) }, cancellationToken: cancellationToken));
        var latest = concluded.Where(r => AuditDefinition.ConclusionLabel(r.CurrentStep) is not null)
            .GroupBy(r => r.AuditedCaseId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.ClosedAt)!.CurrentStep);
        return [.. rows.Select(r => r with { LatestConclusion = latest.GetValueOrDefault(r.Id) })];
    }

    private static DateTimeOffset Day(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private sealed class CandidateRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
    }

    private sealed class ConclusionRow
    {
        public Guid AuditedCaseId { get; init; }
        public string CurrentStep { get; init; } = "";
        public DateTimeOffset? ClosedAt { get; init; }
    }
}
