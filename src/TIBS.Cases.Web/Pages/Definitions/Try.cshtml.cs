using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Simulation;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>"Try it": simulate a version (draft or published) with random or scripted walks and read the report.</summary>
internal sealed class TryModel(GetDefinitionVersion getVersion, SimulateDefinition simulate, IStringLocalizer<Ui> t) : PageModel
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
        var walks = ParseWhole(Walks, "walks", t["Number of walks"], errors) ?? SimulateDefinition.DefaultWalks;
        var seed = ParseWhole(Seed, "seed", t["Seed"], errors) ?? 1;
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

    private int? ParseWhole(string? text, string field, string label, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // A whole number as the user writes it (thousands separators of the user's language allowed, no decimals).
        if (int.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowThousands,
                System.Globalization.CultureInfo.CurrentCulture, out var n))
        {
            return n;
        }

        errors.Add(new FieldError(field, t["{0}: '{1}' is not a whole number.", label, text.Trim()]));
        return null;
    }
}
