using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>One version of a definition: its YAML (read-only), diagram and stages/steps.</summary>
internal sealed partial class VersionModel(
    GetDefinitionVersion getVersion, ExportDefinitionBpmn exportBpmn, GetDefinitionTranslations getTranslations,
    DownloadDefinitionTranslation downloadTranslation, SaveDefinitionTranslation saveTranslation) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    /// <summary>The route's number; the route has no <c>:int</c> constraint so that every URL of the folder reaches its policy.</summary>
    [BindProperty(SupportsGet = true, Name = "number")]
    public string? NumberText { get; set; }

    public WorkflowVersionRecord Version => View.Version!;

    public WorkflowDefinitionRecord Definition => View.Definition!;

    /// <summary>Null when the version (a draft) does not compile; see <see cref="Problems"/>.</summary>
    public WorkflowPlan? Plan => View.Plan;

    public IReadOnlyList<ValidationError> Problems => View.Problems;

    public string Diagram => View.Diagram ?? "";

    /// <summary>Set by the draft editor when it has just published this version: the page confirms it once.</summary>
    public const string JustPublishedKey = "just-published";

    public bool JustPublished { get; private set; }

    private GetDefinitionVersion.Result View { get; set; } = new(CaseCommandStatus.NotFound);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (DefinitionPages.ParseNumber(NumberText) is not { } number)
        {
            return NotFound();
        }

        View = await getVersion.HandleAsync(new GetDefinitionVersion.Request(Key, number), User.ToActor(), cancellationToken);
        if (View.Status != CaseCommandStatus.Done)
        {
            return NotFound();
        }

        JustPublished = Version.IsPublished && TempData[JustPublishedKey] is int published && published == Version.Number;
        await LoadTranslationsAsync(number, cancellationToken);
        return Page();
    }

    public string TargetName(string key) => View.TargetName(key);

    /// <summary>The version as BPMN 2.0 XML, as a download (or, with <c>inline=true</c>, for the page's BPMN viewer).</summary>
    public async Task<IActionResult> OnGetBpmnAsync(bool inline, CancellationToken cancellationToken)
    {
        if (DefinitionPages.ParseNumber(NumberText) is not { } number)
        {
            return NotFound();
        }

        var export = await exportBpmn.HandleAsync(new ExportDefinitionBpmn.Request(Key, number), User.ToActor(), cancellationToken);
        if (export.Status != CaseCommandStatus.Done)
        {
            return export.Status == CaseCommandStatus.InvalidForm ? new ConflictObjectResult(export.Message) : NotFound();
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(export.Xml);
        return inline ? File(bytes, "application/xml") : File(bytes, "application/xml", export.FileName);
    }
}
