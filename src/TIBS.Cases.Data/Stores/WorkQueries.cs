using Dapper;
using TIBS.Cases.Core.Work;

namespace TIBS.Cases.Data.Stores;

/// <summary>The read model of a broker's "My work": the rules of CaseAccess for brokers, in SQL, over every region they cover.</summary>
internal sealed class WorkQueries(IDbConnectionFactory db) : IWorkQueries
{
    private static string[] Regions(IReadOnlyCollection<string> regionCodes) => [.. regionCodes.Distinct(StringComparer.Ordinal)];

    public async Task<IReadOnlyList<OpenStepItem>> OpenStepsAsync(IReadOnlyCollection<string> regionCodes, Guid userId, CancellationToken cancellationToken = default)
    {
        var sql = db.Dialect.Limit(
            $"""
            SELECT c.id AS case_id, c.reference, c.title, c.status, c.current_step, c.definition_version_id, c.step_due_at, co.name AS lead_company_name
            FROM cases c
            JOIN companies co ON co.id = c.lead_company_id
            WHERE c.status = 'active' AND ({db.Dialect.InList("c.region_code", "@regions")} OR c.owner_user_id = @userId)
            ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<OpenStepItem>(new CommandDefinition(sql, new { regions = Regions(regionCodes), userId, take = 500 }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<PartnerCaseItem>> PartnerCasesAsync(IReadOnlyCollection<string> regionCodes, CancellationToken cancellationToken = default)
    {
        var sql = db.Dialect.Limit(
            $"""
            SELECT c.id AS case_id, c.reference, c.title, c.region_code AS case_region_code, cp.id AS participant_id, co.name AS company_name,
                   cp.pipeline_status, cp.updated_at
            FROM case_participants cp
            JOIN cases c ON c.id = cp.case_id
            JOIN companies co ON co.id = cp.company_id
            WHERE {db.Dialect.InList("cp.region_code", "@regions")} AND cp.role = 'partner' AND NOT ({db.Dialect.InList("c.region_code", "@regions")}) AND c.status <> 'closed'
            ORDER BY cp.updated_at DESC, cp.id
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<PartnerCaseItem>(new CommandDefinition(sql, new { regions = Regions(regionCodes), take = 500 }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<ActivityItem>> RecentActivityAsync(IReadOnlyCollection<string> regionCodes, Guid userId, int take, CancellationToken cancellationToken = default)
    {
        var sql = db.Dialect.Limit(
            $"""
            SELECT e.case_id, c.reference, e.kind, e.occurred_at, e.step_key, u.display_name AS actor_name
            FROM case_events e
            JOIN cases c ON c.id = e.case_id
            LEFT JOIN users u ON u.id = e.actor_user_id
            WHERE {db.Dialect.InList("c.region_code", "@regions")} OR c.owner_user_id = @userId
               OR EXISTS (SELECT 1 FROM case_participants cp WHERE cp.case_id = c.id AND {db.Dialect.InList("cp.region_code", "@regions")})
            ORDER BY e.occurred_at DESC, e.case_id, e.seq DESC
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<ActivityItem>(new CommandDefinition(sql, new { regions = Regions(regionCodes), userId, take = Math.Clamp(take, 1, 200) }, cancellationToken: cancellationToken))];
    }
}
