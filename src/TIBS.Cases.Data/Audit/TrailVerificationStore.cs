using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.Data.Audit;

/// <summary>
/// The runs of the scheduled verification of every audit trail (decision 0033): one row per run, its findings, and the
/// keyset reads of the walk (cases by id, a case's events by sequence number). The unfinished run holds the slot
/// <c>running</c> (unique), so two processes can never both start one; the process working on it holds a lease,
/// renewed with each batch, and a run whose lease ran out is taken over where it stopped.
/// </summary>
internal sealed class TrailVerificationStore(IDbConnectionFactory db) : ITrailVerificationStore
{
    private const string Running = "running";

    private const string RunColumns =
        "id, started_by, started_at, finished_at, lease_until, last_case_id, cases_checked, events_checked, failures";

    private const string CaseColumns =
        "id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step, audit_head_hash, audit_count";

    private const string EventColumns = "case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash";

    private const string Progress =
        """
        UPDATE audit_verifications
        SET last_case_id = @LastCaseId, cases_checked = @CasesChecked, events_checked = @EventsChecked, failures = @Failures
        """;

    private const string InsertFailure =
        """
        INSERT INTO audit_verification_failures (run_id, position, case_id, reference, kind, message)
        VALUES (@RunId, @Position, @CaseId, @Reference, @Kind, @Message)
        """;

    public async Task<TrailVerificationClaim> ClaimAsync(string holder, string startedBy, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using (var tx = await c.BeginWriteAsync(cancellationToken))
        {
            var open = await OpenRunAsync(c, tx, cancellationToken);
            if (open is not null)
            {
                if (open.LeaseUntil > now)
                {
                    return new TrailVerificationClaim(null, open);
                }

                // Taken over only while its lease is still out: of two processes asking at once, one updates the row.
                var taken = await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE audit_verifications SET holder = @holder, lease_until = @leaseUntil WHERE id = @Id AND slot = 'running' AND lease_until <= @now",
                    new { holder, leaseUntil, open.Id, now }, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                return taken == 1 ? new TrailVerificationClaim(open with { LeaseUntil = leaseUntil }, null) : new TrailVerificationClaim(null, await GetLatestAsync(cancellationToken));
            }

            var run = new TrailVerificationRun { Id = Guid.NewGuid(), StartedBy = startedBy, StartedAt = now, LeaseUntil = leaseUntil };
            try
            {
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO audit_verifications (id, slot, started_by, started_at, finished_at, holder, lease_until, last_case_id, cases_checked, events_checked, failures)
                    VALUES (@Id, 'running', @StartedBy, @StartedAt, NULL, @holder, @LeaseUntil, NULL, 0, 0, 0)
                    """,
                    new { run.Id, run.StartedBy, StartedAt = Core.Timestamps.Normalize(run.StartedAt), holder, run.LeaseUntil }, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                return new TrailVerificationClaim(run, null);
            }
            catch (DbException)
            {
                // Another process inserted its run between our read and our insert: the unique slot refused ours.
                await tx.RollbackAsync(cancellationToken);
            }
        }

        return new TrailVerificationClaim(null, await GetLatestAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<CaseRecord>> ListCasesAfterAsync(Guid? after, int take, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var sql = db.Dialect.Limit($"SELECT {CaseColumns} FROM cases{(after is null ? "" : " WHERE id > @after")} ORDER BY id", "@take");
        return [.. await c.QueryAsync<CaseRecord>(new CommandDefinition(sql, new { after, take }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<CaseEventRecord>> ListEventsAsync(Guid caseId, int afterSeq, int take, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var sql = db.Dialect.Limit($"SELECT {EventColumns} FROM case_events WHERE case_id = @caseId AND seq > @afterSeq ORDER BY seq", "@take");
        return [.. await c.QueryAsync<CaseEventRecord>(new CommandDefinition(sql, new { caseId, afterSeq, take }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<Guid>> FindAbsentCasesAsync(IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        var absent = new List<Guid>();
        await using var c = await db.OpenAsync(cancellationToken);
        foreach (var chunk in caseIds.Distinct().Chunk(500))
        {
            var present = (await c.QueryAsync<Guid>(new CommandDefinition(
                $"SELECT id FROM cases WHERE {db.Dialect.InList("id", "@ids")}", new { ids = db.Dialect.IdList(chunk) }, cancellationToken: cancellationToken))).ToHashSet();
            absent.AddRange(chunk.Where(id => !present.Contains(id)));
        }

        return absent;
    }

    public Task<bool> RecordBatchAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        WriteAsync(progress, failures, $"{Progress}, lease_until = @leaseUntil", new { leaseUntil }, [], cancellationToken);

    public Task<bool> FinishAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, DateTimeOffset finishedAt, IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default) =>
        WriteAsync(progress, failures, $"{Progress}, finished_at = @finishedAt, slot = @slot", new { finishedAt = Core.Timestamps.Normalize(finishedAt), slot = progress.RunId.ToString("N") }, notifications, cancellationToken);

    public async Task<TrailVerificationRun?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            db.Dialect.Limit($"SELECT {RunColumns} FROM audit_verifications ORDER BY started_at DESC, id", "@take"), new { take = 1 }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    public async Task<IReadOnlyList<TrailVerificationFailure>> ListFailuresAsync(Guid runId, int take, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<FailureRow>(new CommandDefinition(
            db.Dialect.Limit("SELECT run_id, position, case_id, reference, kind, message FROM audit_verification_failures WHERE run_id = @runId ORDER BY position", "@take"),
            new { runId, take }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new TrailVerificationFailure(r.RunId, r.Position, r.CaseId, r.Reference, r.Kind, r.Message))];
    }

    private static async Task<TrailVerificationRun?> OpenRunAsync(DbConnection c, DbTransaction tx, CancellationToken cancellationToken) =>
        (await c.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM audit_verifications WHERE slot = '{Running}'", transaction: tx, cancellationToken: cancellationToken)))?.ToRun();

    /// <summary>Progress (and the rest of <paramref name="set"/>), findings and notifications in one transaction, only while <see cref="TrailVerificationProgress.Holder"/> holds the run.</summary>
    private async Task<bool> WriteAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, string set, object extra, IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new { progress.RunId, progress.Holder, progress.LastCaseId, progress.CasesChecked, progress.EventsChecked, progress.Failures });
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        var held = await c.ExecuteAsync(new CommandDefinition(
            $"{set} WHERE id = @RunId AND holder = @Holder AND slot = 'running'", parameters, tx, cancellationToken: cancellationToken));
        if (held != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }

        foreach (var f in failures)
        {
            await c.ExecuteAsync(new CommandDefinition(InsertFailure,
                new { f.RunId, f.Position, f.CaseId, f.Reference, f.Kind, Message = f.Message }, tx, cancellationToken: cancellationToken));
        }

        foreach (var n in notifications)
        {
            await c.ExecuteAsync(new CommandDefinition(NotificationRows.InsertIfNew, NotificationRows.Parameters(n), tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record RunRow
    {
        public Guid Id { get; init; }

        public string StartedBy { get; init; } = "";

        public DateTimeOffset StartedAt { get; init; }

        public DateTimeOffset? FinishedAt { get; init; }

        public DateTimeOffset LeaseUntil { get; init; }

        public Guid? LastCaseId { get; init; }

        public int CasesChecked { get; init; }

        public int EventsChecked { get; init; }

        public int Failures { get; init; }

        public TrailVerificationRun ToRun() => new()
        {
            Id = Id,
            StartedBy = StartedBy,
            StartedAt = StartedAt,
            FinishedAt = FinishedAt,
            LeaseUntil = LeaseUntil,
            LastCaseId = LastCaseId,
            CasesChecked = CasesChecked,
            EventsChecked = EventsChecked,
            Failures = Failures,
        };
    }

    private sealed record FailureRow
    {
        public Guid RunId { get; init; }

        public int Position { get; init; }

        public Guid? CaseId { get; init; }

        public string? Reference { get; init; }

        public string Kind { get; init; } = "";

        public string Message { get; init; } = "";
    }
}
