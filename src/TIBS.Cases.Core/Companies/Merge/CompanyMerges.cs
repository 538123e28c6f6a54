namespace TIBS.Cases.Core.Companies.Merge;

/// <summary>A company merged into another: the mapping that makes old references (events, exports) resolve to the survivor.</summary>
public sealed record CompanyMergeRecord
{
    public required Guid MergedCompanyId { get; init; }
    public required Guid SurvivorCompanyId { get; init; }
    public required string MergedName { get; init; }
    public required string MergedCountryCode { get; init; }
    public string? MergedRegisterNumber { get; init; }
    public Guid? MergedBy { get; init; }
    public DateTimeOffset MergedAt { get; init; }
}

/// <summary>
/// What a merge writes in one transaction: both companies at the versions the coordinator saw, the survivor's register
/// number afterwards, and the audit event (kind and JSON details) appended to every case that named the duplicate.
/// </summary>
public sealed record CompanyMergeWrite(
    Company Survivor, int SurvivorVersion, Company Duplicate, int DuplicateVersion, string? SurvivorRegisterNumber, Guid? MergedBy, DateTimeOffset MergedAt,
    string EventKind, string EventData);

/// <summary>How much a merge moved to the survivor.</summary>
public sealed record CompanyMergeCounts(int Cases, int Participants, int Contacts, int AidRecords);

/// <summary>The merges of the registry.</summary>
public interface ICompanyMergeStore
{
    /// <summary>
    /// Moves everything that points to the duplicate (cases it leads, its partner entries, contact persons, NACE codes
    /// and S3 areas, de minimis records, company references in case data) to the survivor, appends the event to every
    /// case concerned, records the mapping (and re-points earlier mappings to the duplicate) and removes the duplicate,
    /// in one transaction. Throws <see cref="ConcurrencyConflictException"/> (nothing written) when either company is no
    /// longer at the version given, or is gone.
    /// </summary>
    Task<CompanyMergeCounts> MergeAsync(CompanyMergeWrite merge, CancellationToken cancellationToken = default);

    /// <summary>The merge that removed <paramref name="mergedCompanyId"/>, or null when it was never merged.</summary>
    Task<CompanyMergeRecord?> FindAsync(Guid mergedCompanyId, CancellationToken cancellationToken = default);

    /// <summary>The surviving company of each given id that was merged (ids never merged are left out).</summary>
    Task<IReadOnlyDictionary<Guid, Guid>> SurvivorsAsync(IReadOnlyCollection<Guid> companyIds, CancellationToken cancellationToken = default);

    /// <summary>The companies merged into <paramref name="survivorId"/>, newest first.</summary>
    Task<IReadOnlyList<CompanyMergeRecord>> MergedIntoAsync(Guid survivorId, CancellationToken cancellationToken = default);
}
