using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>
/// The draft editor of a definition: save (optimistic concurrency on the draft's row version; a conflict keeps the
/// typed YAML), publish (every validation error listed, nothing changes on error), discard, download.
/// </summary>
public sealed class DraftModel(IWorkflowStore store, WorkflowCatalog catalog) : PageModel
{
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
            ShowStored(Draft);
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
            Problems = ProblemsOf(Yaml);
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
            return Conflicted();
        }

        try
        {
            var published = await catalog.PublishAsync(Draft.Id, rowVersion, User.ToActor().UserId, cancellationToken);
            return Redirect($"/definitions/{Uri.EscapeDataString(Key)}/v{published.Number}");
        }
        catch (DefinitionInvalidException ex)
        {
            ShowStored(Draft);
            PublishErrors = ex.Errors;
            ErrorMessage = $"Version {Draft.Number} was not published: it has {ex.Errors.Count} error(s). Nothing changed.";
            return Page();
        }
        catch (ConcurrencyConflictException)
        {
            return Conflicted();
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
            return Conflicted();
        }

        try
        {
            await store.DiscardDraftAsync(Draft.Id, rowVersion, cancellationToken);
            return Redirect("/definitions");
        }
        catch (ConcurrencyConflictException)
        {
            return Conflicted();
        }
    }

    private IActionResult Conflicted()
    {
        ConflictText = ConflictMessage;
        if (Draft is not null)
        {
            ShowStored(Draft);
        }

        return Page();
    }

    private void ShowStored(WorkflowVersionRecord draft)
    {
        Yaml = draft.Content;
        RowVersion = draft.RowVersion;
        DraftId = draft.Id;
        Problems = ProblemsOf(draft.Content);
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

    /// <summary>The same problems <see cref="WorkflowCatalog.SaveDraftAsync"/> reports, without saving.</summary>
    private List<ValidationError> ProblemsOf(string yaml)
    {
        var check = WorkflowDefinitions.Check(yaml);
        var problems = check.Errors.ToList();
        if (check.Document is { } doc)
        {
            if (doc.Key != Key)
            {
                problems.Add(new ValidationError("key", $"The key must stay '{Key}' (it is '{doc.Key}')."));
            }

            if (doc.Version != NextNumber)
            {
                problems.Add(new ValidationError("version", $"The version of this draft must be {NextNumber}, the next version number (it is {doc.Version})."));
            }
        }

        return problems;
    }
}
