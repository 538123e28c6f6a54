using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Audit;

/// <summary>A line of an anchor file, with where it was read (for messages).</summary>
public sealed record AnchorLine(string Source, int LineNumber, string Text);

/// <summary>Where a read of the anchor files ended (<see cref="IAnchorLog.ReadAfter"/>): what was read of each file, in order.</summary>
public sealed record AnchorPosition(IReadOnlyList<AnchorFileMark> Files);

/// <summary>
/// What was read of one anchor file: its name, the bytes and lines read, the file's last write time then, and the
/// SHA-256 of the bytes read (to tell a file that was only appended to from one that was rewritten).
/// </summary>
public sealed record AnchorFileMark(string Name, long Bytes, int Lines, long LastWriteUtcTicks, string PrefixHash);

/// <summary>The lines a read found after a position, where it ended, and whether the lines are every line from the start.</summary>
public sealed record AnchorRead(IReadOnlyList<AnchorLine> Lines, AnchorPosition Position, bool FromStart);

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

    /// <summary>
    /// The whole lines appended since <paramref name="position"/> (every whole line when it is null), and where this
    /// read ended. When the files were changed other than by appending since that position (a file read before was
    /// changed, shortened or removed, or a new file sorts before one read), every line is read again from the start
    /// and <see cref="AnchorRead.FromStart"/> says so. A last line not yet ended by a line break is left for a later
    /// read: it is being written.
    /// </summary>
    AnchorRead ReadAfter(AnchorPosition? position);

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
