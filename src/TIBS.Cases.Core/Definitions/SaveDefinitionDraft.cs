using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// Saves a coordinator's draft of a definition (creating it when there is none). A draft may have problems; they are
/// returned to be fixed before publishing. The draft's row version guards against overwriting someone else's save: a
/// conflict saves nothing and keeps the typed text's problems for the editor.
/// </summary>
public sealed class SaveDefinitionDraft(IWorkflowStore store, WorkflowCatalog catalog)
{
    /// <summary>
    /// <paramref name="RowVersion"/>: the row version of the draft the text was loaded from; null when there was no draft.
    /// <paramref name="DraftId"/>, when given: the id of that draft; a draft discarded and started again since is a conflict.
    /// </summary>
    public sealed record Request(string Key, string? Yaml, int? RowVersion, Guid? DraftId = null);

    /// <summary>
    /// Done: <see cref="Draft"/> is the saved draft. Conflict: nothing saved, <see cref="Draft"/> is the draft stored
    /// now (or null). InvalidForm: the text cannot be stored (too large). <see cref="Problems"/>: the text's problems.
    /// </summary>
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public WorkflowVersionRecord? Draft { get; init; }

        public IReadOnlyList<ValidationError> Problems { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: true, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status, refused.Message);
        }

        var yaml = request.Yaml ?? "";
        try
        {
            if (request.DraftId is { } draftId
                && (await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken)).FirstOrDefault(v => !v.IsPublished)?.Id != draftId)
            {
                throw new ConcurrencyConflictException(Localized.Format("The draft of '{0}' was published or discarded by someone else.", definition.DefinitionKey));
            }

            var (draft, problems) = await catalog.SaveDraftAsync(definition.DefinitionKey, yaml, actor.AuditId, request.RowVersion, cancellationToken);
            return new Result(CaseCommandStatus.Done, problems.Count == 0
                ? Localized.Format("Draft version {0} saved. It has no problems and can be published.", draft.Number)
                : Localized.Format("Draft version {0} saved, with {1} problem(s) to fix before publishing.", draft.Number, problems.Count))
            {
                Draft = draft,
                Problems = problems,
            };
        }
        catch (ConcurrencyConflictException ex)
        {
            var versions = await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken);
            var number = await catalog.NextVersionNumberAsync(definition.DefinitionKey, cancellationToken);
            return new Result(CaseCommandStatus.Conflict, ex.Message)
            {
                Draft = versions.FirstOrDefault(v => !v.IsPublished),
                Problems = (await catalog.CheckDraftAsync(definition.DefinitionKey, number, yaml, cancellationToken)).Errors,
            };
        }
        catch (DefinitionInvalidException ex)
        {
            return new Result(CaseCommandStatus.InvalidForm, Localized.Format("The draft was not saved: {0}", string.Join(" ", ex.Errors.Select(e => e.Message)))) { Problems = ex.Errors };
        }
    }
}
