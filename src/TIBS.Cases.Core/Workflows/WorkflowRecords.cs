namespace TIBS.Cases.Core.Workflows;

/// <summary>Status of a stored workflow version.</summary>
internal static class VersionStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
}

/// <summary>Where a version came from.</summary>
public static class VersionSource
{
    /// <summary>Imported from <c>workflows/&lt;key&gt;/v&lt;N&gt;.yaml</c> at start-up.</summary>
    public const string File = "file";

    /// <summary>Written by a coordinator in the definitions editor.</summary>
    public const string Editor = "editor";
}

public sealed record WorkflowDefinitionRecord
{
    public required Guid Id { get; init; }
    public required string DefinitionKey { get; init; }
    public required string Name { get; init; }
    public Guid? PublishedVersionId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int RowVersion { get; init; }
}

/// <summary>One version of a definition. Published versions are immutable; at most one draft per definition.</summary>
public sealed record WorkflowVersionRecord
{
    public required Guid Id { get; init; }
    public required Guid DefinitionId { get; init; }
    public string DefinitionKey { get; init; } = "";
    public required int Number { get; init; }
    public required string Status { get; init; }
    public required string Content { get; init; }
    public required string ContentHash { get; init; }
    public required string Source { get; init; }
    public Guid? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid? PublishedBy { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public int RowVersion { get; init; }

    /// <summary>What changed in this version and why, as its publisher wrote it; null for versions published without one.</summary>
    public string? ChangeNote { get; init; }

    public bool IsPublished => Status == VersionStatus.Published;
}

/// <summary>Persistence of definitions and versions. Every method is one transaction.</summary>
public interface IWorkflowStore
{
    Task<IReadOnlyList<WorkflowDefinitionRecord>> ListDefinitionsAsync(CancellationToken cancellationToken = default);

    Task<WorkflowDefinitionRecord?> GetDefinitionAsync(string key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WorkflowVersionRecord>> ListVersionsAsync(string key, CancellationToken cancellationToken = default);

    Task<WorkflowVersionRecord?> GetVersionAsync(Guid id, CancellationToken cancellationToken = default);

    Task<WorkflowVersionRecord?> GetVersionAsync(string key, int number, CancellationToken cancellationToken = default);

    /// <summary>The version new cases start on, or null when nothing is published.</summary>
    Task<WorkflowVersionRecord?> GetPublishedVersionAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts a published version (creating the definition when new). The definition's published pointer moves to
    /// it when it is the highest published number.
    /// </summary>
    Task<WorkflowVersionRecord> InsertPublishedAsync(string key, string name, int number, string content, string contentHash, string source, Guid? userId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the definition's draft, or replaces the content of the existing one when its row version is
    /// <paramref name="expectedRowVersion"/>. Throws <see cref="ConcurrencyConflictException"/> otherwise.
    /// </summary>
    Task<WorkflowVersionRecord> SaveDraftAsync(string key, string name, int number, string content, string contentHash, Guid? userId, int? expectedRowVersion, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Flips the draft to published with its <paramref name="changeNote"/> and points the definition at it, in one transaction.</summary>
    Task<WorkflowVersionRecord> PublishDraftAsync(Guid draftId, int expectedRowVersion, Guid? userId, DateTimeOffset now, string? changeNote = null, CancellationToken cancellationToken = default);

    Task DiscardDraftAsync(Guid draftId, int expectedRowVersion, CancellationToken cancellationToken = default);
}
