namespace TIBS.Cases.Core.Cases;

/// <summary>A note on a case (internal to the brokers, coordinators and evaluators who may read the case).</summary>
public sealed record CaseNoteRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required Guid AuthorUserId { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Filled by queries that join the author.</summary>
    public string AuthorName { get; init; } = "";

    /// <summary>When the text was erased because it named a person whose personal data was erased (decision 0043); null: not erased.</summary>
    public DateTimeOffset? ErasedAt { get; init; }
}

/// <summary>A file attached to a case; the bytes are kept by <see cref="IAttachmentStorage"/> under <see cref="StorageKey"/>.</summary>
public sealed record CaseAttachmentRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public string? StepKey { get; init; }
    public string? FieldKey { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required string StorageKey { get; init; }
    public Guid? UploadedBy { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>When the file was removed under the retention rule (name, size and SHA-256 stay); null while it is kept.</summary>
    public DateTimeOffset? RemovedAt { get; init; }
}

/// <summary>A message between the brokers of a case, e.g. an expression of interest about one partner.</summary>
public sealed record CaseMessageRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public Guid? ParticipantId { get; init; }
    public required Guid AuthorUserId { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public string AuthorName { get; init; } = "";

    public string AuthorRegion { get; init; } = "";
}

/// <summary>Keeps attachment bytes outside the database and the web root.</summary>
public interface IAttachmentStorage
{
    /// <summary>Stores the stream and returns its storage key, size and SHA-256.</summary>
    Task<(string StorageKey, long Size, string Sha256)> SaveAsync(Guid caseId, Guid attachmentId, Stream content, CancellationToken cancellationToken = default);

    Task<Stream> OpenAsync(string storageKey, CancellationToken cancellationToken = default);

    Task DeleteAsync(string storageKey, CancellationToken cancellationToken = default);

    /// <summary>The stored files last written before <paramref name="before"/>, with the attachment id each was stored under.</summary>
    Task<IReadOnlyList<StoredAttachmentFile>> ListWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}

/// <summary>A file in the attachment storage and the case and attachment id it was stored under.</summary>
public sealed record StoredAttachmentFile(string StorageKey, Guid CaseId, Guid AttachmentId);
