using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;

namespace TIBS.Cases.Core.Audit;

/// <summary>
/// Judges one case's whole trail — its chain from the genesis hash to the case row's head, then every (count, head)
/// the signed checkpoints anchored for it — from its events fed in consecutive pages, oldest first. This is the rule of
/// <see cref="AuditEvidence.VerifyCase"/> (which feeds every event at once); the scheduled verification
/// (<see cref="VerifyAllTrails"/>) feeds one page at a time, so a case with many events is never held in memory: what
/// is kept between pages is the previous hash, the hashes already seen (to tell a reordered event from a missing one)
/// and the hashes at the anchored counts.
/// </summary>
internal sealed class AuditTrailJudge
{
    private readonly Guid caseId;
    private readonly CaseRecord? record;
    private readonly RestoreFinding? restore;
    private readonly IReadOnlyList<AnchoredPoint> points;
    private readonly HashSet<int> anchoredCounts;
    private readonly Dictionary<int, string> anchoredHashes = [];
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private string prev = AuditChain.GenesisHash;
    private int chained;
    private AuditProblem? problem;
    private CaseEventRecord? brokenLink;

    /// <summary>A judge of the case's trail against its row and <paramref name="anchors"/> (none: the chain and the row only).</summary>
    public AuditTrailJudge(Guid caseId, CaseRecord? record, AnchorHistory? anchors, RestoreFinding? restore)
    {
        (this.caseId, this.record, this.restore) = (caseId, record, restore);
        points = anchors?.PointsOf(caseId) ?? [];
        anchoredCounts = [.. points.Select(p => p.Count)];
    }

    /// <summary>How many events were fed.</summary>
    public int EventsRead { get; private set; }

    /// <summary>
    /// Whether more events can change the verdict: false once a problem is found, unless an event was chained to a hash
    /// not seen yet (a later page may hold it: reordered rather than missing).
    /// </summary>
    public bool NeedsMore => problem is null;

    /// <summary>Feeds the next page of events (consecutive, oldest first).</summary>
    public void Add(IReadOnlyList<CaseEventRecord> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        EventsRead += page.Count;
        foreach (var e in page)
        {
            seen.Add(e.Hash);
        }

        if (brokenLink is { } pending)
        {
            if (seen.Contains(pending.PrevHash))
            {
                problem = LinkProblem(caseId, record?.Reference, pending, reordered: true);
            }

            return;
        }

        if (problem is not null)
        {
            return;
        }

        var (found, link) = AuditEvidence.FirstBreak(caseId, record?.Reference, page, chained + 1, prev);
        if (found is not null)
        {
            problem = found;
            return;
        }

        if (link is not null)
        {
            if (seen.Contains(link.PrevHash))
            {
                problem = LinkProblem(caseId, record?.Reference, link, reordered: true);
            }
            else
            {
                brokenLink = link;
            }

            return;
        }

        for (var i = 0; i < page.Count; i++)
        {
            if (anchoredCounts.Contains(chained + i + 1))
            {
                anchoredHashes[chained + i + 1] = page[i].Hash;
            }
        }

        chained += page.Count;
        prev = page.Count == 0 ? prev : page[^1].Hash;
    }

    /// <summary>The verdict once every event was fed (or <see cref="NeedsMore"/> turned false).</summary>
    public CaseAuditResult Finish()
    {
        var reference = record?.Reference;
        if (ChainProblem() is { } chainProblem)
        {
            return new CaseAuditResult(caseId, reference, EventsRead, chainProblem, null);
        }

        AnchoredPoint? covered = null;
        foreach (var p in points)
        {
            if (p.Count <= chained)
            {
                if (!string.Equals(anchoredHashes.GetValueOrDefault(p.Count), p.Head, StringComparison.Ordinal))
                {
                    return new CaseAuditResult(caseId, reference, EventsRead, AuditEvidence.Rewritten(caseId, reference, p), null);
                }

                covered = p;
                continue;
            }

            return new CaseAuditResult(caseId, reference, EventsRead, AuditEvidence.Behind(caseId, record, p, chained, restore), covered);
        }

        return new CaseAuditResult(caseId, reference, EventsRead, null, covered);
    }

    /// <summary>The first problem of the chain in itself and against the case row (the anchors aside), or null.</summary>
    public AuditProblem? ChainProblem() =>
        problem ?? (brokenLink is { } pending ? LinkProblem(caseId, record?.Reference, pending, reordered: false) : null) ?? AgainstRow();

    /// <summary>The chain (intact in itself) against the case row: present, same count, same head.</summary>
    private AuditProblem? AgainstRow()
    {
        AuditProblem Found(AuditProblemKind kind, string message) => new(kind, caseId, record?.Reference, message);
        if (record is null)
        {
            return chained == 0 ? null : Found(AuditProblemKind.Missing, "The case's record is missing but its events remain.");
        }

        if (chained < record.AuditCount)
        {
            return Found(AuditProblemKind.Truncated, string.Create(CultureInfo.InvariantCulture,
                $"The case records {record.AuditCount} events but only {chained} are stored: the last events were removed."));
        }

        if (chained > record.AuditCount)
        {
            return Found(AuditProblemKind.Edited, string.Create(CultureInfo.InvariantCulture,
                $"The case records {record.AuditCount} events but {chained} are stored: events were added outside the application."));
        }

        return string.Equals(prev, record.AuditHeadHash, StringComparison.Ordinal)
            ? null
            : Found(AuditProblemKind.Edited, "The case's recorded head is not its last event: the case record was edited.");
    }

    /// <summary>An event chained to a hash that is not the event before it: stored elsewhere in the trail (reordered) or nowhere (missing).</summary>
    internal static AuditProblem LinkProblem(Guid caseId, string? reference, CaseEventRecord e, bool reordered) => reordered
        ? new(AuditProblemKind.Reordered, caseId, reference, string.Create(CultureInfo.InvariantCulture,
            $"Events were reordered: event {e.Seq} ({CaseEventDisplay.Title(e.Kind)}) was chained after an event that is now stored elsewhere in the trail."))
        : new(AuditProblemKind.Missing, caseId, reference, string.Create(CultureInfo.InvariantCulture,
            $"An event before event {e.Seq} ({CaseEventDisplay.Title(e.Kind)}) is missing: it follows an event that is no longer stored."));
}
