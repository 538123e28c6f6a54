using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>One version of a definition: its YAML (read-only), diagram and stages/steps.</summary>
public sealed class VersionModel(IWorkflowStore store, WorkflowCatalog catalog) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    /// <summary>The route's number; the route has no <c>:int</c> constraint so that every URL of the folder reaches its policy.</summary>
    [BindProperty(SupportsGet = true, Name = "number")]
    public string? NumberText { get; set; }

    public WorkflowVersionRecord Version { get; private set; } = null!;

    public WorkflowDefinitionRecord Definition { get; private set; } = null!;

    /// <summary>Null when the version (a draft) does not compile; see <see cref="Problems"/>.</summary>
    public WorkflowPlan? Plan { get; private set; }

    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];

    public string Diagram { get; private set; } = "";

    /// <summary>Set by the draft editor when it has just published this version: the page confirms it once.</summary>
    public const string JustPublishedKey = "just-published";

    public bool JustPublished { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (DefinitionPages.ParseNumber(NumberText) is not { } number
            || await store.GetDefinitionAsync(Key, cancellationToken) is not { } definition
            || await store.GetVersionAsync(Key, number, cancellationToken) is not { } version)
        {
            return NotFound();
        }

        Definition = definition;
        Version = version;
        JustPublished = version.IsPublished && TempData[JustPublishedKey] is int published && published == version.Number;
        if (version.IsPublished)
        {
            Plan = await catalog.GetPlanAsync(version.Id, cancellationToken);
        }
        else
        {
            var check = WorkflowDefinitions.Check(version.Content);
            Problems = check.Errors;
            Plan = check.IsValid ? WorkflowPlan.Compile(check.Document!) : null;
        }

        if (Plan is not null)
        {
            Diagram = WorkflowDiagram.Mermaid(Plan);
        }

        return Page();
    }

    public string TargetName(string key) => Plan is null ? key
        : Plan.TryGetStep(key, out var s) ? s.Name
        : Plan.TryGetEndState(key, out var e) ? e.Name + " (end)" : key;
}
