using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Definitions;

/// <summary>Discards a definition's draft, if it is still the one the coordinator saw (its id and row version).</summary>
public sealed class DiscardDefinitionDraft(IWorkflowStore store)
{
    public sealed record Request(string Key, Guid? DraftId, int? RowVersion);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: true, cancellationToken);
        if (definition is null)
        {
            return refused!;
        }

        var draft = (await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken)).FirstOrDefault(v => !v.IsPublished);
        var conflict = new CaseCommandResult(CaseCommandStatus.Conflict, Localized.Text("The draft was changed, published or discarded since it was opened; nothing was discarded."));
        if (draft is null || request.DraftId != draft.Id || request.RowVersion is not { } rowVersion)
        {
            return conflict;
        }

        try
        {
            await store.DiscardDraftAsync(draft.Id, rowVersion, cancellationToken);
            return new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("Draft version {0} discarded.", draft.Number));
        }
        catch (ConcurrencyConflictException)
        {
            return conflict;
        }
    }
}
