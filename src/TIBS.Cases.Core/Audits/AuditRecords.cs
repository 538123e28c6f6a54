using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Audits;

/// <summary>The audit definition and the words of what an audit records.</summary>
public static class AuditDefinition
{
    /// <summary>The definition audit cases run (<c>workflows/strategy-audit</c>).</summary>
    public const string Key = "strategy-audit";

    /// <summary>The step in which the evaluator records findings.</summary>
    public const string FindingsStep = "findings";

    /// <summary>The step in which the broker of the strategy's region answers them.</summary>
    public const string ResponseStep = "broker-response";

    /// <summary>The end states that are conclusions, with their words.</summary>
    public static IReadOnlyList<(string Key, string Label)> Conclusions { get; } =
    [
        ("accepted", "Accepted"),
        ("accepted-with-remarks", "Accepted with remarks"),
        ("rejected", "Rejected"),
    ];

    /// <summary>
    /// Why <paramref name="opening"/>'s case takes no finding work from <paramref name="actor"/> now: not an audit, not in
    /// <paramref name="stepKey"/>, or not the step's role; null when it does.
    /// </summary>
    internal static CaseCommandResult? Refusal(CaseOpening opening, Actor actor, string stepKey, string wrongStep, string wrongRole)
    {
        var details = opening.Details!;
        var c = details.Case;
        if (!c.IsAudit || c.CurrentStep != stepKey || details.CurrentStep is not { } step)
        {
            return opening.Refuse(CaseCommandStatus.Refused, wrongStep);
        }

        return CaseRoles.Of(actor, c, details.Participants).Contains(step.Role) ? null : opening.Refuse(CaseCommandStatus.Forbidden, wrongRole);
    }

    /// <summary>The words of an audit's conclusion (an end state of the definition), or null while it runs or when cancelled.</summary>
    public static string? ConclusionLabel(string? endState) => Conclusions.FirstOrDefault(c => c.Key == endState).Label;
}

/// <summary>How much a finding weighs.</summary>
public static class FindingSeverity
{
    public const string Minor = "minor";
    public const string Major = "major";
    public const string Critical = "critical";

    public static IReadOnlyList<(string Value, string Label)> All { get; } = [(Minor, "Minor"), (Major, "Major"), (Critical, "Critical")];

    public static string Label(string value) => All.FirstOrDefault(s => s.Value == value).Label ?? value;
}

/// <summary>A row of <c>audit_findings</c>: one finding of an audit, and the broker's answer once given.</summary>
public sealed record AuditFindingRecord
{
    public required Guid Id { get; init; }
    public required Guid AuditCaseId { get; init; }

    /// <summary>1, 2, 3, … within the audit, in the order recorded.</summary>
    public required int Number { get; init; }
    public required string Severity { get; init; }

    /// <summary>The key of the step of the audited strategy the finding concerns.</summary>
    public required string StrategyStep { get; init; }
    public required string Description { get; init; }
    public required Guid RecordedBy { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public string? Response { get; init; }
    public Guid? AnsweredBy { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }

    public bool IsAnswered => Response is not null;
}

/// <summary>A row of <c>audit_samples</c>: one draw, reproducible from its seed over the same candidates.</summary>
public sealed record AuditSampleRecord
{
    public required Guid Id { get; init; }
    public required long Seed { get; init; }
    public required string RegionCode { get; init; }
    public required DateOnly PeriodFrom { get; init; }
    public required DateOnly PeriodTo { get; init; }
    public required int Requested { get; init; }

    /// <summary>The ids of the strategies drawn, comma-separated, in the order drawn.</summary>
    public required string DrawnCaseIds { get; init; }
    public required Guid DrawnBy { get; init; }
    public required DateTimeOffset DrawnAt { get; init; }
}

/// <summary>A completed strategy a sample may draw: its id and reference (the order candidates are drawn from).</summary>
public sealed record SampleCandidate(Guid Id, string Reference);

/// <summary>An audit as lists show it: the audit case, the strategy it audits and where it stands.</summary>
public sealed record AuditSummary
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public required Guid AuditedCaseId { get; init; }
    public required string AuditedReference { get; init; }
    public required string RegionCode { get; init; }
    public required string Status { get; init; }
    public required string CurrentStep { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public required string OwnerName { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int Findings { get; init; }
    public int OpenFindings { get; init; }
}

/// <summary>The filters of the evaluators' list of completed strategies; every one is optional.</summary>
public sealed record StrategyFilter
{
    public string? Region { get; init; }
    public string? Country { get; init; }

    /// <summary>Closed on or after this day (UTC).</summary>
    public DateOnly? ClosedFrom { get; init; }

    /// <summary>Closed on or before this day (UTC).</summary>
    public DateOnly? ClosedTo { get; init; }

    /// <summary>An S3 area of the lead company's profile.</summary>
    public string? S3Area { get; init; }
    public Guid? DefinitionVersionId { get; init; }

    /// <summary>true: audited at least once; false: never audited.</summary>
    public bool? Audited { get; init; }

    /// <summary>A conclusion (end state of the audit definition) at least one audit of the strategy reached.</summary>
    public string? Conclusion { get; init; }

    /// <summary>Keyset: the list is newest closed first; the page starts after this row.</summary>
    public (DateTimeOffset ClosedAt, Guid Id)? After { get; init; }
    public int Take { get; init; } = 25;
}

/// <summary>A completed strategy in the evaluators' list.</summary>
public sealed record CompletedStrategy
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required string RegionCode { get; init; }
    public required string CountryCode { get; init; }
    public required string LeadCompanyName { get; init; }
    public required string EndState { get; init; }
    public required int DefinitionVersion { get; init; }
    public required DateTimeOffset ClosedAt { get; init; }
    public int Audits { get; init; }

    /// <summary>The end state of the latest concluded audit, if any.</summary>
    public string? LatestConclusion { get; init; }
}

/// <summary>Open findings (no answer yet, audit still running) of one region.</summary>
public sealed record OpenFindingsOfRegion
{
    public required string RegionCode { get; init; }
    public int OpenFindings { get; init; }
    public int Audits { get; init; }
}

/// <summary>The audits' port: findings, samples and the evaluators' lists, implemented by the data layer.</summary>
public interface IAuditStore
{
    Task<IReadOnlyList<AuditFindingRecord>> GetFindingsAsync(Guid auditCaseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditSummary>> GetAuditsOfAsync(Guid strategyCaseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditSummary>> GetAuditsInProgressAsync(int take, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OpenFindingsOfRegion>> GetOpenFindingsPerRegionAsync(CancellationToken cancellationToken = default);

    /// <summary>Strategies (not audits) of a region closed in [<paramref name="from"/>, <paramref name="to"/>), in any order.</summary>
    Task<IReadOnlyList<SampleCandidate>> GetSampleCandidatesAsync(string regionCode, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    Task InsertSampleAsync(AuditSampleRecord sample, CancellationToken cancellationToken = default);

    Task<AuditSampleRecord?> GetSampleAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CompletedStrategy>> SearchCompletedStrategiesAsync(StrategyFilter filter, CancellationToken cancellationToken = default);
}
