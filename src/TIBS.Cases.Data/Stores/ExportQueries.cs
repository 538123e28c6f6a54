using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Exports;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// The rows of exports, streamed with Dapper's unbuffered reader: each row is mapped when the writer asks for it and
/// then let go, so an export of 100,000 rows holds one at a time. The access rule and filters are the case list's
/// (<see cref="CaseQueries.AppendAccess"/>, <see cref="CaseQueries.AppendFilter"/>).
/// </summary>
internal sealed class ExportQueries(IDbConnectionFactory db) : IExportQueries
{
    public IAsyncEnumerable<CaseExportRecord> StreamCasesAsync(CaseFilter filter, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var sql = new StringBuilder(
            """
            SELECT c.id, c.reference, c.title, c.region_code, c.status, c.current_stage, c.current_step, c.step_due_at, c.opened_at, c.closed_at,
                   co.name AS lead_company_name, co.country_code AS lead_country_code, u.display_name AS owner_name, c.definition_version_id
            FROM cases c
            JOIN companies co ON co.id = c.lead_company_id
            JOIN users u ON u.id = c.owner_user_id
            WHERE 1 = 1
            """);
        var p = new DynamicParameters();
        if (!CaseQueries.AppendAccess(sql, p, actor, db.Dialect))
        {
            return AsyncEnumerable.Empty<CaseExportRecord>();
        }

        CaseQueries.AppendFilter(sql, p, filter, now);
        return StreamAsync<CaseExportRecord>(sql.Append(" ORDER BY c.opened_at DESC, c.id DESC").ToString(), p, cancellationToken);
    }

    public IAsyncEnumerable<StepDurationRecord> StreamStepDurationsAsync(StepDurationFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var sql = new StringBuilder(
            """
            SELECT s.case_id, c.reference, c.title, c.region_code, c.definition_version_id, s.step_key, s.started_at, s.due_at, s.completed_at, s.outcome
            FROM case_steps s
            JOIN cases c ON c.id = s.case_id
            WHERE 1 = 1
            """);
        var p = new DynamicParameters();
        if (!CaseQueries.AppendAccess(sql, p, actor, db.Dialect))
        {
            return AsyncEnumerable.Empty<StepDurationRecord>();
        }

        CaseQueries.AppendFilter(sql, p, new CaseFilter { Region = filter.Region, Status = filter.Status }, default);
        return StreamAsync<StepDurationRecord>(sql.Append(" ORDER BY c.opened_at DESC, c.id DESC, s.started_at, s.id").ToString(), p, cancellationToken);
    }

    private async IAsyncEnumerable<T> StreamAsync<T>(string sql, DynamicParameters parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await foreach (var row in connection.QueryUnbufferedAsync<T>(sql, parameters).WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}
