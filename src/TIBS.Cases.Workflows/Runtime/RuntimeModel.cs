using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Runtime;

/// <summary>
/// The workflow state of a case as stored outside this library: the current step key or end state
/// key, and whether the case is on hold.
/// </summary>
public sealed record CaseSnapshot(string State, bool OnHold = false);

/// <summary>Whether an action completes the current step or is a case-wide action.</summary>
public enum ActionKind
{
    Outcome,
    CaseAction,
}

/// <summary>A condition that is not met, with the reason in words.</summary>
public sealed record UnmetCondition(string Condition, string Reason);

/// <summary>
/// Something a user could do with the case now. When <see cref="IsAllowed"/> is false,
/// <see cref="Unmet"/> says why.
/// </summary>
public sealed record AvailableAction(
    ActionKind Kind,
    string Key,
    string Label,
    string Trigger,
    string? Target,
    IReadOnlyList<WorkflowRole> Roles,
    bool IsAllowed,
    IReadOnlyList<UnmetCondition> Unmet,
    bool RequiresReason = false)
{
    public bool MayBeTakenBy(WorkflowRole role) => Roles.Contains(role);
}

/// <summary>The result of firing an action.</summary>
public enum TransitionStatus
{
    /// <summary>The action was taken; <see cref="TransitionResult.After"/> is the new state.</summary>
    Done,
    /// <summary>Conditions of the outcome are not met; see <see cref="TransitionResult.Unmet"/>.</summary>
    ConditionsNotMet,
    /// <summary>The case is on hold; only resume, withdraw and reassign are possible.</summary>
    OnHold,
    /// <summary>The action does not apply now (e.g. resume a case that is not on hold).</summary>
    NotAllowed,
    /// <summary>The current step has no such outcome, or there is no such case action.</summary>
    UnknownAction,
    /// <summary>The case is in an end state.</summary>
    CaseClosed,
    /// <summary>The action requires a reason and none was given.</summary>
    ReasonRequired,
}

/// <summary>What happened when an action was fired. Nothing changes unless <see cref="Succeeded"/>.</summary>
public sealed record TransitionResult(
    TransitionStatus Status,
    CaseSnapshot Before,
    CaseSnapshot After,
    string Trigger,
    string Message)
{
    public IReadOnlyList<UnmetCondition> Unmet { get; init; } = [];

    /// <summary>True when the case is now in an end state.</summary>
    public bool Ended { get; init; }

    public bool Succeeded => Status == TransitionStatus.Done;

    public bool StateChanged => Before.State != After.State;
}
