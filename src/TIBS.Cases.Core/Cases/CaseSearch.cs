using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>Filters of the case list; every one optional.</summary>
public sealed record CaseFilter
{
    public string? Text { get; init; }
    public string? Stage { get; init; }
    public string? Step { get; init; }
    public string? Status { get; init; }
    public string? Region { get; init; }
    public Guid? OwnerUserId { get; init; }

    /// <summary>Only cases whose owner belongs to this partner organisation.</summary>
    public Guid? OrganisationId { get; init; }
    public bool OverdueOnly { get; init; }

    /// <summary>Only active cases with an escalation sent for their open step (as the coordination overview counts them).</summary>
    public bool EscalatedOnly { get; init; }

    /// <summary>Keyset cursor: the last row of the previous page.</summary>
    public (DateTimeOffset OpenedAt, Guid Id)? After { get; init; }
    public int Take { get; init; } = 25;

    /// <summary>
    /// Filters the request held in a form the door that read it could not read (a broker that is no id, "Overdue only"
    /// that is neither true nor false), worded by that door, by query name. Nothing is searched then.
    /// </summary>
    public IReadOnlyList<FieldError> Unreadable { get; init; } = [];

    /// <summary>What is wrong with the filters (unreadable, too long, a forbidden character), by query name; empty when none.</summary>
    public IReadOnlyList<FieldError> Problems() =>
    [
        .. Unreadable,
        .. TextRules.FilterProblems(
            ("q", Localized.Text("The search text"), Text), ("stage", Localized.Text("The stage"), Stage), ("step", Localized.Text("The step"), Step), ("status", Localized.Text("The status"), Status), ("region", Localized.Text("The region"), Region)),
    ];
}

/// <summary>A row of the case list.</summary>
public sealed record CaseListItem
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
    public string LeadCompanyName { get; init; } = "";
    public string OwnerName { get; init; } = "";
    public Guid OwnerUserId { get; init; }
}

/// <summary>Read side of the case list; only cases <see cref="CaseAccess"/> lets the actor read are returned.</summary>
public interface ICaseQueries
{
    Task<IReadOnlyList<CaseListItem>> SearchAsync(CaseFilter filter, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default);
}
