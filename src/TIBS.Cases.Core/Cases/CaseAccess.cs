using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Who may see and work on a case — the one place these rules live; every page and endpoint asks here.
/// <list type="bullet">
/// <item>
/// A broker reads and acts on the cases of every region they cover (<see cref="Actor.Regions"/>, from user_regions) and
/// the cases in which a company of one of those regions participates.
/// </item>
/// <item>A coordinator oversees every case: reads all, and acts where the workflow gives the coordinator a step.</item>
/// <item>An evaluator reads completed (closed) cases and their audit data, and never writes to a strategy.</item>
/// <item>
/// Audits are cases too (<see cref="CaseRecord.IsAudit"/>): every evaluator reads every audit and acts on its steps
/// (evaluators share the audit work; the one who opened it owns it); the broker of the audited strategy's region — the
/// audit's region — reads it and answers its findings; coordinators oversee audits as they oversee every case. Brokers
/// of partner regions have no part in an audit: it has no participants.
/// </item>
/// <item>An administrator manages users and jobs, not cases.</item>
/// </list>
/// </summary>
internal static class CaseAccess
{
    public static bool CanRead(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) => actor.Role switch
    {
        WorkflowRole.Broker => IsBrokerOfCase(actor, @case, participants),
        WorkflowRole.Coordinator => true,
        WorkflowRole.Evaluator => @case.IsClosed || @case.IsAudit,
        _ => false,
    };

    /// <summary>
    /// Notes, messages, attachments and partner work; completing a step also needs the step's role. Nobody changes a
    /// closed case (<see cref="CaseClosure"/>).
    /// </summary>
    public static bool CanWrite(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) => CaseClosure.Accepts(@case, actor) && actor.Role switch
    {
        WorkflowRole.Broker => IsBrokerOfCase(actor, @case, participants),
        WorkflowRole.Coordinator => true,
        WorkflowRole.Evaluator => @case.IsAudit,
        _ => false,
    };

    /// <summary>Whether <paramref name="actor"/> may start an audit of <paramref name="strategy"/>: an evaluator, of a completed strategy that is no audit itself.</summary>
    public static bool CanAudit(Actor actor, CaseRecord strategy) =>
        actor.Role == WorkflowRole.Evaluator && strategy.IsClosed && !strategy.IsAudit;

    public static bool IsBrokerOfCase(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) =>
        actor.Role == WorkflowRole.Broker &&
        (actor.Covers(@case.RegionCode) || @case.OwnerUserId == actor.UserId || participants.Any(p => actor.Covers(p.RegionCode)));
}

/// <summary>
/// Who may download an attachment — the one place this rule lives: whoever may read its case (an attachment is part
/// of the case's record), and only through its row: a stored file without a row is no attachment.
/// </summary>
internal static class AttachmentAccess
{
    public static bool CanDownload(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants, CaseAttachmentRecord attachment) =>
        attachment.CaseId == @case.Id && CaseAccess.CanRead(actor, @case, participants);
}
