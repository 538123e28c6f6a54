namespace TIBS.Cases.Core.Work;

/// <summary>An open case of the broker's region at its current step (the page keeps those whose step is the broker's).</summary>
public sealed record OpenStepItem
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string Status { get; init; }
    public required string CurrentStep { get; init; }
    public required Guid DefinitionVersionId { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public string LeadCompanyName { get; init; } = "";
}

/// <summary>
/// Where a page of open steps starts: after the case with this due date (null: none, those come last) and reference,
/// in the list's order (due date, then reference). The values are the last listed case's as it was listed, so a case
/// moved meanwhile is neither listed twice nor makes the next page skip another.
/// </summary>
public sealed record OpenStepCursor(DateTimeOffset? DueAt, string Reference);

/// <summary>
/// Where a page of partner cases starts: after the participation with this time of its last change and id, in the
/// list's order (last change first, then id). The values are the last listed participation's as it was listed.
/// </summary>
public sealed record PartnerCaseCursor(DateTimeOffset UpdatedAt, Guid ParticipantId);

/// <summary>A case of another region in which a company of the broker's region is a partner.</summary>
public sealed record PartnerCaseItem
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string CaseRegionCode { get; init; }
    public required Guid ParticipantId { get; init; }
    public required string CompanyName { get; init; }
    public required string PipelineStatus { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An audit event on one of the broker's cases.</summary>
public sealed record ActivityItem
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public string? StepKey { get; init; }
    public string? ActorName { get; init; }
}

/// <summary>The read model of "My work" for a broker.</summary>
public interface IWorkQueries
{
    /// <summary>
    /// Active cases of the regions (or owned by the user), ordered by step due date (no date last), then reference: at
    /// most <paramref name="take"/> (1–500), after <paramref name="after"/> when given.
    /// </summary>
    Task<IReadOnlyList<OpenStepItem>> OpenStepsAsync(IReadOnlyCollection<string> regionCodes, Guid userId, OpenStepCursor? after = null, int take = 500, CancellationToken cancellationToken = default);

    /// <summary>
    /// Open cases of other regions in which a company of one of <paramref name="regionCodes"/> is a partner, the last
    /// changed participation first: at most <paramref name="take"/> (1–500), after <paramref name="after"/> when given.
    /// </summary>
    Task<IReadOnlyList<PartnerCaseItem>> PartnerCasesAsync(IReadOnlyCollection<string> regionCodes, PartnerCaseCursor? after = null, int take = 500, CancellationToken cancellationToken = default);

    /// <summary>The latest events on the cases the broker may read, newest first.</summary>
    Task<IReadOnlyList<ActivityItem>> RecentActivityAsync(IReadOnlyCollection<string> regionCodes, Guid userId, int take, CancellationToken cancellationToken = default);
}
