using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// Who may do what in a case's partner search — the one place these rules live; the partner handlers and the
/// partners workspace ask here. Reading follows <see cref="CaseAccess.CanRead"/>. The "May…" rules say whether the
/// actor's role allows the work at all; a closed case (<see cref="CaseClosure"/>) refuses it on top of that.
/// </summary>
internal static class PartnerAccess
{
    /// <summary>Only the broker of the case shortlists partners.</summary>
    public static string ShortlistRefusal => Localized.Text("Only the broker of the case shortlists partners.");

    public static string MoveRefusal => Localized.Text("The case's broker or the partner's regional broker updates the pipeline.");

    public static string MessageRefusal => Localized.Text("You may not change this case.");

    public static bool MayShortlist(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) =>
        CaseRoles.Of(actor, @case, participants).Contains(WorkflowRole.Broker);

    /// <summary>The case's broker, or the broker of the partner's region, moves a partner along the pipeline.</summary>
    public static bool MayMove(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants, CaseParticipantRecord partner)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(partner);
        var roles = CaseRoles.Of(actor, @case, participants);
        return roles.Contains(WorkflowRole.Broker)
            || (actor.Role == WorkflowRole.Broker && actor.Covers(partner.RegionCode) && roles.Contains(WorkflowRole.PartnerBroker));
    }

    /// <summary>Messages between the brokers: whoever works on the case (its brokers, partner brokers, coordinators).</summary>
    public static bool MayMessage(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Role == WorkflowRole.Coordinator || CaseAccess.IsBrokerOfCase(actor, @case, participants);
    }

    public static bool CanShortlist(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) =>
        CaseClosure.Accepts(@case, actor) && MayShortlist(actor, @case, participants);

    public static bool CanMove(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants, CaseParticipantRecord partner) =>
        CaseClosure.Accepts(@case, actor) && MayMove(actor, @case, participants, partner);

    public static bool CanMessage(Actor actor, CaseRecord @case, IReadOnlyList<CaseParticipantRecord> participants) =>
        CaseClosure.Accepts(@case, actor) && MayMessage(actor, @case, participants);
}
