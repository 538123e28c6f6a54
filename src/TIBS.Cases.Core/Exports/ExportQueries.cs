using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Exports;

/// <summary>A case as the case-list export reads it: the list's row with its definition version and closing date.</summary>
public sealed record CaseExportRecord
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string RegionCode { get; init; }
    public required string Status { get; init; }
    public string? CurrentStage { get; init; }
    public required string CurrentStep { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string LeadCompanyName { get; init; } = "";
    public string LeadCountryCode { get; init; } = "";
    public string OwnerName { get; init; } = "";
    public Guid DefinitionVersionId { get; init; }
}

/// <summary>One step a case went through, as the step-durations export reads it.</summary>
public sealed record StepDurationRecord
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string RegionCode { get; init; }
    public required Guid DefinitionVersionId { get; init; }
    public required string StepKey { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Outcome { get; init; }
}

/// <summary>Which steps the step-durations export covers; every filter optional.</summary>
public sealed record StepDurationFilter
{
    /// <summary>Only cases of this region.</summary>
    public string? Region { get; init; }

    /// <summary>Only cases of this status (active, on-hold, closed).</summary>
    public string? Status { get; init; }
}

/// <summary>
/// The read side of exports: rows streamed from the database as they are read (never the whole set in memory), only of
/// cases <see cref="CaseAccess"/> lets the actor read — the same rule, in the same SQL, as the case list.
/// </summary>
public interface IExportQueries
{
    /// <summary>Every case of the case list's <paramref name="filter"/> (its paging ignored), newest first.</summary>
    IAsyncEnumerable<CaseExportRecord> StreamCasesAsync(CaseFilter filter, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Every step record of the cases the actor may read, case by case (newest case first), each case's steps in the order entered.</summary>
    IAsyncEnumerable<StepDurationRecord> StreamStepDurationsAsync(StepDurationFilter filter, Actor actor, CancellationToken cancellationToken = default);
}
