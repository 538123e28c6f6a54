using Dapper;
using TIBS.Cases.Core.Work;

namespace TIBS.Cases.Data.Stores;

/// <summary>The read model of a broker's "My work": the rules of CaseAccess for brokers, in SQL, over every region they cover.</summary>
internal sealed class WorkQueries(IDbConnectionFactory db) : IWorkQueries
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Regions, int Cursor), string> openStepsSql = new();

    private static string[] Regions(IReadOnlyCollection<string> regionCodes) => [.. regionCodes.Distinct(StringComparer.Ordinal)];

    /// <summary>How many rows one read of My work lists at most: open steps or partner cases.</summary>
    private const int MaxPage = 500;

    /// <summary>
    /// A page of at most <paramref name="take"/> active cases of the regions or owned by the user, by due date (none
    /// last), then reference, after <paramref name="after"/> when given. Each region and the user's own cases are read
    /// in that order from their index (ix_cases_region_status, ix_cases_owner), those with a due date and those without
    /// separately (no provider-specific "nulls last"), each part at most a page and starting after the cursor; the union
    /// of the parts holds the page, cut by the order's columns before the cases and their lead companies are read for it
    /// (<see cref="DueOrder"/>).
    /// </summary>
    public async Task<IReadOnlyList<OpenStepItem>> OpenStepsAsync(IReadOnlyCollection<string> regionCodes, Guid userId, OpenStepCursor? after = null, int take = MaxPage, CancellationToken cancellationToken = default)
    {
        var p = new DynamicParameters(new { userId, take = Math.Clamp(take, 1, MaxPage) });
        if (after is not null)
        {
            p.Add("afterReference", after.Reference);
            if (after.DueAt is { } due)
            {
                p.Add("afterDue", due);
            }
        }

        var regions = Regions(regionCodes);
        for (var i = 0; i < regions.Length; i++)
        {
            p.Add($"region{i}", regions[i]);
        }

        var shape = (regions.Length, after is null ? 0 : after.DueAt is null ? 1 : 2);
        var sql = openStepsSql.GetOrAdd(shape, static (k, self) => self.OpenStepsSql(k.Regions, k.Cursor switch
        {
            0 => null,
            1 => new OpenStepCursor(null, ""),
            _ => new OpenStepCursor(DateTimeOffset.MinValue, ""),
        }), this);
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<OpenStepItem>(new CommandDefinition(sql, p, cancellationToken: cancellationToken))];
    }

    /// <summary>My work's command text for a number of regions and a kind of cursor (none, past the due dates, within them): written once for each.</summary>
    private string OpenStepsSql(int regionCount, OpenStepCursor? after)
    {
        var parts = new List<string>();
        for (var i = 0; i < regionCount; i++)
        {
            parts.AddRange(OrderedParts($"c.region_code = @region{i} AND c.status = 'active'", after));
        }

        parts.AddRange(OrderedParts("c.owner_user_id = @userId AND c.status = 'active'", after));
        return db.Dialect.Limit(
            $"""
            SELECT c.id AS case_id, c.reference, c.title, c.status, c.current_step, c.definition_version_id, c.step_due_at, co.name AS lead_company_name
            FROM ({DueOrder.Page(db.Dialect, parts, "@take")}) picked
            JOIN cases c ON c.id = picked.id
            JOIN companies co ON co.id = c.lead_company_id
            ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
            """,
            "@take");
    }

    /// <summary>
    /// The first page of the cases matching <paramref name="where"/> in the list's order, after the cursor: with a due
    /// date (none when the cursor is already past them), then without.
    /// </summary>
    private IEnumerable<string> OrderedParts(string where, OpenStepCursor? after)
    {
        if (after is null || after.DueAt is not null)
        {
            var past = after is null ? "" : " AND (c.step_due_at > @afterDue OR (c.step_due_at = @afterDue AND c.reference > @afterReference))";
            yield return db.Dialect.Limit($"SELECT {DueOrder.Columns} FROM cases c WHERE {where} AND c.step_due_at IS NOT NULL{past} ORDER BY c.step_due_at, c.reference", "@take");
        }

        var pastNone = after is { DueAt: null } ? " AND c.reference > @afterReference" : "";
        yield return db.Dialect.Limit($"SELECT {DueOrder.Columns} FROM cases c WHERE {where} AND c.step_due_at IS NULL{pastNone} ORDER BY c.step_due_at, c.reference", "@take");
    }

    /// <summary>
    /// A page of the last changed partner participations of companies of the regions in cases of other regions that are
    /// not closed, last change first, after the cursor when given. Each region's participations are read in that order from ix_case_participants_partner_updated
    /// until a page of them is in a case that qualifies; the union of the regions' pages holds the page, which the outer
    /// query sorts and cuts as one read over every region did. The company's name is read for the page only.
    /// </summary>
    public async Task<IReadOnlyList<PartnerCaseItem>> PartnerCasesAsync(IReadOnlyCollection<string> regionCodes, PartnerCaseCursor? after = null, int take = MaxPage, CancellationToken cancellationToken = default)
    {
        var regions = Regions(regionCodes);
        if (regions.Length == 0)
        {
            return [];
        }

        var p = new DynamicParameters(new { regions, take = Math.Clamp(take, 1, MaxPage) });
        var past = "";
        if (after is not null)
        {
            p.Add("afterUpdated", after.UpdatedAt);
            p.Add("afterParticipant", after.ParticipantId);
            past = " AND (cp.updated_at < @afterUpdated OR (cp.updated_at = @afterUpdated AND cp.id > @afterParticipant))";
        }

        var parts = new List<string>();
        foreach (var (region, i) in regions.Select((r, i) => (r, i)))
        {
            p.Add($"region{i}", region);
            var part = db.Dialect.Limit(
                $"""
                SELECT c.id AS case_id, c.reference, c.title, c.region_code AS case_region_code, cp.id AS participant_id, cp.company_id, cp.pipeline_status, cp.updated_at
                FROM case_participants cp
                JOIN cases c ON c.id = cp.case_id
                WHERE cp.region_code = @region{i} AND cp.role = 'partner' AND NOT ({db.Dialect.InList("c.region_code", "@regions")}) AND c.status <> 'closed'{past}
                ORDER BY cp.updated_at DESC, cp.id
                """,
                "@take");
            parts.Add($"SELECT * FROM ({part}) p{i}");
        }

        var sql = db.Dialect.Limit(
            $"""
            SELECT picked.case_id, picked.reference, picked.title, picked.case_region_code, picked.participant_id, co.name AS company_name,
                   picked.pipeline_status, picked.updated_at
            FROM ({string.Join("\nUNION ALL\n", parts)}) picked
            JOIN companies co ON co.id = picked.company_id
            ORDER BY picked.updated_at DESC, picked.participant_id
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<PartnerCaseItem>(new CommandDefinition(sql, p, cancellationToken: cancellationToken))];
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
