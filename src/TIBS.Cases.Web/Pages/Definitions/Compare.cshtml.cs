using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>Compare versions: two versions of a definition picked by number; the structured changes and the YAML diff.</summary>
internal sealed class CompareModel(CompareDefinitionVersions compare) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    /// <summary>The older version's number, as typed in the query (<c>from</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? FromText { get; set; }

    /// <summary>The newer version's number, as typed in the query (<c>to</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "to")]
    public string? ToText { get; set; }

    public CompareDefinitionVersions.Result View { get; private set; } = new(CaseCommandStatus.NotFound);

    /// <summary>Why the versions asked for cannot be compared (shown with the picker), or null.</summary>
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var from = Number(FromText, "The first version");
        var to = Number(ToText, "The second version");
        View = await compare.HandleAsync(new CompareDefinitionVersions.Request(Key, Problem is null ? from : null, Problem is null ? to : null), User.ToActor(), cancellationToken);
        if (View.Definition is null)
        {
            return NotFound();
        }

        if (View.Status != CaseCommandStatus.Done)
        {
            Problem ??= View.Message;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (Problem is not null)
        {
            // A version that is no number: the page says which in words, with the default comparison below it.
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    private int? Number(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DefinitionPages.ParseNumber(text.Trim()) is { } n)
        {
            return n;
        }

        Problem ??= $"{what} must be a version number such as 3; “{text}” is not.";
        return null;
    }
}
