namespace TIBS.Cases.Core.Coordination;

/// <summary>Open (not closed) cases counted by region and current step; the step's role comes from the definition.</summary>
public sealed record OpenCaseCount
{
    public required string RegionCode { get; init; }
    public required Guid DefinitionVersionId { get; init; }
    public required string CurrentStep { get; init; }

    /// <summary>Active and on-hold cases.</summary>
    public int OpenCases { get; init; }

    /// <summary>Active cases (not on hold).</summary>
    public int ActiveCases { get; init; }

    /// <summary>Active cases past their step's due date.</summary>
    public int Overdue { get; init; }

    /// <summary>Active cases whose open step has been escalated (its escalation notice was sent).</summary>
    public int Escalated { get; init; }
}

/// <summary>An active case that needs a look: overdue, escalated, or at one of the steps asked for.</summary>
public sealed record AttentionCase
{
    public required Guid CaseId { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string RegionCode { get; init; }
    public required string CurrentStep { get; init; }
    public required Guid DefinitionVersionId { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public DateTimeOffset StepStartedAt { get; init; }
    public string LeadCompanyName { get; init; } = "";

    /// <summary>1 when the open step's escalation notice was sent.</summary>
    public int EscalatedFlag { get; init; }
}

/// <summary>
/// A step whose active cases <see cref="ICoordinationQueries.AttentionAsync"/> lists: its key, in these definition
/// versions only. A key can be a coordinator's step in one version and a broker's in another; only the versions where
/// it is the coordinator's take places in the list.
/// </summary>
public sealed record AttentionStep(string StepKey, IReadOnlyList<Guid> DefinitionVersionIds);

/// <summary>
/// The read model of the coordinators' overview, in SQL: counts kept by the writes (a delta row per change, summed by
/// the read) and the cases that need a look, read in order from indexes.
/// </summary>
public interface ICoordinationQueries
{
    /// <summary>Open cases by region, version and step at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<OpenCaseCount>> CountOpenCasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// The active cases that need a look, most urgent first (due date, none last, then reference): the first
    /// <paramref name="perList"/> overdue ones, the first <paramref name="perList"/> escalated ones and the first
    /// <paramref name="perList"/> at each of <paramref name="steps"/> (in its versions), each case once. Every list cut from it at
    /// <paramref name="perList"/> is then that list's own first page, however many cases of the other lists come before.
    /// </summary>
    Task<IReadOnlyList<AttentionCase>> AttentionAsync(DateTimeOffset now, IReadOnlyList<AttentionStep> steps, int perList, CancellationToken cancellationToken = default);

    /// <summary>Folds the delta rows of the overview's counts and of the strategies per year into one row per group (the figures do not change); returns the overview's rows left.</summary>
    Task<int> FoldCountsAsync(CancellationToken cancellationToken = default);
}
