using Dapper;
using TIBS.Cases.Core.Audit;

namespace TIBS.Cases.Data.Audit;

/// <summary>The database side of the audit anchors: case heads, event counts and the copy of each checkpoint.</summary>
public sealed class AuditLedger(IDbConnectionFactory db) : IAuditLedger
{
    public async Task<IReadOnlyList<CaseHead>> ListHeadsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<HeadRow>(new CommandDefinition(
            "SELECT id, reference, audit_count, audit_head_hash FROM cases ORDER BY id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CaseHead(r.Id, r.Reference, r.AuditCount, r.AuditHeadHash.Trim()))];
    }

    public async Task<IReadOnlyDictionary<Guid, int>> CountEventsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<CountRow>(new CommandDefinition(
            "SELECT case_id, COUNT(*) AS events FROM case_events GROUP BY case_id", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.CaseId, r => (int)r.Events);
    }

    public async Task<IReadOnlyList<Guid>> ListCasesWithoutEventAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<Guid>(new CommandDefinition(
            "SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = @kind) ORDER BY c.id",
            new { kind }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<CheckpointRow>(new CommandDefinition(
            "SELECT seq, hash FROM audit_checkpoints ORDER BY seq", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StoredCheckpoint(r.Seq, r.Hash.Trim()))];
    }

    public async Task RecordCheckpointAsync(AuditCheckpoint checkpoint, Action writeOutside, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await using var tx = await c.BeginWriteAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_checkpoints (seq, created_at, key_id, merkle_root, prev_hash, hash, case_count, line)
            VALUES (@Seq, @CreatedAt, @KeyId, @Root, @PrevHash, @Hash, @CaseCount, @Line)
            """,
            new { checkpoint.Seq, checkpoint.CreatedAt, checkpoint.KeyId, checkpoint.Root, checkpoint.PrevHash, checkpoint.Hash, checkpoint.CaseCount, Line = checkpoint.ToLine() },
            tx, cancellationToken: cancellationToken));
        writeOutside();
        await tx.CommitAsync(cancellationToken);
    }

    private sealed record HeadRow
    {
        public Guid Id { get; init; }

        public string Reference { get; init; } = "";

        public int AuditCount { get; init; }

        public string AuditHeadHash { get; init; } = "";
    }

    private sealed record CheckpointRow
    {
        public int Seq { get; init; }

        public string Hash { get; init; } = "";
    }

    private sealed record CountRow
    {
        public Guid CaseId { get; init; }

        public long Events { get; init; }
    }
}
