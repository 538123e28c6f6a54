using System.Globalization;

namespace TIBS.Cases.Core.Audit;

/// <summary>A case's head as a checkpoint anchored it.</summary>
public sealed record AnchoredPoint(int Count, string Head, int CheckpointSeq, DateTimeOffset SignedAt);

/// <summary>
/// What the anchor files prove, read line by line: each line's signature by a trusted key, the checkpoint chain
/// (sequence numbers without gaps, each naming the previous one's hash), each Merkle root against the heads, and,
/// per case, every anchored (count, head) in order. Lines that fail their signature are not believed.
/// </summary>
public sealed class AnchorHistory
{
    private readonly Dictionary<Guid, List<AnchoredPoint>> points = [];
    private readonly Dictionary<Guid, AnchorLeaf> state = [];
    private readonly List<AuditProblem> problems = [];
    private readonly List<AuditCheckpoint> checkpoints = [];

    public IReadOnlyList<AuditCheckpoint> Checkpoints => checkpoints;

    public AuditCheckpoint? Latest => checkpoints.Count == 0 ? null : checkpoints[^1];

    /// <summary>Problems of the anchor files themselves (forged, removed, reordered lines).</summary>
    public IReadOnlyList<AuditProblem> Problems => problems;

    /// <summary>The heads as of the latest checkpoint.</summary>
    public IReadOnlyDictionary<Guid, AnchorLeaf> State => state;

    public IReadOnlyList<AnchoredPoint> PointsOf(Guid caseId) => points.TryGetValue(caseId, out var list) ? list : [];

    public IEnumerable<Guid> AnchoredCases => points.Keys;

    /// <summary>The checkpoints written by a restore from a backup (<see cref="AuditCheckpoint.RestoredFrom"/>), oldest first.</summary>
    public IReadOnlyList<AuditCheckpoint> Restores => [.. checkpoints.Where(c => c.RestoredFrom is not null)];

    public AuditCheckpoint? Find(int seq) => checkpoints.FirstOrDefault(c => c.Seq == seq);

    public static AnchorHistory Read(IEnumerable<AnchorLine> lines, AuditKeyRing keys)
    {
        var h = new AnchorHistory();
        foreach (var line in lines)
        {
            h.Add(line, keys);
        }

        return h;
    }

    /// <summary>Compares the database's copy of the checkpoints with the files (the files are the trust root).</summary>
    public IReadOnlyList<AuditProblem> CompareWith(IReadOnlyList<StoredCheckpoint> stored)
    {
        var found = new List<AuditProblem>();
        var inFiles = checkpoints.ToDictionary(c => c.Seq);
        foreach (var s in stored)
        {
            if (!inFiles.TryGetValue(s.Seq, out var f))
            {
                found.Add(Problem($"The database records checkpoint {s.Seq}, which the anchor files do not hold: a line was removed from the files, or the database row was forged."));
            }
            else if (!string.Equals(f.Hash, s.Hash.Trim(), StringComparison.Ordinal))
            {
                found.Add(Problem($"The database's copy of checkpoint {s.Seq} differs from the anchor files."));
            }
        }

        var inDatabase = stored.Select(s => s.Seq).ToHashSet();
        found.AddRange(checkpoints.Where(c => !inDatabase.Contains(c.Seq))
            .Select(c => Problem($"Checkpoint {c.Seq} of the anchor files is missing from the database.")));
        return found;
    }

    private void Add(AnchorLine line, AuditKeyRing keys)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"{line.Source} line {line.LineNumber}");
        if (string.IsNullOrWhiteSpace(line.Text))
        {
            return;
        }

        var cp = AuditCheckpoint.Parse(line.Text, out var error);
        if (cp is null)
        {
            problems.Add(Problem($"{where}: {error}."));
            return;
        }

        if (!keys.IsTrusted(cp.KeyId))
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} is signed with key {cp.KeyId}, which is not a trusted key (Audit:TrustedKeys)."));
            return;
        }

        if (!keys.Verify(cp))
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} is forged: its signature does not match its content."));
            return;
        }

        var last = Latest;
        var expectedSeq = (last?.Seq ?? 0) + 1;
        if (cp.Seq < expectedSeq)
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} comes after checkpoint {expectedSeq - 1}: the anchor files are out of order or repeat a line."));
            return;
        }

        if (cp.Seq > expectedSeq)
        {
            problems.Add(Problem(cp.Seq == expectedSeq + 1
                ? $"{where}: checkpoint {expectedSeq} is missing from the anchor files."
                : $"{where}: checkpoints {expectedSeq} to {cp.Seq - 1} are missing from the anchor files."));
        }
        else if (!string.Equals(cp.PrevHash, last?.Hash ?? AuditCheckpoint.GenesisHash, StringComparison.Ordinal))
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} does not follow checkpoint {expectedSeq - 1}: the previous checkpoint was replaced."));
        }

        if (cp.RestoredFrom is not null)
        {
            // A restore acknowledged: its leaves are every case's head after the restore. What earlier checkpoints
            // anchored beyond them was lost with the restore and is no longer expected; what they hold is kept.
            var restored = cp.Leaves.ToDictionary(l => l.CaseId);
            foreach (var caseId in points.Keys.ToList())
            {
                if (!restored.TryGetValue(caseId, out var leaf))
                {
                    points.Remove(caseId);
                    continue;
                }

                points[caseId].RemoveAll(p => p.Count > leaf.Count);
            }

            state.Clear();
        }

        foreach (var leaf in cp.Leaves)
        {
            state[leaf.CaseId] = leaf;
            if (!points.TryGetValue(leaf.CaseId, out var list))
            {
                points[leaf.CaseId] = list = [];
            }

            list.Add(new AnchoredPoint(leaf.Count, leaf.Head, cp.Seq, cp.CreatedAt));
        }

        if (!string.Equals(MerkleTree.Root(state.Values), cp.Root, StringComparison.Ordinal) || cp.CaseCount != state.Count)
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq}'s Merkle root does not match the heads of the checkpoints before it."));
        }

        checkpoints.Add(cp);
    }

    private static AuditProblem Problem(string message) => new(AuditProblemKind.Checkpoint, null, null, message);
}
