using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Audit;

/// <summary>A line of an anchor file, with where it was read (for messages).</summary>
public sealed record AnchorLine(string Source, int LineNumber, string Text);

/// <summary>
/// The append-only anchor files outside the database: the trust root of the audit evidence. Lines are only ever
/// appended (and flushed to disk) and never rewritten.
/// </summary>
public interface IAnchorLog
{
    /// <summary>Where the files are, for messages.</summary>
    string Location { get; }

    /// <summary>Changes whenever a file is added or grows (lets readers cache what they parsed).</summary>
    string Fingerprint();

    IReadOnlyList<AnchorLine> ReadAll();

    void Append(AuditCheckpoint checkpoint);
}

/// <summary>A case's head as its row records it.</summary>
public sealed record CaseHead(Guid CaseId, string Reference, int Count, string Head);

/// <summary>A checkpoint as recorded in the database.</summary>
public sealed record StoredCheckpoint(int Seq, string Hash);

/// <summary>What the audit anchors read from and write to the database.</summary>
public interface IAuditLedger
{
    Task<IReadOnlyList<CaseHead>> ListHeadsAsync(CancellationToken cancellationToken = default);

    /// <summary>The number of stored events of every case that has any.</summary>
    Task<IReadOnlyDictionary<Guid, int>> CountEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>Ids of cases whose chain holds no event of <paramref name="kind"/>.</summary>
    Task<IReadOnlyList<Guid>> ListCasesWithoutEventAsync(string kind, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the checkpoint in the database and, inside the same transaction, runs <paramref name="writeOutside"/>
    /// (the append to the anchor files); the row is committed only if the files took the line.
    /// </summary>
    Task RecordCheckpointAsync(AuditCheckpoint checkpoint, Action writeOutside, CancellationToken cancellationToken = default);
}

/// <summary>A record the system (not a user) appends to a case's chain: anchoring, links to other audits, erasure.</summary>
public sealed record SystemRecord(string Kind, string? StepKey, string Data, DateTimeOffset OccurredAt);

/// <summary>Appends system records to a chain without touching the case's concurrency version.</summary>
public interface ISystemRecordAppender
{
    /// <summary>Appends <paramref name="record"/> after the case's current head (closed cases included); null if there is no such case.</summary>
    Task<CaseEventRecord?> AppendSystemRecordAsync(Guid caseId, SystemRecord record, CancellationToken cancellationToken = default);
}
