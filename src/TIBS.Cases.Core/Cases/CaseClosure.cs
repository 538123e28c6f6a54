using System.Globalization;

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
        ? string.Create(CultureInfo.InvariantCulture, $"Case {@case.Reference} was closed on {at:yyyy-MM-dd}; a closed case accepts no further changes.")
        : $"Case {@case.Reference} is closed; a closed case accepts no further changes.";
}

/// <summary>A user tried to change a closed case past every check: a programming error, never a user's mistake.</summary>
internal sealed class ClosedCaseException(CaseRecord @case) : InvalidOperationException(CaseClosure.Message(@case));
