using Dapper;
using TIBS.Cases.Core.Coordination;

namespace TIBS.Cases.Data.Stores;

/// <summary>The coordinators' overview in SQL: open cases counted by region and step, and the cases that need a look.</summary>
internal sealed class CoordinationQueries(IDbConnectionFactory db) : ICoordinationQueries
{
    /// <summary>Cases whose open step record has had its escalation sent (a reminder row of kind 'escalation').</summary>
    private const string EscalatedCases =
        """
        SELECT DISTINCT r.case_id
        FROM reminders r
        JOIN case_steps s ON s.id = r.case_step_id
        WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL
        """;

    public async Task<IReadOnlyList<OpenCaseCount>> CountOpenCasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var sql =
            $"""
            SELECT c.region_code, c.definition_version_id, c.current_step,
                   COUNT(*) AS open_cases,
                   SUM(CASE WHEN c.status = 'active' THEN 1 ELSE 0 END) AS active_cases,
                   SUM(CASE WHEN c.status = 'active' AND c.step_due_at < @now THEN 1 ELSE 0 END) AS overdue,
                   SUM(CASE WHEN c.status = 'active' AND e.case_id IS NOT NULL THEN 1 ELSE 0 END) AS escalated
            FROM cases c
            LEFT JOIN ({EscalatedCases}) e ON e.case_id = c.id
            WHERE c.status <> 'closed'
            GROUP BY c.region_code, c.definition_version_id, c.current_step
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<OpenCaseCount>(new CommandDefinition(sql, new { now }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<AttentionCase>> AttentionAsync(DateTimeOffset now, IReadOnlyList<string> stepKeys, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepKeys);
        var steps = stepKeys.Count == 0 ? [""] : stepKeys.ToArray();
        var sql = db.Dialect.Limit(
            $"""
            SELECT c.id AS case_id, c.reference, c.title, c.region_code, c.current_step, c.definition_version_id, c.step_due_at, c.step_started_at,
                   co.name AS lead_company_name, CASE WHEN e.case_id IS NULL THEN 0 ELSE 1 END AS escalated_flag
            FROM cases c
            JOIN companies co ON co.id = c.lead_company_id
            LEFT JOIN ({EscalatedCases}) e ON e.case_id = c.id
            WHERE c.status = 'active' AND (c.step_due_at < @now OR e.case_id IS NOT NULL OR {db.Dialect.InList("c.current_step", "@steps")})
            ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<AttentionCase>(new CommandDefinition(sql, new { now, steps, take = Math.Clamp(take, 1, 1000) }, cancellationToken: cancellationToken))];
    }
}
