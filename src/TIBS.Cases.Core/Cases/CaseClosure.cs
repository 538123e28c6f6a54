using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Closed means closed: once a case has ended (completed, withdrawn, not eligible, …) no user changes it again —
/// no step, check-in, case action, note, attachment, message, partner or migration. Only records the system itself
/// writes (<see cref="Actor.System"/>: anchoring the audit trail, links from audits, erasure records) may follow the
/// closing event. Every command on a case asks here; <see cref="AuditChain.Record"/> refuses as the last line.
/// </summary>
public static class CaseClosure
{
    /// <summary>Whether <paramref name="actor"/> may still append to <paramref name="case"/>.</summary>
    public static bool Accepts(CaseRecord @case, Actor actor) => !@case.IsClosed || actor.IsSystem;

    /// <summary>The refusal a user sees when acting on a closed case, or null while the case is open.</summary>
    public static CaseCommandResult? Refusal(CaseRecord @case, Actor actor) =>
        Accepts(@case, actor) ? null : new CaseCommandResult(CaseCommandStatus.Refused, Message(@case)) { Case = @case };

    public static string Message(CaseRecord @case) => @case.ClosedAt is { } at
        ? Localized.Format("Case {0} was closed on {1}; a closed case accepts no further changes.", @case.Reference, Display.MessageDates.Short(at))
        : Localized.Format("Case {0} is closed; a closed case accepts no further changes.", @case.Reference);
}

/// <summary>A user tried to change a closed case past every check: a programming error, never a user's mistake.</summary>
internal sealed class ClosedCaseException(CaseRecord @case) : InvalidOperationException(CaseClosure.Message(@case));
