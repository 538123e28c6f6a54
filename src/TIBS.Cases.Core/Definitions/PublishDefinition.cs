using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// Publishes a definition's draft: it is validated and, without errors, becomes the version new cases start on, in one
/// transaction. Every error is listed and nothing changes when there is one. The draft must be the one the
/// coordinator saw (its id and row version); otherwise nothing changes and a conflict is reported.
/// </summary>
public sealed class PublishDefinition(IWorkflowStore store, WorkflowCatalog catalog)
{
    public sealed record Request(string Key, Guid? DraftId, int? RowVersion);

    /// <summary>Done: <see cref="Published"/> is the new version. InvalidForm: <see cref="Errors"/> stopped it.</summary>
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public WorkflowVersionRecord? Published { get; init; }

        public IReadOnlyList<ValidationError> Errors { get; init; } = [];
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: true, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status, refused.Message);
        }

        var draft = (await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken)).FirstOrDefault(v => !v.IsPublished);
        if (draft is null || request.DraftId != draft.Id || request.RowVersion is not { } rowVersion)
        {
            return new Result(CaseCommandStatus.Conflict, "The draft was changed, published or discarded since it was opened; nothing was published.");
        }

        try
        {
            var published = await catalog.PublishAsync(draft.Id, rowVersion, actor.AuditId, cancellationToken);
            return new Result(CaseCommandStatus.Done, $"Version {published.Number} published: new cases start on it.") { Published = published };
        }
        catch (DefinitionInvalidException ex)
        {
            return new Result(CaseCommandStatus.InvalidForm, $"Version {draft.Number} was not published: it has {ex.Errors.Count} error(s). Nothing changed.") { Errors = ex.Errors };
        }
        catch (ConcurrencyConflictException ex)
        {
            return new Result(CaseCommandStatus.Conflict, ex.Message);
        }
    }
}
