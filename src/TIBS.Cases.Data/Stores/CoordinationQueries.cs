using Dapper;
using TIBS.Cases.Core.Coordination;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The coordinators' overview in SQL: open cases counted by region and step from the counts the writes keep
/// (open_case_counts, decision 0057), and the cases that need a look, each kind read in order from its index.
/// </summary>
internal sealed class CoordinationQueries(IDbConnectionFactory db) : ICoordinationQueries
{
    /// <summary>
    /// The active escalated cases counted per group. A case is escalated while an escalation (a reminder row of kind
    /// 'escalation') sent for one of its open step records is there: the writes keep their number on the case
    /// (cases.open_escalations, script 0040), so this reads the escalated cases alone from ix_cases_escalated. The
    /// server counts them: at a million cases, 5,937 rows counted there against 6,000 sent to be counted here.
    /// </summary>
    private const string EscalatedCounts =
        $"""
        SELECT c.region_code, c.definition_version_id, c.current_step, COUNT(*) AS escalated
        FROM cases c
        WHERE {Escalated}
        GROUP BY c.region_code, c.definition_version_id, c.current_step
        """;

    /// <summary>An active escalated case of <c>cases c</c>, in the overview and the case list's "Escalated only" filter.</summary>
    internal const string Escalated = "c.open_escalations > 0 AND c.status = 'active'";

    private const int MaxTake = 1000;

    public async Task<IReadOnlyList<OpenCaseCount>> CountOpenCasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // Overdue: the counts answer for due days before today; today's cases are compared with the time in cases.
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var today = DateOnly.FromDateTime(dayStart.UtcDateTime);
        const string counts =
            """
            SELECT region_code, definition_version_id, current_step,
                   SUM(cases) AS open_cases,
                   SUM(CASE WHEN status = 'active' THEN cases ELSE 0 END) AS active_cases,
                   SUM(CASE WHEN status = 'active' AND due_on < @today THEN cases ELSE 0 END) AS overdue
            FROM open_case_counts
            GROUP BY region_code, definition_version_id, current_step
            HAVING SUM(cases) <> 0
            """;
        const string dueToday =
            """
            SELECT c.region_code, c.definition_version_id, c.current_step, COUNT(*) AS overdue
            FROM cases c
            WHERE c.status = 'active' AND c.step_due_at >= @dayStart AND c.step_due_at < @now
            GROUP BY c.region_code, c.definition_version_id, c.current_step
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<OpenCaseCount>(new CommandDefinition(counts, new { today }, cancellationToken: cancellationToken)))
            .ToDictionary(r => (r.RegionCode, r.DefinitionVersionId, r.CurrentStep));
        OpenCaseCount Row((string Region, Guid Version, string Step) key) =>
            rows.TryGetValue(key, out var row) ? row : rows[key] = new OpenCaseCount { RegionCode = key.Region, DefinitionVersionId = key.Version, CurrentStep = key.Step };
        foreach (var r in await c.QueryAsync<OpenCaseCount>(new CommandDefinition(dueToday, new { dayStart, now }, cancellationToken: cancellationToken)))
        {
            var key = (r.RegionCode, r.DefinitionVersionId, r.CurrentStep);
            rows[key] = Row(key) with { Overdue = Row(key).Overdue + r.Overdue };
        }

        foreach (var r in await c.QueryAsync<OpenCaseCount>(new CommandDefinition(EscalatedCounts, cancellationToken: cancellationToken)))
        {
            var key = (r.RegionCode, r.DefinitionVersionId, r.CurrentStep);
            rows[key] = Row(key) with { Escalated = r.Escalated };
        }

        return [.. rows.Values];
    }

    public async Task<IReadOnlyList<AttentionCase>> AttentionAsync(
        DateTimeOffset now, IReadOnlyList<AttentionStep> steps, int perList, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        // Each list is read in its order from its index and cut at its own page, so that a list is never crowded out
        // by the cases of another that come first: overdue (ix_cases_status_due), escalated (ix_cases_escalated, those
        // with a due date and those without, each in the index's order) and at each step (ix_cases_step_due, with a due
        // date and without). The cases and their lead companies are then read for the union of those pages alone.
        var take = Math.Clamp(perList, 1, MaxTake);
        var p = new DynamicParameters(new { now, take });
        var parts = new List<string>
        {
            Part("c.status = 'active' AND c.step_due_at < @now"),
            Part($"{Escalated} AND c.step_due_at IS NOT NULL"),
            Part($"{Escalated} AND c.step_due_at IS NULL"),
        };
        var byKey = steps.GroupBy(s => s.StepKey, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Versions: g.SelectMany(s => s.DefinitionVersionIds).Distinct().ToList()))
            .Where(s => s.Versions.Count > 0);
        foreach (var (step, i) in byKey.Select((s, i) => (s, i)))
        {
            // The key's versions are checked on the rows the index gives in order: with the key a coordinator's step in
            // every version, as usual, no row is passed over.
            p.Add($"step{i}", step.Key);
            p.Add($"versions{i}", db.Dialect.IdList(step.Versions));
            var at = $"c.current_step = @step{i} AND {db.Dialect.InList("c.definition_version_id", $"@versions{i}")} AND c.status = 'active'";
            parts.Add(Part($"{at} AND c.step_due_at IS NOT NULL"));
            parts.Add(Part($"{at} AND c.step_due_at IS NULL"));
        }

        var sql =
            $"""
            SELECT c.id AS case_id, c.reference, c.title, c.region_code, c.current_step, c.definition_version_id, c.step_due_at, c.step_started_at,
                   co.name AS lead_company_name, CASE WHEN c.open_escalations > 0 THEN 1 ELSE 0 END AS escalated_flag
            FROM ({DueOrder.Union(parts)}) picked
            JOIN cases c ON c.id = picked.id
            JOIN companies co ON co.id = c.lead_company_id
            ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
            """;
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<AttentionCase>(new CommandDefinition(sql, p, cancellationToken: cancellationToken))];

        string Part(string where) => db.Dialect.Limit($"SELECT {DueOrder.Columns} FROM cases c WHERE {where} ORDER BY c.step_due_at, c.reference", "@take");
    }

    public async Task<int> FoldCountsAsync(CancellationToken cancellationToken = default)
    {
        // The overview's counts (decision 0057), the strategies per year (decision 0059) and the companies per country
        // (decision 0060), each folded per group.
        var sql = Fold("open_case_counts", "region_code, definition_version_id, current_step, status, due_on", ["cases"],
                "region_code nvarchar(10), definition_version_id uniqueidentifier, current_step nvarchar(100), status nvarchar(20), due_on date NULL, cases int")
            + Fold("strategy_counts", "region_code, on_day", ["opened", "completed", "withdrawn"],
                "region_code nvarchar(10), on_day date, opened int, completed int, withdrawn int")
            + Fold("company_counts", "country_code", ["companies"], "country_code char(2), companies int");
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: cancellationToken));
        var rows = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM open_case_counts", transaction: tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>The statements that fold the delta rows of a kept count table into one row per group.</summary>
    private string Fold(string table, string columns, string[] counts, string sqlServerColumns)
    {
        var all = $"{columns}, {string.Join(", ", counts)}";
        var sums = string.Join(", ", counts.Select(n => $"SUM({n})"));
        var nonZero = string.Join(" OR ", counts.Select(n => $"SUM({n}) <> 0"));
        return db.Provider switch
        {
            // One statement: rows a concurrent write adds meanwhile are not in its snapshot and stay as they are.
            DatabaseProvider.Postgres =>
                $"""
                WITH d AS (DELETE FROM {table} RETURNING {all})
                INSERT INTO {table} ({all})
                SELECT {columns}, {sums} FROM d GROUP BY {columns} HAVING {nonZero};

                """,
            DatabaseProvider.SqlServer =>
                $"""
                SET NOCOUNT ON;
                DECLARE @{table} TABLE ({sqlServerColumns});
                DELETE FROM {table} OUTPUT {string.Join(", ", all.Split(", ").Select(n => "deleted." + n))} INTO @{table};
                INSERT INTO {table} ({all})
                SELECT {columns}, {sums} FROM @{table} GROUP BY {columns} HAVING {nonZero};

                """,
            // One writer at a time: the transaction below sees every row.
            _ =>
                $"""
                CREATE TEMP TABLE IF NOT EXISTS folded_{table} AS SELECT {all} FROM {table} WHERE 0;
                DELETE FROM folded_{table};
                INSERT INTO folded_{table} SELECT {columns}, {sums} FROM {table} GROUP BY {columns} HAVING {nonZero};
                DELETE FROM {table};
                INSERT INTO {table} ({all}) SELECT {all} FROM folded_{table};
                DELETE FROM folded_{table};

                """,
        };
    }
}
