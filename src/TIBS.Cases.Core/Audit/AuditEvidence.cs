using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Audit;

/// <summary>What is wrong with a case's audit evidence.</summary>
public enum AuditProblemKind
{
    /// <summary>An event's content does not match its hash (or the case row's head does not match the chain).</summary>
    Edited,

    /// <summary>An event (or a whole anchored case) is gone: a gap in the sequence or a chain link to nothing.</summary>
    Missing,

    /// <summary>Events are present but in a different order than they were chained.</summary>
    Reordered,

    /// <summary>The chain is shorter than a checkpoint anchored it (events removed, head and count set back).</summary>
    Truncated,

    /// <summary>The chain is consistent in itself but differs from what a checkpoint anchored (hashes recomputed).</summary>
    Rewritten,

    /// <summary>The whole database is behind the anchors in the way a restore from a backup leaves it.</summary>
    Restored,

    /// <summary>The anchor files themselves: a forged, removed or reordered checkpoint, or a database copy that differs.</summary>
    Checkpoint,
}

public sealed record AuditProblem(AuditProblemKind Kind, Guid? CaseId, string? Reference, string Message)
{
    public string KindName => Kind.ToString().ToLowerInvariant();

    /// <summary>What kind of damage this is, in words a reader of the audit page understands.</summary>
    public string KindLabel => Kind switch
    {
        AuditProblemKind.Edited => "an event was edited",
        AuditProblemKind.Missing => "events are missing",
        AuditProblemKind.Reordered => "events were reordered",
        AuditProblemKind.Truncated => "events were removed",
        AuditProblemKind.Rewritten => "the trail was rewritten",
        AuditProblemKind.Restored => "restored from a backup",
        AuditProblemKind.Checkpoint => "a checkpoint does not match",
        _ => KindName,
    };
}

/// <summary>
/// The database was restored: every case's chain equals its state at checkpoint <see cref="CheckpointSeq"/> (0: before
/// the first checkpoint) or has only events that no checkpoint anchored yet, and the cases in <see cref="CasesBehind"/>
/// lack events that later checkpoints anchored.
/// </summary>
public sealed record RestoreFinding(int CheckpointSeq, DateTimeOffset? SignedAt, IReadOnlyList<Guid> CasesBehind)
{
    public string Describe() => CheckpointSeq == 0
        ? "the database was restored to a state before the first checkpoint"
        : string.Create(CultureInfo.InvariantCulture, $"the database was restored to the state of checkpoint {CheckpointSeq} at {SignedAt:yyyy-MM-dd HH:mm:ss} UTC");
}

/// <summary>The verdict on one case.</summary>
public sealed record CaseAuditResult(Guid CaseId, string? Reference, int EventCount, AuditProblem? Problem, AnchoredPoint? Covered)
{
    public bool IsIntact => Problem is null;

    /// <summary>Events after the latest checkpoint that covers this case (anchored within a minute).</summary>
    public int Unanchored => EventCount - (Covered?.Count ?? 0);

    /// <summary>The first event judged: 1 when the whole chain was, later when only a page of the timeline was (see <see cref="AuditEvidence.VerifyShown"/>).</summary>
    public int FirstChecked { get; init; } = 1;

    /// <summary>The last event judged when a page before the latest was; null when the judged events reach the case's head.</summary>
    public int? LastChecked { get; init; }

    /// <summary>Whether every event of the chain was judged, from the first to the case's head.</summary>
    public bool IsWhole => FirstChecked == 1 && LastChecked is null;

    /// <summary>One sentence for a person: what was verified against what, or what is wrong.</summary>
    public string Describe()
    {
        if (Problem is { } p)
        {
            return p.Message;
        }

        if (!IsWhole)
        {
            return DescribeShown();
        }

        if (Covered is not { } c)
        {
            return EventCount == 1
                ? Localized.Text("Audit trail verified: the 1 event is intact; no signed checkpoint covers this case yet.")
                : Localized.Format("Audit trail verified: all {0} events are intact; no signed checkpoint covers this case yet.", EventCount);
        }

        var signed = c.SignedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return (EventCount == 1, Unanchored == 0) switch
        {
            (true, true) => Localized.Format("Audit trail verified against checkpoint {0} signed {1} UTC: the 1 event is intact.", c.CheckpointSeq, signed),
            (true, false) => Localized.Format("Audit trail verified against checkpoint {0} signed {1} UTC: the 1 event is intact; the last {2} await the next checkpoint.", c.CheckpointSeq, signed, Unanchored),
            (false, true) => Localized.Format("Audit trail verified against checkpoint {0} signed {1} UTC: all {2} events are intact.", c.CheckpointSeq, signed, EventCount),
            (false, false) => Localized.Format("Audit trail verified against checkpoint {0} signed {1} UTC: all {2} events are intact; the last {3} await the next checkpoint.", c.CheckpointSeq, signed, EventCount, Unanchored),
        };
    }

    private string DescribeShown()
    {
        var latest = EventCount - FirstChecked + 1;
        if (Covered is not { } c)
        {
            return LastChecked is { } last
                ? Localized.Format("Audit trail: events {0} to {1} of {2} are intact and follow each other. The other events are checked when you verify the whole trail.", FirstChecked, last, EventCount)
                : Localized.Format("Audit trail: the latest {0} of {1} events are intact and end at the case's recorded head. The other events are checked when you verify the whole trail.", latest, EventCount);
        }

        var signed = c.SignedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return LastChecked is { } end
            ? Localized.Format("Audit trail: events {0} to {1} of {2} are intact and follow each other; event {3} is the one checkpoint {4} signed {5} UTC anchored. The other events are checked when you verify the whole trail.", FirstChecked, end, EventCount, c.Count, c.CheckpointSeq, signed)
            : Localized.Format("Audit trail: the latest {0} of {1} events are intact and end at the case's recorded head; event {2} is the one checkpoint {3} signed {4} UTC anchored. The other events are checked when you verify the whole trail.", latest, EventCount, c.Count, c.CheckpointSeq, signed);
    }
}
/// <summary>
/// The one rule that judges audit evidence: a case's events against their hash chain and its row, then against every
/// (count, head) the signed checkpoints anchored for it; and, across all cases, whether the database as a whole is
/// behind the anchors the way a restore from a backup leaves it. Used by the command line, the verification page and
/// the case page.
/// </summary>
internal static class AuditEvidence
{
    /// <summary>The first problem of a case's chain in itself and against its row, or null.</summary>
    public static AuditProblem? CheckChain(Guid caseId, CaseRecord? record, IReadOnlyList<CaseEventRecord> events)
    {
        var judge = new AuditTrailJudge(caseId, record, null, null);
        judge.Add(events);
        return judge.ChainProblem();
    }

    /// <summary>
    /// Judges one case (see <see cref="AuditTrailJudge"/>): its chain from genesis to the row's head, then every anchored point: a point at or below the
    /// chain's length must name the chain's hash there (else rewritten); a point beyond it means events were removed
    /// (truncated), unless <paramref name="restore"/> explains it.
    /// </summary>
    public static CaseAuditResult VerifyCase(Guid caseId, CaseRecord? record, IReadOnlyList<CaseEventRecord> events, AnchorHistory anchors, RestoreFinding? restore)
    {
        var judge = new AuditTrailJudge(caseId, record, anchors, restore);
        judge.Add(events);
        return judge.Finish();
    }

    /// <summary>
    /// Judges the events one page of the timeline shows (consecutive, oldest first), without reading the rest: they
    /// follow each other and match their hashes; on the latest page (<paramref name="latest"/>) the newest is the case
    /// row's head and count; an anchored point among them names the event there; no anchored point lies beyond the
    /// row's count. Events before the page are not judged (<see cref="CaseAuditResult.FirstChecked"/>): a page that
    /// starts at the first event is the whole chain and is judged as <see cref="VerifyCase"/> judges it.
    /// </summary>
    public static CaseAuditResult VerifyShown(CaseRecord record, IReadOnlyList<CaseEventRecord> shown, bool latest, AnchorHistory anchors, RestoreFinding? restore)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(anchors);
        if (shown.Count == 0 || (latest && shown[0].Seq == 1))
        {
            return VerifyCase(record.Id, record, shown, anchors, restore);
        }

        var (caseId, reference, first, last) = (record.Id, record.Reference, shown[0], shown[^1]);
        CaseAuditResult Result(AuditProblem? problem, AnchoredPoint? covered) =>
            new(caseId, reference, record.AuditCount, problem, covered) { FirstChecked = first.Seq, LastChecked = latest ? null : last.Seq };
        AuditProblem Found(AuditProblemKind kind, string message) => new(kind, caseId, reference, message);
        var problem = CheckRun(caseId, reference, shown, first.Seq, first.PrevHash);
        if (problem is null && latest)
        {
            problem = last.Seq < record.AuditCount
                ? Found(AuditProblemKind.Truncated, string.Create(CultureInfo.InvariantCulture,
                    $"The case records {record.AuditCount} events but the last one stored is event {last.Seq}: the last events were removed."))
                : last.Seq > record.AuditCount
                ? Found(AuditProblemKind.Edited, string.Create(CultureInfo.InvariantCulture,
                    $"The case records {record.AuditCount} events but event {last.Seq} is stored: events were added outside the application."))
                : !string.Equals(last.Hash, record.AuditHeadHash, StringComparison.Ordinal)
                ? Found(AuditProblemKind.Edited, "The case's recorded head is not its last event: the case record was edited.")
                : null;
        }

        if (problem is not null)
        {
            return Result(problem, null);
        }

        AnchoredPoint? covered = null;
        foreach (var p in anchors.PointsOf(caseId))
        {
            if (p.Count > record.AuditCount)
            {
                return Result(Behind(caseId, record, p, record.AuditCount, restore), covered);
            }

            if (p.Count >= first.Seq && p.Count <= last.Seq)
            {
                if (!string.Equals(shown[p.Count - first.Seq].Hash, p.Head, StringComparison.Ordinal))
                {
                    return Result(Rewritten(caseId, reference, p), null);
                }

                covered = p;
            }
        }

        return Result(null, covered);
    }

    internal static AuditProblem Rewritten(Guid caseId, string? reference, AnchoredPoint p) =>
        new(AuditProblemKind.Rewritten, caseId, reference, string.Create(CultureInfo.InvariantCulture,
            $"The trail was rewritten: event {p.Count} is not the one checkpoint {p.CheckpointSeq} signed at {p.SignedAt:yyyy-MM-dd HH:mm:ss} UTC anchored, although the hashes are consistent."));

    /// <summary>The problem of a case whose chain (<paramref name="held"/> events) is shorter than checkpoint point <paramref name="p"/> anchored.</summary>
    internal static AuditProblem Behind(Guid caseId, CaseRecord? record, AnchoredPoint p, int held, RestoreFinding? restore)
    {
        var reference = record?.Reference;
        var behind = restore is not null && restore.CasesBehind.Contains(caseId);
        return (behind, record is null) switch
        {
            (true, _) => new AuditProblem(AuditProblemKind.Restored, caseId, reference, string.Create(CultureInfo.InvariantCulture,
                $"Restored from a backup: {restore!.Describe()}; checkpoint {p.CheckpointSeq} anchored {p.Count} events of this case, the database holds {held}.")),
            (false, true) => new AuditProblem(AuditProblemKind.Missing, caseId, reference, string.Create(CultureInfo.InvariantCulture,
                $"The case is missing: checkpoint {p.CheckpointSeq} anchored it with {p.Count} events, the database holds none.")),
            _ => new AuditProblem(AuditProblemKind.Truncated, caseId, reference, string.Create(CultureInfo.InvariantCulture,
                $"The trail was truncated: checkpoint {p.CheckpointSeq} signed at {p.SignedAt:yyyy-MM-dd HH:mm:ss} UTC anchored {p.Count} events, only {held} remain.")),
        };
    }

    /// <summary>
    /// The first problem of a run of consecutive events (oldest first) that should start at sequence number
    /// <paramref name="firstSeq"/> and follow the hash <paramref name="prevHash"/>: a gap, an event out of order, a
    /// link to an event that is not the one before it, an event whose content does not match its hash. Null when the
    /// run is intact in itself.
    /// </summary>
    internal static AuditProblem? CheckRun(Guid caseId, string? reference, IReadOnlyList<CaseEventRecord> events, int firstSeq, string prevHash)
    {
        var (found, link) = FirstBreak(caseId, reference, events, firstSeq, prevHash);
        return found ?? (link is null ? null
            : AuditTrailJudge.LinkProblem(caseId, reference, link, reordered: events.Any(e => string.Equals(e.Hash, link.PrevHash, StringComparison.Ordinal))));
    }

    /// <summary>
    /// The first break of a run of consecutive events: a problem found in the run alone (a gap, an event out of order,
    /// content that does not match its hash), or the event chained to a hash other than the one before it — whether
    /// that hash is stored elsewhere (reordered) or nowhere (missing) depends on the rest of the trail.
    /// </summary>
    internal static (AuditProblem? Found, CaseEventRecord? BrokenLink) FirstBreak(Guid caseId, string? reference, IReadOnlyList<CaseEventRecord> events, int firstSeq, string prevHash)
    {
        AuditProblem Found(AuditProblemKind kind, string message) => new(kind, caseId, reference, message);
        var prev = prevHash;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expected = firstSeq + i;
            if (e.Seq > expected)
            {
                return (Found(AuditProblemKind.Missing, e.Seq == expected + 1
                    ? string.Create(CultureInfo.InvariantCulture, $"Event {expected} is missing.")
                    : string.Create(CultureInfo.InvariantCulture, $"Events {expected} to {e.Seq - 1} are missing.")), null);
            }

            if (e.Seq < expected)
            {
                return (Found(AuditProblemKind.Reordered, string.Create(CultureInfo.InvariantCulture, $"Event {e.Seq} appears twice or out of order.")), null);
            }

            if (!string.Equals(e.PrevHash, prev, StringComparison.Ordinal))
            {
                return (null, e);
            }

            if (!string.Equals(AuditChain.Hash(e.PrevHash, AuditChain.Canonical(e)), e.Hash, StringComparison.Ordinal))
            {
                return (Found(AuditProblemKind.Edited, string.Create(CultureInfo.InvariantCulture,
                    $"Event {e.Seq} ({TIBS.Cases.Core.Display.CaseEventDisplay.Title(e.Kind)}) was edited: its content does not match its hash.")), null);
            }

            prev = e.Hash;
        }

        return (null, null);
    }

    /// <summary>
    /// Recognises a restore from a backup. For each case, the checkpoints whose state the database could be in are
    /// those from the last one anchoring no more events than the case holds, up to the one before the first anchoring
    /// more; a restore is recognised when some case is behind and one checkpoint lies in every case's range: then the
    /// database is consistently the state of that checkpoint (plus events not yet anchored at the time of the backup).
    /// A lone case set back while others kept later anchored events gives no common checkpoint: that is a truncation.
    /// </summary>
    public static RestoreFinding? FindRestore(AnchorHistory anchors, IReadOnlyDictionary<Guid, int> eventCounts)
    {
        int low = 0, high = int.MaxValue;
        var behind = new List<Guid>();
        foreach (var caseId in anchors.AnchoredCases.Union(eventCounts.Keys))
        {
            var n = eventCounts.GetValueOrDefault(caseId);
            var points = anchors.PointsOf(caseId);
            var reached = points.LastOrDefault(p => p.Count <= n);
            var next = points.FirstOrDefault(p => p.Count > n);
            low = Math.Max(low, reached?.CheckpointSeq ?? 0);
            if (next is not null)
            {
                high = Math.Min(high, next.CheckpointSeq - 1);
                behind.Add(caseId);
            }
        }

        return behind.Count > 0 && low <= high ? new RestoreFinding(high, anchors.Find(high)?.CreatedAt, behind) : null;
    }
}
