using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Drafts;

/// <summary>Throw away one's own draft of a form.</summary>
public sealed record DiscardDraftRequest(Guid CaseId, string FormKey, Actor Actor);

/// <summary>Discards the user's own draft of a form of a case they may read. Nobody discards another person's draft.</summary>
public sealed class DiscardDraftHandler(ICaseStore cases, IDraftStore drafts)
{
    public async Task<CaseCommandResult> HandleAsync(DiscardDraftRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var c = await cases.GetAsync(request.CaseId, cancellationToken);
        if (c is null || !CaseAccess.CanRead(request.Actor, c, await cases.GetParticipantsAsync(c.Id, cancellationToken)))
        {
            return CaseCommandResult.Missing(Localized.Text("The case was not found."));
        }

        return await drafts.DeleteAsync(c.Id, request.Actor.UserId, request.FormKey ?? "", cancellationToken)
            ? new CaseCommandResult(CaseCommandStatus.Done, Localized.Text("Draft discarded.")) { Case = c }
            : new CaseCommandResult(CaseCommandStatus.Refused, Localized.Text("There is no draft of yours for that form (it was discarded or used already).")) { Case = c };
    }
}
