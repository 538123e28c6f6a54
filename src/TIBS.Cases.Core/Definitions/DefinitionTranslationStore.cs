using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// One language's texts of one published version: the sidecar as written (YAML keyed by the version's ids), who wrote
/// it last (null: the start-up import of <c>workflows/&lt;key&gt;/v&lt;N&gt;.&lt;language&gt;.yaml</c>) and its row version.
/// </summary>
public sealed record DefinitionTranslationRecord
{
    public required Guid VersionId { get; init; }
    public required string Language { get; init; }
    public required string Content { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public Guid? UpdatedBy { get; init; }
    public int RowVersion { get; init; }
}

/// <summary>Translations of published versions; never part of a version's content hash.</summary>
public interface IDefinitionTranslationStore
{
    Task<IReadOnlyList<DefinitionTranslationRecord>> ListAsync(Guid versionId, CancellationToken cancellationToken = default);

    Task<DefinitionTranslationRecord?> GetAsync(Guid versionId, string language, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a language's sidecar in one transaction with its administration log line (when given): inserts it when
    /// <paramref name="expectedRowVersion"/> is null and there is none yet, else replaces the one with that row
    /// version. Throws <see cref="ConcurrencyConflictException"/> when someone else wrote it in between.
    /// </summary>
    Task<DefinitionTranslationRecord> SaveAsync(
        Guid versionId, string language, string content, Guid? userId, int? expectedRowVersion, DateTimeOffset now, AdministrationLogEntry? entry, CancellationToken cancellationToken = default);
}
