using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>
/// The draft editor of a definition: save (optimistic concurrency on the draft's row version; a conflict keeps the
/// typed YAML), publish (every validation error listed, nothing changes on error), discard, download.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(ValueLengthLimit = MaxRequestBytes, KeyLengthLimit = 256, ValueCountLimit = 32)]
internal sealed class DraftModel(GetDefinitionDraft getDraft, SaveDefinitionDraft saveDraft, PublishDefinition publish, DiscardDefinitionDraft discard, ValidateDefinition validate, IStringLocalizer<Ui> t) : PageModel
{
    /// <summary>
    /// The largest request the editor accepts: a definition of the largest size allowed
    /// (<see cref="Workflows.Yaml.WorkflowYamlLoader.MaxBytes"/>) still fits when the browser URL-encodes it, so a text that is
    /// merely too large is answered with that problem; anything bigger is refused before it is read.
    /// </summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    public const string ConflictMessage = "Someone else changed this draft since you opened it (saved, published or discarded it). Your text is kept below; review it and save again to replace what is stored now.";

    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    [BindProperty]
    public string Yaml { get; set; } = "";

    /// <summary>The row version of the draft the text was loaded from; empty when there was no draft.</summary>
    [BindProperty]
    public int? RowVersion { get; set; }

    [BindProperty]
    public Guid? DraftId { get; set; }

    /// <summary>What changed in the draft and why: required to publish it.</summary>
    [BindProperty]
    public string? ChangeNote { get; set; }

    /// <summary>What is wrong with the posted change note, or null.</summary>
    public string? ChangeNoteError { get; private set; }

    public WorkflowDefinitionRecord Definition { get; private set; } = null!;

    /// <summary>The draft as stored now, or null.</summary>
    public WorkflowVersionRecord? Draft { get; private set; }

    public int NextNumber { get; private set; }

    /// <summary>The version new cases start on (to compare the draft with), or null.</summary>
    public int? PublishedNumber { get; private set; }

    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];

    /// <summary>The steps of the text, each with its structured editor.</summary>
    public IReadOnlyList<GetDefinitionDraft.StepLink> Steps { get; private set; } = [];

    /// <summary>Errors that stopped publishing.</summary>
    public IReadOnlyList<ValidationError> PublishErrors { get; private set; } = [];

    public string? ConflictText { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? SavedMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } state)
        {
            ShowStored(state);
            SavedMessage = Draft is null ? null : TempData["saved"] as string;
            return Page();
        }

        return NotFound();
    }

    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is null || Draft is null)
        {
            return NotFound();
        }

        return File(Encoding.UTF8.GetBytes(Draft.Content), "application/yaml", $"v{Draft.Number}.yaml");
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is null)
        {
            return NotFound();
        }

        Yaml ??= "";
        var saved = await saveDraft.HandleAsync(new SaveDefinitionDraft.Request(Key, Yaml, RowVersion), User.ToActor(), cancellationToken);
        Problems = saved.Problems;
        switch (saved.Status)
        {
            case CaseCommandStatus.Done:
                Draft = saved.Draft;
                DraftId = saved.Draft!.Id;
                RowVersion = saved.Draft.RowVersion;
                SavedMessage = saved.Message;
                break;
            case CaseCommandStatus.Conflict:
                Draft = saved.Draft;
                ConflictText = t["Someone else changed this draft since you opened it (saved, published or discarded it). Your text is kept below; review it and save again to replace what is stored now."] + " (" + saved.Message + ")";
                RowVersion = Draft?.RowVersion;
                DraftId = Draft?.Id;
                break;
            case CaseCommandStatus.InvalidForm:
                ErrorMessage = saved.Message;
                break;
            default:
                return NotFound();
        }

        return Page();
    }

    /// <summary>
    /// Checks the typed text as the draft (nothing is saved) for the YAML view's inline problems: every problem with its
    /// path, line and column, and the diagram (Mermaid) when there is none.
    /// </summary>
    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(Yaml ?? "") > ValidateDefinition.MaxYamlBytes)
        {
            return new JsonResult(new { problems = new[] { new { path = "", message = t["The text is too large to check."].Value, line = 1, column = 1 } }, diagram = (string?)null });
        }

        var r = await validate.HandleAsync(new ValidateDefinition.Request(Key, Yaml ?? ""), User.ToActor(), cancellationToken);
        if (r.Status != CaseCommandStatus.Done)
        {
            return NotFound();
        }

        return new JsonResult(new
        {
            problems = r.Problems.Select(p => new { path = p.Path, message = p.Message, line = p.Position?.Line, column = p.Position?.Column }),
            diagram = r.Diagram,
        });
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } state)
        {
            return NotFound();
        }

        var result = await publish.HandleAsync(new PublishDefinition.Request(Key, DraftId, RowVersion, ChangeNote), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData[VersionModel.JustPublishedKey] = result.Published!.Number;
                return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/v{result.Published.Number}");
            case CaseCommandStatus.InvalidForm:
                ShowStored(state);
                PublishErrors = result.Errors;
                ErrorMessage = result.Message;
                ChangeNoteError = result.FieldErrors.FirstOrDefault(e => e.Field == PublishDefinition.ChangeNoteField)?.Message;
                return Page();
            case CaseCommandStatus.Conflict:
                return await ConflictedAsync(cancellationToken);
            default:
                return NotFound();
        }
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is null)
        {
            return NotFound();
        }

        var result = await discard.HandleAsync(new DiscardDefinitionDraft.Request(Key, DraftId, RowVersion), User.ToActor(), cancellationToken);
        return result.Status switch
        {
            CaseCommandStatus.Done => Redirect("/definitions"),
            CaseCommandStatus.Conflict => await ConflictedAsync(cancellationToken),
            _ => NotFound(),
        };
    }

    private async Task<IActionResult> ConflictedAsync(CancellationToken cancellationToken)
    {
        var state = await LoadAsync(cancellationToken);
        ConflictText = t["Someone else changed this draft since you opened it (saved, published or discarded it). Your text is kept below; review it and save again to replace what is stored now."];
        if (state?.Draft is not null)
        {
            ShowStored(state);
        }

        return Page();
    }

    /// <summary>Shows the stored draft (its text, row version and problems), or the text to start a draft from.</summary>
    private void ShowStored(GetDefinitionDraft.Result state)
    {
        Yaml = state.Yaml;
        RowVersion = state.Draft?.RowVersion;
        DraftId = state.Draft?.Id;
        Problems = state.Problems;
    }

    private async Task<GetDefinitionDraft.Result?> LoadAsync(CancellationToken cancellationToken)
    {
        var state = await getDraft.HandleAsync(new GetDefinitionDraft.Request(Key), User.ToActor(), cancellationToken);
        if (state.Status != CaseCommandStatus.Done)
        {
            return null;
        }

        Definition = state.Definition!;
        Draft = state.Draft;
        NextNumber = state.NextNumber;
        PublishedNumber = state.PublishedNumber;
        Steps = state.Steps;
        return state;
    }
}
