using System.Collections.Immutable;
using System.Globalization;

namespace TIBS.Cases.Core.Audit;

/// <summary>A case's head as a checkpoint anchored it.</summary>
public sealed record AnchoredPoint(int Count, string Head, int CheckpointSeq, DateTimeOffset SignedAt);

/// <summary>
/// What the anchor files prove, read line by line: each line's signature by a trusted key, the checkpoint chain
/// (sequence numbers without gaps, each naming the previous one's hash), the Merkle root against the heads (that of
/// the last checkpoint of each read, see <see cref="Extend"/>), and, per case, every anchored (count, head) in order.
/// Lines that fail their signature are not believed.
/// A history is never changed once built: <see cref="Extend"/> returns a new one with the lines appended since, so a
/// reader can go on using the one it holds while the files grow (decision 0068).
/// </summary>
public sealed class AnchorHistory
{
    private readonly Dictionary<Guid, ImmutableArray<AnchoredPoint>> points;
    private readonly Dictionary<Guid, AnchorLeaf> state;
    private readonly List<AuditProblem> problems;
    private readonly List<AuditCheckpoint> checkpoints;

    private AnchorHistory()
        : this([], [], [], [])
    {
    }

    private AnchorHistory(Dictionary<Guid, ImmutableArray<AnchoredPoint>> points, Dictionary<Guid, AnchorLeaf> state, List<AuditProblem> problems, List<AuditCheckpoint> checkpoints)
    {
        this.points = points;
        this.state = state;
        this.problems = problems;
        this.checkpoints = checkpoints;
    }

    /// <summary>No anchor file line read yet.</summary>
    public static AnchorHistory Empty { get; } = new();

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

    public static AnchorHistory Read(IEnumerable<AnchorLine> lines, AuditKeyRing keys) => Empty.Extend(lines, keys);

    /// <summary>
    /// This history with <paramref name="lines"/> read after it (lines appended to the files since). Each line is
    /// parsed, its signature checked and its place in the chain checked as it is read; the Merkle root over all heads
    /// is computed once for the lines' last checkpoint (and for the last one before a restore), not once per line:
    /// only when that root does not match are the lines read again with every root computed, so that the problem names
    /// the first checkpoint whose root is wrong. This history is not changed.
    /// </summary>
    public AnchorHistory Extend(IEnumerable<AnchorLine> lines, AuditKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(keys);
        var all = lines as IReadOnlyList<AnchorLine> ?? [.. lines];
        if (all.Count == 0)
        {
            return this;
        }

        var next = Copy();
        if (next.AddAll(all, keys, everyRoot: false))
        {
            return next;
        }

        next = Copy();
        next.AddAll(all, keys, everyRoot: true);
        return next;
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

    private AnchorHistory Copy() => new(new(points), new(state), [.. problems], [.. checkpoints]);

    /// <summary>
    /// Reads the lines into this (new, unpublished) history. With <paramref name="everyRoot"/> false the Merkle root is
    /// left to the last checkpoint (and the last before a restore); false is returned when that root did not match.
    /// </summary>
    private bool AddAll(IReadOnlyList<AnchorLine> lines, AuditKeyRing keys, bool everyRoot)
    {
        AuditCheckpoint? pending = null;
        foreach (var line in lines)
        {
            if (!Add(line, keys, everyRoot, ref pending))
            {
                return false;
            }
        }

        return pending is null || RootMatches(pending);
    }

    private bool RootMatches(AuditCheckpoint cp) => string.Equals(MerkleTree.Root(state.Values), cp.Root, StringComparison.Ordinal);

    /// <summary>
    /// Reads one line. <paramref name="pending"/> is the checkpoint whose root is still to be checked (when roots are
    /// deferred); false when it is checked before a restore and does not match.
    /// </summary>
    private bool Add(AnchorLine line, AuditKeyRing keys, bool everyRoot, ref AuditCheckpoint? pending)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"{line.Source} line {line.LineNumber}");
        if (string.IsNullOrWhiteSpace(line.Text))
        {
            return true;
        }

        var cp = AuditCheckpoint.Parse(line.Text, out var error);
        if (cp is null)
        {
            problems.Add(Problem($"{where}: {error}."));
            return true;
        }

        if (!keys.IsTrusted(cp.KeyId))
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} is signed with key {cp.KeyId}, which is not a trusted key (Audit:TrustedKeys)."));
            return true;
        }

        if (!keys.Verify(cp))
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} is forged: its signature does not match its content."));
            return true;
        }

        var last = Latest;
        var expectedSeq = (last?.Seq ?? 0) + 1;
        if (cp.Seq < expectedSeq)
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq} comes after checkpoint {expectedSeq - 1}: the anchor files are out of order or repeat a line."));
            return true;
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
            // The heads are about to be replaced: the root of the checkpoint before is checked on the heads it covered.
            if (pending is not null && !RootMatches(pending))
            {
                return false;
            }

            pending = null;

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

                points[caseId] = points[caseId].RemoveAll(p => p.Count > leaf.Count);
            }

            state.Clear();
        }

        foreach (var leaf in cp.Leaves)
        {
            state[leaf.CaseId] = leaf;
            var point = new AnchoredPoint(leaf.Count, leaf.Head, cp.Seq, cp.CreatedAt);
            points[leaf.CaseId] = points.TryGetValue(leaf.CaseId, out var list) ? list.Add(point) : [point];
        }

        if (cp.CaseCount != state.Count || (everyRoot && !RootMatches(cp)))
        {
            problems.Add(Problem($"{where}: checkpoint {cp.Seq}'s Merkle root does not match the heads of the checkpoints before it."));
        }

        checkpoints.Add(cp);
        if (!everyRoot)
        {
            pending = cp;
        }

        return true;
    }

    private static AuditProblem Problem(string message) => new(AuditProblemKind.Checkpoint, null, null, message);
}
