using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;

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

    /// <summary>
    /// The draft, its document and the step <paramref name="stepKey"/> for a change of steps by a form opened on
    /// <paramref name="draftId"/> at <paramref name="rowVersion"/>; or the refusal (not allowed, a conflict, a text that
    /// does not load, no such step) in words.
    /// </summary>
    public static async Task<(DraftDocument Current, WorkflowDefinitionDocument Document, (int Stage, int Index, StepDefinition Step) At)?> OpenStepAsync(
        IWorkflowStore store, string key, string stepKey, Guid? draftId, int? rowVersion, Actor actor, Action<CaseCommandStatus, string> refuse, CancellationToken cancellationToken)
    {
        var (current, refused) = await OpenAsync(store, key, actor, edit: true, cancellationToken);
        if (current is null)
        {
            refuse(refused!.Status, refused.Message);
        }
        else if (!current.IsCurrent(draftId, rowVersion))
        {
            refuse(CaseCommandStatus.Conflict, EditDefinitionStep.ConflictMessage);
        }
        else if (WorkflowDefinitions.Load(current.Yaml).Document is not { } document)
        {
            refuse(CaseCommandStatus.InvalidForm, Localized.Text("The draft's YAML does not load, so its steps cannot be changed in a form. Fix the YAML on the draft page first."));
        }
        else if (EditDefinitionStep.Find(document, stepKey) is not { } at)
        {
            refuse(CaseCommandStatus.NotFound, Localized.Text("The draft has no such step."));
        }
        else
        {
            return (current, document, at);
        }

        return null;
    }
}
