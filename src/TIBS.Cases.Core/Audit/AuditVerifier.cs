using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Audit;

/// <summary>The verdict on the audit evidence of all (or one) cases.</summary>
public sealed record AuditReport(
    IReadOnlyList<AuditProblem> Problems,
    IReadOnlyList<CaseAuditResult> Cases,
    AuditCheckpoint? LatestCheckpoint,
    RestoreFinding? Restore,
    IReadOnlyList<AuditPublicKey> Keys,
    string AnchorLocation)
{
    public bool IsIntact => Problems.Count == 0;

    /// <summary>Restores from a backup that were recorded by a checkpoint (decision 0055): reported as restores, not as damage.</summary>
    public IReadOnlyList<AuditCheckpoint> Restores { get; init; } = [];
}

/// <summary>
/// Runs <see cref="AuditEvidence"/> over the database and the anchor files. The anchor files are read through an
/// <see cref="AnchorHistorySource"/>: only what was appended since the last read, so the case page can consult them on
/// every view. The verification of everything (<see cref="VerifyAsync"/>) reads them again from the start.
/// </summary>
public sealed class AuditVerifier(ICaseStore cases, IAuditLedger ledger, IAnchorLog log, AuditKeyRing keys, AnchorHistorySource? anchors = null)
{
    private readonly AnchorHistorySource source = anchors ?? new AnchorHistorySource(log, keys);

    public AuditKeyRing Keys => keys;

    public string AnchorLocation => log.Location;

    /// <summary>The anchor files as read and checked now (extended by what was appended since the last read).</summary>
    public AnchorHistory History() => source.Current();

    /// <summary>The anchor files read and checked again from their first line (for a verification of everything).</summary>
    public AnchorHistory ReadHistoryAgain() => source.ReadAgain();

    /// <summary>Verifies every case (or only the one with <paramref name="reference"/>), the anchor files and their database copy.</summary>
    public async Task<AuditReport> VerifyAsync(string? reference = null, CancellationToken cancellationToken = default)
    {
        var history = ReadHistoryAgain();
        var counts = await ledger.CountEventsAsync(cancellationToken);
        var restore = AuditEvidence.FindRestore(history, counts);
        var problems = new List<AuditProblem>(history.Problems);
        problems.AddRange(history.CompareWith(await ledger.ListCheckpointsAsync(cancellationToken)));

        var heads = await ledger.ListHeadsAsync(cancellationToken);
        var ids = heads.Select(h => h.CaseId).Union(history.AnchoredCases).Union(counts.Keys).ToList();
        if (reference is not null)
        {
            var one = heads.FirstOrDefault(h => string.Equals(h.Reference, reference.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"There is no case with the reference '{reference}'.", nameof(reference));
            ids = [one.CaseId];
        }

        var results = new List<CaseAuditResult>(ids.Count);
        foreach (var id in ids)
        {
            var result = await VerifyCaseAsync(id, history, restore, cancellationToken);
            results.Add(result);
            if (result.Problem is { } p)
            {
                problems.Add(p);
            }
        }

        if (restore is not null && reference is null)
        {
            problems.Insert(0, new AuditProblem(AuditProblemKind.Restored, null, null,
                $"Restored from a backup: {restore.Describe()}. {restore.CasesBehind.Count} case(s) lack events that later checkpoints anchored."));
        }

        return new AuditReport(problems, results, history.Latest, restore, keys.PublicKeys, log.Location) { Restores = history.Restores };
    }

    /// <summary>The verdict on one case (for the case page); null when there is no such case.</summary>
    public async Task<CaseAuditResult?> VerifyCaseAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        if (await cases.GetAsync(caseId, cancellationToken) is null)
        {
            return null;
        }

        var history = History();
        var restore = AuditEvidence.FindRestore(history, await ledger.CountEventsAsync(cancellationToken));
        return await VerifyCaseAsync(caseId, history, restore, cancellationToken);
    }

    /// <summary>The verdict on a case already read with all its events.</summary>
    public Task<CaseAuditResult> VerifyCaseAsync(CaseRecord record, IReadOnlyList<CaseEventRecord> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JudgeAsync((history, restore) => AuditEvidence.VerifyCase(record.Id, record, events, history, restore), cancellationToken);
    }

    /// <summary>
    /// The verdict on the events one page of the timeline shows (<see cref="AuditEvidence.VerifyShown"/>), the case page's
    /// status: nothing more is read than the page has.
    /// </summary>
    public Task<CaseAuditResult> VerifyShownAsync(CaseRecord record, IReadOnlyList<CaseEventRecord> shown, bool latest, CancellationToken cancellationToken = default) =>
        JudgeAsync((history, restore) => AuditEvidence.VerifyShown(record, shown, latest, history, restore), cancellationToken);

    private async Task<CaseAuditResult> JudgeAsync(Func<AnchorHistory, RestoreFinding?, CaseAuditResult> judge, CancellationToken cancellationToken)
    {
        var history = History();
        var result = judge(history, null);
        if (result.Problem?.Kind is not AuditProblemKind.Truncated)
        {
            return result;
        }

        // Behind its anchors: only the state of every case tells a restore from a truncation.
        var restore = AuditEvidence.FindRestore(history, await ledger.CountEventsAsync(cancellationToken));
        return restore is null ? result : judge(history, restore);
    }

    private async Task<CaseAuditResult> VerifyCaseAsync(Guid caseId, AnchorHistory history, RestoreFinding? restore, CancellationToken cancellationToken)
    {
        var record = await cases.GetAsync(caseId, cancellationToken);
        var events = await cases.GetEventsAsync(caseId, cancellationToken);
        return AuditEvidence.VerifyCase(caseId, record, events, history, restore);
    }
}
