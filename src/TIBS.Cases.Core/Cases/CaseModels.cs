using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Who is acting: the signed-in user, with the kind of user their account is in the one role vocabulary, and every
/// region they cover (<see cref="Regions"/>; <see cref="RegionCode"/> is the first, their home region).
/// </summary>
public sealed record Actor(Guid UserId, WorkflowRole Role, string? RegionCode)
{
    /// <summary>Every region the user covers (user_regions), the home region first; access and routing read these.</summary>
    public IReadOnlyList<string> Regions { get; init; } = RegionCode is null ? [] : [RegionCode];

    /// <summary>The actor covering <paramref name="regions"/>; the first is the home region.</summary>
    public static Actor Covering(Guid userId, WorkflowRole role, IReadOnlyList<string> regions) =>
        new(userId, role, regions.Count > 0 ? regions[0] : null) { Regions = regions };

    /// <summary>Whether <paramref name="regionCode"/> is one of the regions the user covers.</summary>
    public bool Covers(string? regionCode) => regionCode is { Length: > 0 } && Regions.Contains(regionCode, StringComparer.Ordinal);

    public static Actor System { get; } = new(Guid.Empty, WorkflowRole.Administrator, null);

    public Guid? AuditId => UserId == Guid.Empty ? null : UserId;

    /// <summary>The system itself (jobs, anchoring), not a signed-in user.</summary>
    public bool IsSystem => UserId == Guid.Empty;
}

public enum CaseCommandStatus
{
    Done,
    NotFound,

    /// <summary>The form has errors; see <see cref="CaseCommandResult.FieldErrors"/>. Nothing was saved.</summary>
    InvalidForm,

    /// <summary>The outcome's conditions are not met; see <see cref="CaseCommandResult.Unmet"/>.</summary>
    ConditionsNotMet,

    /// <summary>The user's role may not do this on this case.</summary>
    Forbidden,

    /// <summary>Someone else changed the case since the user loaded it; nothing was saved.</summary>
    Conflict,

    /// <summary>The action does not apply now (case ended, on hold, unknown outcome, reason missing, …).</summary>
    Refused,
}

/// <summary>The answer to a command on a case. Nothing is written unless <see cref="Status"/> is Done.</summary>
public sealed record CaseCommandResult(CaseCommandStatus Status, string Message)
{
    public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

    public IReadOnlyList<UnmetCondition> Unmet { get; init; } = [];

    public CaseRecord? Case { get; init; }

    /// <summary>Set when an uploaded file broke the attachment rules (<see cref="AttachmentPolicy"/>): the first such problem's kind.</summary>
    public AttachmentProblemKind? FileProblem { get; init; }

    /// <summary>Set when the command was not even checked because of earlier failed attempts (a throttle): how long to wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool Succeeded => Status == CaseCommandStatus.Done;

    public static CaseCommandResult NotFound(string what) => new(CaseCommandStatus.NotFound, Localized.Format("{0} was not found.", what));

    /// <summary>Not found, saying so in one whole sentence (<paramref name="message"/>, already in the reader's language).</summary>
    public static CaseCommandResult Missing(string message) => new(CaseCommandStatus.NotFound, message);

    public static CaseCommandResult Conflict(CaseRecord? current) => new(CaseCommandStatus.Conflict,
        Localized.Text("Someone else has changed this case since you opened it (it moved on or was updated). Nothing was saved; your input is kept — review the case and submit again."))
    {
        Case = current,
    };
}

/// <summary>An action on a case as a user sees it: allowed or not, and whether this user may take it.</summary>
public sealed record CaseAction(AvailableAction Action, bool ForThisUser);

/// <summary>Everything about one case, read for display or for a decision.</summary>
public sealed record CaseDetails(
    CaseRecord Case,
    WorkflowPlan Plan,
    IReadOnlyList<CaseStepRecord> Steps,
    IReadOnlyList<CaseEventRecord> Events,
    IReadOnlyList<CaseParticipantRecord> Participants,
    IReadOnlyList<ReminderRecord> Reminders,
    IReadOnlyList<CaseCheckInRecord> CheckIns)
{
    public IReadOnlyList<CaseNoteRecord> Notes { get; init; } = [];

    public IReadOnlyList<CaseAttachmentRecord> Attachments { get; init; } = [];

    public IReadOnlyList<CaseMessageRecord> Messages { get; init; } = [];

    /// <summary>The case's partner tracks (read only for definitions with steps that run tracks).</summary>
    public IReadOnlyList<Partners.Tracks.CaseTrackRecord> Tracks { get; init; } = [];

    /// <summary>The lead company's country when it was read with the case (a command's state); null when it must be looked up.</summary>
    public string? LeadCountryCode { get; init; }

    /// <summary>Whether the case had drafts when it was read (<see cref="CaseCommandState.HasDrafts"/>); true when not looked at.</summary>
    public bool HasDrafts { get; init; } = true;

    public PlanStep? CurrentStep => Plan.TryGetStep(Case.CurrentStep, out var s) ? s : null;

    public CaseSnapshot Snapshot => new(Case.CurrentStep, Case.IsOnHold);

    /// <summary>The latest saved values of a step's form.</summary>
    public IReadOnlyDictionary<string, FieldValue> ValuesOf(string stepKey) =>
        CaseData.Read(Case.Data).TryGetValue(stepKey, out var v) ? v : new Dictionary<string, FieldValue>();
}

/// <summary>Maps users to the roles of the workflow for one case.</summary>
internal static class CaseRoles
{
    /// <summary>
    /// A broker covering the case's region is its <see cref="WorkflowRole.Broker"/>; a broker covering a region where a
    /// partner company of the case is, its <see cref="WorkflowRole.PartnerBroker"/> (a broker of several regions may be both). Other users have their own role.
    /// </summary>
    public static IReadOnlyList<WorkflowRole> Of(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants)
    {
        switch (actor.Role)
        {
            case WorkflowRole.Broker:
                var roles = new List<WorkflowRole>();
                if (actor.Covers(@case.RegionCode) || actor.UserId == @case.OwnerUserId)
                {
                    roles.Add(WorkflowRole.Broker);
                }

                if (participants.Any(p => p.Role == ParticipantRole.Partner && actor.Covers(p.RegionCode)))
                {
                    roles.Add(WorkflowRole.PartnerBroker);
                }

                return roles;
            case WorkflowRole.Coordinator:
                return [WorkflowRole.Coordinator];
            case WorkflowRole.Evaluator:
                return [WorkflowRole.Evaluator];
            case WorkflowRole.Administrator:
                return [WorkflowRole.Administrator];
            default:
                return [];
        }
    }
}
