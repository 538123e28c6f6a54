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
    /// <summary>Active cases of the regions (or owned by the user), ordered by step due date (no date last).</summary>
    Task<IReadOnlyList<OpenStepItem>> OpenStepsAsync(IReadOnlyCollection<string> regionCodes, Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Open cases of other regions in which a company of one of <paramref name="regionCodes"/> is a partner.</summary>
    Task<IReadOnlyList<PartnerCaseItem>> PartnerCasesAsync(IReadOnlyCollection<string> regionCodes, CancellationToken cancellationToken = default);

    /// <summary>The latest events on the cases the broker may read, newest first.</summary>
    Task<IReadOnlyList<ActivityItem>> RecentActivityAsync(IReadOnlyCollection<string> regionCodes, Guid userId, int take, CancellationToken cancellationToken = default);
}
