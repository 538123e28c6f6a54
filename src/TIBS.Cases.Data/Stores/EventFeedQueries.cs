using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Events;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Case events in commit order for the events feed (decision 0015). The database numbers the events
/// (<c>feed_commit</c>, <c>feed_position</c>, script 0014) and each provider has its own rule for which events are
/// final, so that no event committed later can appear before the last one returned:
/// <list type="bullet">
/// <item>PostgreSQL: ordered by (writing transaction, position); only transactions below the oldest one still running
/// (<c>pg_snapshot_xmin</c> of the statement's own snapshot) are delivered.</item>
/// <item>SQL Server: ordered by rowversion; only rows below <c>MIN_ACTIVE_ROWVERSION()</c>, read before the rows (so a
/// statement snapshot taken after it sees every one of them), through the rowversion index so that the range read never
/// touches, and waits on, a row still being written.</item>
/// <item>SQLite: ordered by position; one writer at a time takes positions in commit order, so every committed row is final.</item>
/// </list>
/// </summary>
internal sealed class EventFeedQueries(IDbConnectionFactory db) : IEventFeedQueries
{
    private const string EventColumns =
        "e.case_id, e.seq, e.id, e.occurred_at, e.actor_user_id, e.kind, e.step_key, e.data, e.prev_hash, e.hash, e.feed_position, u.display_name AS actor_name";

    public async Task<EventFeedPage> ReadAsync(EventFeedPosition? after, int take, CancellationToken cancellationToken = default)
    {
        var d = db.Dialect;
        var sql = d.Limit(FeedSql(d.Provider, after is not null), "@take");
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = (await c.QueryAsync<Row>(new CommandDefinition(
            sql, new { commit = after?.Commit ?? 0L, position = after?.Position ?? 0L, take }, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            return new EventFeedPage([], [], []);
        }

        // Dapper expands a list without the Guid handler: SQLite stores ids as text, so the list is text there.
        var caseIds = rows.Select(r => r.CaseId).Distinct().ToList();
        var args = d.Provider == DatabaseProvider.Sqlite ? (object)new { ids = caseIds.Select(i => i.ToString("D")).ToArray() } : new { ids = caseIds.ToArray() };
        var cases = await c.QueryAsync<CaseRecord>(new CommandDefinition(
            $"""
            SELECT id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_stage, current_step,
                   step_started_at, step_due_at, hold_started_at, data, version, audit_head_hash, audit_count, opened_at, updated_at, closed_at
            FROM cases WHERE {d.InList("id", "@ids")}
            """, args, cancellationToken: cancellationToken));
        var participants = await c.QueryAsync<CaseParticipantRecord>(new CommandDefinition(
            $"""
            SELECT id, case_id, company_id, region_code, role, pipeline_status, match_score, added_by, added_at, updated_at
            FROM case_participants WHERE {d.InList("case_id", "@ids")}
            """, args, cancellationToken: cancellationToken));
        return new EventFeedPage([.. rows.Select(r => r.ToFeedRow())], [.. cases], [.. participants]);
    }

    /// <summary>The feed's query on one provider, ordered, before its row limit.</summary>
    internal static string FeedSql(DatabaseProvider provider, bool hasCursor) => provider switch
    {
        DatabaseProvider.Postgres => $"""
            SELECT {EventColumns}, CAST(CAST(e.feed_commit AS text) AS bigint) AS feed_commit
            FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id
            WHERE e.feed_commit < pg_snapshot_xmin(pg_current_snapshot())
            {(hasCursor ? "AND (e.feed_commit, e.feed_position) > (CAST(CAST(@commit AS text) AS xid8), @position)" : "")}
            ORDER BY e.feed_commit, e.feed_position
            """,
        DatabaseProvider.SqlServer => $"""
            DECLARE @horizon binary(8) = MIN_ACTIVE_ROWVERSION();
            SELECT {EventColumns}, CAST(e.feed_commit AS bigint) AS feed_commit
            FROM case_events e WITH (INDEX (ux_case_events_feed)) LEFT JOIN users u ON u.id = e.actor_user_id
            WHERE e.feed_commit < @horizon
            {(hasCursor ? "AND e.feed_commit > CAST(@commit AS binary(8))" : "")}
            ORDER BY e.feed_commit
            """,
        _ => $"""
            SELECT {EventColumns}, e.feed_commit
            FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id
            WHERE e.feed_position IS NOT NULL
            {(hasCursor ? "AND e.feed_position > @position" : "")}
            ORDER BY e.feed_position
            """,
    };

    private sealed class Row
    {
        public Guid CaseId { get; init; }
        public int Seq { get; init; }
        public Guid Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public Guid? ActorUserId { get; init; }
        public string Kind { get; init; } = "";
        public string? StepKey { get; init; }
        public string Data { get; init; } = "";
        public string PrevHash { get; init; } = "";
        public string Hash { get; init; } = "";
        public long FeedCommit { get; init; }
        public long FeedPosition { get; init; }
        public string? ActorName { get; init; }

        public EventFeedRow ToFeedRow() => new(
            new CaseEventRecord
            {
                CaseId = CaseId,
                Seq = Seq,
                Id = Id,
                OccurredAt = OccurredAt,
                ActorUserId = ActorUserId,
                Kind = Kind,
                StepKey = StepKey,
                Data = Data,
                PrevHash = PrevHash,
                Hash = Hash,
            },
            new EventFeedPosition(FeedCommit, FeedPosition),
            ActorName);
    }
}
