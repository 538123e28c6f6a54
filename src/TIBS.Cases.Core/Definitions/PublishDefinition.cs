using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// Publishes a definition's draft: it is validated and, without errors, becomes the version new cases start on, in one
/// transaction. Every error is listed and nothing changes when there is one. The draft must be the one the
/// coordinator saw (its id and row version); otherwise nothing changes and a conflict is reported. Every published
/// version carries a change note (what changed and why), stored with it.
/// </summary>
public sealed class PublishDefinition(IWorkflowStore store, WorkflowCatalog catalog)
{
    /// <summary>The field name of the change note in forms and in the API.</summary>
    public const string ChangeNoteField = "changeNote";

    /// <summary>Fewest characters of a change note: a few words, not a letter or two.</summary>
    public const int MinChangeNoteLength = 10;

    /// <summary>Most characters of a change note.</summary>
    public const int MaxChangeNoteLength = 2_000;

    public sealed record Request(string Key, Guid? DraftId, int? RowVersion, string? ChangeNote = null);

    /// <summary>
    /// Done: <see cref="Published"/> is the new version. InvalidForm: <see cref="Errors"/> (the definition's) or
    /// <see cref="FieldErrors"/> (the change note's) stopped it.
    /// </summary>
    public sealed record Result(CaseCommandStatus Status, string Message)
    {
        public WorkflowVersionRecord? Published { get; init; }

        public IReadOnlyList<ValidationError> Errors { get; init; } = [];

        public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];
    }

    /// <summary>What is wrong with a change note, in a sentence, or null when it may be stored.</summary>
    public static string? ChangeNoteProblem(string? note)
    {
        var text = note?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Localized.Text("Write a change note: say what changed in this version and why. It is kept with the version.");
        }

        if (text.Length < MinChangeNoteLength)
        {
            return Localized.Format("The change note is too short: write at least {0} characters saying what changed and why.", MinChangeNoteLength);
        }

        return TextRules.Problem(Localized.Text("The change note"), text, MaxChangeNoteLength);
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: true, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status, refused.Message);
        }

        if (ChangeNoteProblem(request.ChangeNote) is { } noteProblem)
        {
            return new Result(CaseCommandStatus.InvalidForm, Localized.Format("Nothing was published: {0}", noteProblem)) { FieldErrors = [new FieldError(ChangeNoteField, noteProblem)] };
        }

        var draft = (await store.ListVersionsAsync(definition.DefinitionKey, cancellationToken)).FirstOrDefault(v => !v.IsPublished);
        if (draft is null || request.DraftId != draft.Id || request.RowVersion is not { } rowVersion)
        {
            return new Result(CaseCommandStatus.Conflict, Localized.Text("The draft was changed, published or discarded since it was opened; nothing was published."));
        }

        try
        {
            var published = await catalog.PublishAsync(draft.Id, rowVersion, actor.AuditId, request.ChangeNote!.Trim(), cancellationToken);
            return new Result(CaseCommandStatus.Done, Localized.Format("Version {0} published: new cases start on it.", published.Number)) { Published = published };
        }
        catch (DefinitionInvalidException ex)
        {
            return new Result(CaseCommandStatus.InvalidForm, Localized.Format("Version {0} was not published: it has {1} error(s). Nothing changed.", draft.Number, ex.Errors.Count)) { Errors = ex.Errors };
        }
        catch (ConcurrencyConflictException ex)
        {
            return new Result(CaseCommandStatus.Conflict, ex.Message);
        }
    }
}
