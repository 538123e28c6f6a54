using System.Text.Json.Nodes;

namespace TIBS.Cases.Core.Audit;

/// <summary>Why a checkpoint could not be written.</summary>
internal sealed class AnchoringException(string message) : Exception(message);

/// <summary>
/// Writes signed checkpoints. A checkpoint is written when some case's head moved since the latest checkpoint; it
/// lists the moved heads and the Merkle root over all heads, names the previous checkpoint's hash and is signed with
/// the signing key. It is appended to the anchor files (the trust root) and recorded in the database.
/// A case whose head went backwards or sideways (fewer events than anchored, or another head at the same count) is
/// not anchored again: the anchors keep what they signed, and the verifier reports the case.
/// The first checkpoint of an installation brings every existing chain under the anchors and records that in each
/// chain as an <c>audit-anchored</c> system record.
/// </summary>
public sealed class AuditAnchoring(IAuditLedger ledger, ISystemRecordAppender appender, IAnchorLog log, AuditKeyRing keys, TimeProvider time, AnchorHistorySource? anchors = null)
{
    private readonly AnchorHistorySource source = anchors ?? new AnchorHistorySource(log, keys);

    public const string AnchoredKind = "audit-anchored";

    /// <summary>Writes the next checkpoint if anything changed; returns it, or null when nothing did.</summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (keys.SigningKeyId is null)
        {
            throw new AnchoringException("No audit signing key is configured (Audit:SigningKeyFile): checkpoints cannot be signed.");
        }

        var history = source.Current();
        var latest = history.Latest;
        var stored = await ledger.ListCheckpointsAsync(cancellationToken);
        if (stored.Count > 0 && stored.Max(s => s.Seq) > (latest?.Seq ?? 0))
        {
            throw new AnchoringException(
                $"The database records checkpoint {stored.Max(s => s.Seq)} but the anchor files in {log.Location} end at {latest?.Seq ?? 0}: " +
                "restore the anchor files (Audit:AnchorFolder) before new checkpoints are written.");
        }

        if (latest is null)
        {
            await RecordFirstAnchoringAsync(cancellationToken);
        }

        var moved = new List<AnchorLeaf>();
        foreach (var head in await ledger.ListHeadsAsync(cancellationToken))
        {
            if (head.Count == 0)
            {
                continue;
            }

            if (!history.State.TryGetValue(head.CaseId, out var anchored) || head.Count > anchored.Count)
            {
                moved.Add(new AnchorLeaf(head.CaseId, head.Count, head.Head));
            }
        }

        if (moved.Count == 0)
        {
            return null;
        }

        var all = new Dictionary<Guid, AnchorLeaf>(history.State);
        foreach (var leaf in moved)
        {
            all[leaf.CaseId] = leaf;
        }

        var checkpoint = keys.Sign(new AuditCheckpoint
        {
            Seq = (latest?.Seq ?? 0) + 1,
            CreatedAt = time.UtcNow(),
            PrevHash = latest?.Hash ?? AuditCheckpoint.GenesisHash,
            KeyId = keys.SigningKeyId,
            Root = MerkleTree.Root(all.Values),
            CaseCount = all.Count,
            Leaves = [.. moved.OrderBy(l => l.CaseId.ToString("D"), StringComparer.Ordinal)],
        });
        await ledger.RecordCheckpointAsync(checkpoint, () => log.Append(checkpoint), cancellationToken);
        return checkpoint;
    }

    /// <summary>
    /// Records a restore from the backup of <paramref name="restoredFrom"/> (decision 0055): a checkpoint whose leaves are
    /// every case's head as restored, replacing what earlier checkpoints anchored, so that the verifier reports the
    /// restore as such and not as truncation. Written by the restore procedure after it has verified the restored trails.
    /// </summary>
    public async Task<AuditCheckpoint> RecordRestoreAsync(DateTimeOffset restoredFrom, CancellationToken cancellationToken = default)
    {
        if (keys.SigningKeyId is null)
        {
            throw new InvalidOperationException("No audit signing key is configured (Audit:SigningKeyFile): the restore cannot be recorded.");
        }

        var latest = source.Current().Latest;
        var leaves = (await ledger.ListHeadsAsync(cancellationToken))
            .Where(h => h.Count > 0)
            .Select(h => new AnchorLeaf(h.CaseId, h.Count, h.Head))
            .OrderBy(l => l.CaseId.ToString("D"), StringComparer.Ordinal)
            .ToList();
        var checkpoint = keys.Sign(new AuditCheckpoint
        {
            Seq = (latest?.Seq ?? 0) + 1,
            CreatedAt = time.UtcNow(),
            PrevHash = latest?.Hash ?? AuditCheckpoint.GenesisHash,
            KeyId = keys.SigningKeyId,
            Root = MerkleTree.Root(leaves),
            CaseCount = leaves.Count,
            Leaves = leaves,
            RestoredFrom = restoredFrom,
        });
        await ledger.RecordCheckpointAsync(checkpoint, () => log.Append(checkpoint), cancellationToken);
        return checkpoint;
    }

    private async Task RecordFirstAnchoringAsync(CancellationToken cancellationToken)
    {
        foreach (var caseId in await ledger.ListCasesWithoutEventAsync(AnchoredKind, cancellationToken))
        {
            var data = new JsonObject
            {
                ["reason"] = "The audit trail is anchored by signed checkpoints from here on.",
                ["keyId"] = keys.SigningKeyId,
            }.ToJsonString();
            await appender.AppendSystemRecordAsync(caseId, new SystemRecord(AnchoredKind, null, data, time.UtcNow()), cancellationToken);
        }
    }
}
