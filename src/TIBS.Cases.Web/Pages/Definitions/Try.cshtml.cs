using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Simulation;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>"Try it": simulate a version (draft or published) with random or scripted walks and read the report.</summary>
internal sealed class TryModel(GetDefinitionVersion getVersion, SimulateDefinition simulate) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "number")]
    public string? NumberText { get; set; }

    [BindProperty]
    public string? Walks { get; set; } = SimulateDefinition.DefaultWalks.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [BindProperty]
    public string? Seed { get; set; } = "1";

    [BindProperty]
    public string? Script { get; set; }

    public GetDefinitionVersion.Result View { get; private set; } = new(CaseCommandStatus.NotFound);

    public SimulationReport? Report { get; private set; }

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public IReadOnlyList<ValidationError> Problems => View.Problems;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var errors = new List<FieldError>();
        var walks = ParseWhole(Walks, "walks", "Number of walks", errors) ?? SimulateDefinition.DefaultWalks;
        var seed = ParseWhole(Seed, "seed", "Seed", errors) ?? 1;
        if (errors.Count > 0)
        {
            Errors = errors;
            return Page();
        }

        var result = await simulate.HandleAsync(new SimulateDefinition.Request(Key, View.Version!.Number, walks, seed, Script), User.ToActor(), cancellationToken);
        Errors = result.Errors;
        Report = result.Report;
        return result.Status is CaseCommandStatus.Done or CaseCommandStatus.InvalidForm ? Page() : NotFound();
    }

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (DefinitionPages.ParseNumber(NumberText) is not { } number)
        {
            return false;
        }

        View = await getVersion.HandleAsync(new GetDefinitionVersion.Request(Key, number), User.ToActor(), cancellationToken);
        return View.Status == CaseCommandStatus.Done;
    }

    private static int? ParseWhole(string? text, string field, string label, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(new FieldError(field, $"{label}: '{text.Trim()}' is not a whole number."));
        return null;
    }
}
