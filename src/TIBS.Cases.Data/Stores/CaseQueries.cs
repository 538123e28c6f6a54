using System.Globalization;
using System.Text;
using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Data.Stores;

/// <summary>The case list: filters, the access rules of <see cref="CaseAccess"/> in SQL, keyset paging (newest first).</summary>
internal sealed class CaseQueries(IDbConnectionFactory db) : ICaseQueries
{
    public async Task<IReadOnlyList<CaseListItem>> SearchAsync(CaseFilter filter, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var d = db.Dialect;
        var where = new StringBuilder();
        var p = new DynamicParameters();
        if (!AppendAccess(where, p, actor, d))
        {
            return [];
        }

        AppendFilter(where, p, filter with { Text = null }, now);
        if (filter.After is { } after)
        {
            where.Append(" AND (c.opened_at < @afterOpened OR (c.opened_at = @afterOpened AND c.id < @afterId))");
            p.Add("afterOpened", after.OpenedAt);
            p.Add("afterId", after.Id);
        }

        p.Add("take", Math.Clamp(filter.Take, 1, 200));
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // Two halves, each its own page: the cases whose key (reference, title) matches, and the cases whose lead
            // company's name matches, each with every other filter and the cursor, in list order and limited to the
            // page. The page of the list is within the union of the two pages; the statement merges them by id (a case
            // in both halves once) and orders them again, in the database's own order of ids. A word found in many
            // names reads its page from the index by opening time instead of every match (decision 0051).
            p.Add("text", SearchKeys.ContainsPattern(filter.Text));
            var key = "c.search_text LIKE @text ESCAPE '\\'";
            if (d.Provider == DatabaseProvider.Postgres && SearchKeys.IndexPattern(filter.Text) is { } words)
            {
                // The trigram index is asked for the term's words but its year; the whole term is a check on the rows it
                // gives (an expression no index answers), so the cases found are the same (SearchKeys.IndexPattern).
                key = "c.search_text LIKE @words ESCAPE '\\' AND (c.search_text || '') LIKE @text ESCAPE '\\'";
                p.Add("words", words);
            }

            var byKey = d.Limit($"SELECT c.id FROM cases c WHERE {key}{where}{Order}", "@take");
            var byCompany = d.Limit($"SELECT c.id FROM cases c JOIN companies tco ON tco.id = c.lead_company_id WHERE tco.search_name LIKE @text ESCAPE '\\'{where}{Order}", "@take");
            where.Clear().Append(CultureInfo.InvariantCulture, $" AND c.id IN (SELECT k.id FROM ({byKey}) k UNION ALL SELECT n.id FROM ({byCompany}) n)");
        }

        var query = d.Limit(
            $"""
            SELECT c.id, c.reference, c.title, c.region_code, c.status, c.current_stage, c.current_step, c.step_due_at, c.opened_at,
                   co.name AS lead_company_name, u.display_name AS owner_name, c.owner_user_id
            FROM cases c
            JOIN companies co ON co.id = c.lead_company_id
            JOIN users u ON u.id = c.owner_user_id
            WHERE 1 = 1{where}{Order}
            """,
            "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(filter.Text) || d.Provider != DatabaseProvider.Postgres)
        {
            return [.. await c.QueryAsync<CaseListItem>(new CommandDefinition(query, p, cancellationToken: cancellationToken))];
        }

        // Which plan is right depends on the word: walk the cases by opening time when it is in many names, read the few
        // matches through the trigram indexes when it is rare. A statement the connection keeps prepared would get one
        // plan for every word after five executions, so this one is planned for its own parameters each time.
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("SET LOCAL plan_cache_mode = force_custom_plan", transaction: tx, cancellationToken: cancellationToken));
        var items = (await c.QueryAsync<CaseListItem>(new CommandDefinition(query, p, tx, cancellationToken: cancellationToken))).ToList();
        await tx.CommitAsync(cancellationToken);
        return items;
    }

    /// <summary>The list's order, newest first; the id orders cases opened at the same moment.</summary>
    private const string Order = " ORDER BY c.opened_at DESC, c.id DESC";

    /// <summary>
    /// The access rule of <see cref="CaseAccess.CanRead"/> in SQL over <c>cases c</c>: a broker's regions, own and
    /// participating cases; every case for coordinators; closed cases for evaluators. False when the actor reads no case.
    /// </summary>
    internal static bool AppendAccess(StringBuilder sql, DynamicParameters p, Actor actor, ISqlDialect dialect)
    {
        switch (actor.Role)
        {
            case WorkflowRole.Broker:
                sql.Append(CultureInfo.InvariantCulture,
                    $" AND ({dialect.InList("c.region_code", "@actorRegions")} OR c.owner_user_id = @actorId OR EXISTS (SELECT 1 FROM case_participants cp WHERE cp.case_id = c.id AND {dialect.InList("cp.region_code", "@actorRegions")}))");
                p.Add("actorRegions", actor.Regions.Distinct(StringComparer.Ordinal).ToArray());
                p.Add("actorId", actor.UserId);
                return true;
            case WorkflowRole.Coordinator:
                return true;
            case WorkflowRole.Evaluator:
                sql.Append(" AND (c.status = 'closed' OR c.audited_case_id IS NOT NULL)");
                return true;
            default:
                return false;
        }
    }

    /// <summary>The case list's filters over <c>cases c</c> joined to its lead company <c>co</c> (the cursor aside).</summary>
    internal static void AppendFilter(StringBuilder sql, DynamicParameters p, CaseFilter filter, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // Reference, title and lead company's name, case and accents ignored (folded search keys, see SearchText).
            // As a set of ids (cases whose key matches, cases of companies whose name matches) rather than an OR over the
            // join: each half reads its own index (pg_trgm on PostgreSQL), and only the matching cases are sorted.
            sql.Append(
                """
                 AND c.id IN (SELECT tc.id FROM cases tc WHERE tc.search_text LIKE @text ESCAPE '\'
                              UNION ALL SELECT tl.id FROM cases tl JOIN companies tco ON tco.id = tl.lead_company_id WHERE tco.search_name LIKE @text ESCAPE '\')
                """);
            p.Add("text", SearchKeys.ContainsPattern(filter.Text));
        }

        Add(filter.Stage, "c.current_stage = @stage", "stage");
        Add(filter.Step, "c.current_step = @step", "step");
        Add(filter.Status, "c.status = @status", "status");
        Add(filter.Region, "c.region_code = @region", "region");
        if (filter.OwnerUserId is { } owner)
        {
            sql.Append(" AND c.owner_user_id = @owner");
            p.Add("owner", owner);
        }

        if (filter.OrganisationId is { } organisation)
        {
            // The owners of the organisation through ix_users_organisation, then their cases through ix_cases_owner.
            sql.Append(" AND c.owner_user_id IN (SELECT ou.id FROM users ou WHERE ou.organisation_id = @organisation)");
            p.Add("organisation", organisation);
        }

        if (filter.EscalatedOnly)
        {
            // As the overview counts them; the escalated cases alone, in the list's order (ix_cases_escalated_opened).
            sql.Append(" AND ").Append(CoordinationQueries.Escalated);
        }

        if (filter.OverdueOnly)
        {
            sql.Append(" AND c.status = 'active' AND c.step_due_at < @now");
            p.Add("now", now);
        }

        void Add(string? value, string clause, string name)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                sql.Append(" AND ").Append(clause);
                p.Add(name, value.Trim());
            }
        }
    }

    /// <summary>Makes user text match literally inside LIKE … ESCAPE '\' on every provider.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal);
}
