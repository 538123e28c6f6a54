using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// The opening and the close of every partner command: the case as the command decides on it, read in one round trip
/// without its timeline, notes, attachments or messages (<see cref="CaseReader.GetCommandDetailsWithTracksAsync"/>; not
/// found unless the actor may read it), and the refusal when the actor's role does not allow the command or the case is closed. The write (case change, audit event and
/// outbox together) is committed by <see cref="CaseCommandContext.CommitAsync"/>.
/// </summary>
internal static class PartnerCommand
{
    public static async Task<(CaseDetails? Details, CaseCommandResult? Refusal)> OpenAsync(CaseReader cases, Guid caseId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var details = await cases.GetCommandDetailsWithTracksAsync(caseId, cancellationToken);
        return details is null || !CaseAccess.CanRead(actor, details.Case, details.Participants)
            ? (null, CaseCommandResult.Missing(Localized.Text("The case was not found.")))
            : (details, null);
    }

    /// <summary>Forbidden with <paramref name="forbidden"/> unless <paramref name="allowed"/>; then refused while the case is closed.</summary>
    public static CaseCommandResult? Refusal(CaseRecord @case, Actor actor, bool allowed, string forbidden) =>
        allowed ? CaseClosure.Refusal(@case, actor) : new CaseCommandResult(CaseCommandStatus.Forbidden, forbidden) { Case = @case };
}
