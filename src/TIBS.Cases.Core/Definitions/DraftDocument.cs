using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// The text the structured editor works on: the draft's, or (without a draft) the published version's as the next
/// version, with the draft it came from (its id and row version guard a save) and the numbers around it.
/// </summary>
internal sealed record DraftDocument(WorkflowDefinitionRecord Definition, WorkflowVersionRecord? Draft, int Next, int? Published, string Yaml)
{
    /// <summary>Whether a form opened on the draft <paramref name="draftId"/> at <paramref name="rowVersion"/> still sees it as stored.</summary>
    public bool IsCurrent(Guid? draftId, int? rowVersion) => Draft?.Id == draftId && Draft?.RowVersion == rowVersion;

    /// <summary>The draft text of <paramref name="key"/> for a reader (or editor), or the refusal in words.</summary>
    public static async Task<(DraftDocument? Current, CaseCommandResult? Refused)> OpenAsync(
        IWorkflowStore store, string key, Actor actor, bool edit, CancellationToken cancellationToken)
    {
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, key, actor, edit, cancellationToken);
        if (definition is null)
        {
            return (null, refused);
        }

        var versions = await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken);
        var draft = versions.FirstOrDefault(v => !v.IsPublished);
        var next = versions.Where(v => v.IsPublished).Select(v => v.Number).DefaultIfEmpty(0).Max() + 1;
        var published = versions.FirstOrDefault(v => v.Id == definition.PublishedVersionId);
        var yaml = draft?.Content ?? (published is null ? "" : GetDefinitionDraft.WithVersion(published.Content, next));
        return (new DraftDocument(definition, draft, next, published?.Number, yaml), null);
    }
}
