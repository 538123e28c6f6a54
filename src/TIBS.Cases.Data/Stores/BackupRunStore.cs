using Dapper;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Backups;

namespace TIBS.Cases.Data.Stores;

/// <summary>The runs of backups (<c>backup_runs</c>); a start and an end each write their administration log line in the same transaction.</summary>
internal sealed class BackupRunStore(IDbConnectionFactory db) : IBackupRunStore
{
    private const string LogInsert =
        "INSERT INTO administration_log (id, occurred_at, actor_id, action, subject_user_id, details) VALUES (@Id, @OccurredAt, @ActorId, @Action, @SubjectUserId, @Details)";

    public async Task AddAsync(BackupRun run, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO backup_runs (id, requested_by, requested_at, started_at, finished_at, status, file_name, size_bytes, verified, message)
            VALUES (@Id, @RequestedBy, @RequestedAt, @StartedAt, @FinishedAt, @Status, @FileName, @SizeBytes, @Verified, @Message)
            """, run, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task SetRunningAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE backup_runs SET status = @Status, started_at = @At WHERE id = @Id",
            new { Id = id, At = at, Status = BackupRun.Running }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(BackupRun finished, AdministrationLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finished);
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE backup_runs SET status = @Status, started_at = @StartedAt, finished_at = @FinishedAt, file_name = @FileName,
                size_bytes = @SizeBytes, verified = @Verified, message = @Message
            WHERE id = @Id
            """, finished, tx, cancellationToken: cancellationToken));
        await c.ExecuteAsync(new CommandDefinition(LogInsert, entry, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BackupRun>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            db.Dialect.Limit(
                """
                SELECT id, requested_by, requested_at, started_at, finished_at, status, file_name, size_bytes, verified, message
                FROM backup_runs ORDER BY requested_at DESC, id DESC
                """, "@Limit"), new { Limit = limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new BackupRun
        {
            Id = r.Id,
            RequestedBy = r.RequestedBy,
            RequestedAt = r.RequestedAt,
            StartedAt = r.StartedAt,
            FinishedAt = r.FinishedAt,
            Status = r.Status,
            FileName = r.FileName,
            SizeBytes = r.SizeBytes,
            Verified = r.Verified,
            Message = r.Message,
        })];
    }

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string RequestedBy { get; init; } = "";
        public DateTimeOffset RequestedAt { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public DateTimeOffset? FinishedAt { get; init; }
        public string Status { get; init; } = "";
        public string? FileName { get; init; }
        public long? SizeBytes { get; init; }
        public bool Verified { get; init; }
        public string? Message { get; init; }
    }
}
