using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core;
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
public sealed class DraftModel(IWorkflowStore store, WorkflowCatalog catalog) : PageModel
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

    public WorkflowDefinitionRecord Definition { get; private set; } = null!;

    /// <summary>The draft as stored now, or null.</summary>
    public WorkflowVersionRecord? Draft { get; private set; }

    public int NextNumber { get; private set; }

    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];

    /// <summary>Errors that stopped publishing.</summary>
    public IReadOnlyList<ValidationError> PublishErrors { get; private set; } = [];

    public string? ConflictText { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? SavedMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Draft is not null)
        {
            await ShowStoredAsync(Draft, cancellationToken);
            SavedMessage = TempData["saved"] as string;
        }
        else if (await store.GetPublishedVersionAsync(Key, cancellationToken) is { } published)
        {
            Yaml = DefinitionPages.WithVersion(published.Content, NextNumber);
        }

        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Draft is null)
        {
            return NotFound();
        }

        return File(Encoding.UTF8.GetBytes(Draft.Content), "application/yaml", $"v{Draft.Number}.yaml");
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Yaml ??= "";
        try
        {
            var (draft, problems) = await catalog.SaveDraftAsync(Key, Yaml, User.ToActor().UserId, RowVersion, cancellationToken);
            Draft = draft;
            DraftId = draft.Id;
            RowVersion = draft.RowVersion;
            Problems = problems;
            SavedMessage = problems.Count == 0
                ? $"Draft version {draft.Number} saved. It has no problems and can be published."
                : $"Draft version {draft.Number} saved, with {problems.Count} problem(s) to fix before publishing.";
        }
        catch (ConcurrencyConflictException ex)
        {
            ConflictText = ConflictMessage + " (" + ex.Message + ")";
            RowVersion = Draft?.RowVersion;
            DraftId = Draft?.Id;
            Problems = (await catalog.CheckDraftAsync(Key, NextNumber, Yaml, cancellationToken)).Errors;
        }
        catch (DefinitionInvalidException ex)
        {
            ErrorMessage = "The draft was not saved: " + string.Join(" ", ex.Errors.Select(e => e.Message));
            Problems = ex.Errors;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Draft is null || DraftId != Draft.Id || RowVersion is not { } rowVersion)
        {
            return await ConflictedAsync(cancellationToken);
        }

        try
        {
            var published = await catalog.PublishAsync(Draft.Id, rowVersion, User.ToActor().UserId, cancellationToken);
            TempData[VersionModel.JustPublishedKey] = published.Number;
            return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/v{published.Number}");
        }
        catch (DefinitionInvalidException ex)
        {
            await ShowStoredAsync(Draft, cancellationToken);
            PublishErrors = ex.Errors;
            ErrorMessage = $"Version {Draft.Number} was not published: it has {ex.Errors.Count} error(s). Nothing changed.";
            return Page();
        }
        catch (ConcurrencyConflictException)
        {
            return await ConflictedAsync(cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Draft is null || DraftId != Draft.Id || RowVersion is not { } rowVersion)
        {
            return await ConflictedAsync(cancellationToken);
        }

        try
        {
            await store.DiscardDraftAsync(Draft.Id, rowVersion, cancellationToken);
            return Redirect("/definitions");
        }
        catch (ConcurrencyConflictException)
        {
            return await ConflictedAsync(cancellationToken);
        }
    }

    private async Task<IActionResult> ConflictedAsync(CancellationToken cancellationToken)
    {
        ConflictText = ConflictMessage;
        if (Draft is not null)
        {
            await ShowStoredAsync(Draft, cancellationToken);
        }

        return Page();
    }

    private async Task ShowStoredAsync(WorkflowVersionRecord draft, CancellationToken cancellationToken)
    {
        Yaml = draft.Content;
        RowVersion = draft.RowVersion;
        DraftId = draft.Id;
        Problems = (await catalog.CheckDraftAsync(Key, NextNumber, draft.Content, cancellationToken)).Errors;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await store.GetDefinitionAsync(Key, cancellationToken) is not { } definition)
        {
            return false;
        }

        Definition = definition;
        var versions = await store.ListVersionsAsync(Key, cancellationToken);
        Draft = versions.FirstOrDefault(v => !v.IsPublished);
        NextNumber = versions.Where(v => v.IsPublished).Select(v => v.Number).DefaultIfEmpty(0).Max() + 1;
        return true;
    }
}
