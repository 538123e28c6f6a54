using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Migration;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Migration;

namespace TIBS.Cases.Web.Pages.Definitions;

/// <summary>
/// Moves running cases between published versions in two steps: the dry run is the review (every case and what
/// happens to it); "Migrate N cases" runs exactly that plan once the coordinator confirms it.
/// </summary>
internal sealed class MigrateModel(MigrationSubject subject, ReviewMigration review, ExecuteMigration execute, SimulateMigration simulate, IStringLocalizer<Ui> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    [BindProperty]
    public int From { get; set; }

    [BindProperty]
    public int To { get; set; }

    [BindProperty]
    public string? Mappings { get; set; }

    /// <summary>The reviewed plan, sent back with the confirmation.</summary>
    [BindProperty]
    public string? ReviewToken { get; set; }

    /// <summary>The coordinator ticked "I have reviewed …".</summary>
    [BindProperty]
    public bool Confirmed { get; set; }

    public WorkflowDefinitionRecord Definition { get; private set; } = null!;

    public IReadOnlyList<WorkflowVersionRecord> Published { get; private set; } = [];

    /// <summary>Problems with the form itself (bad mapping lines, unknown versions, a missing confirmation).</summary>
    public List<string> InputErrors { get; } = [];

    public MigrationReview? Review { get; private set; }

    public MigrationPlan? Plan => Run?.Plan ?? Review?.Plan;

    public MigrationRun? Run { get; private set; }

    /// <summary>The migration simulated on copies of the running cases (nothing real changed).</summary>
    public SimulateMigrationResult? Simulation { get; private set; }

    /// <summary>Cases that changed since the review the coordinator confirmed (nothing ran).</summary>
    public IReadOnlyList<string> Changes { get; private set; } = [];

    /// <summary>Case id (as the planner writes it) → reference.</summary>
    public Dictionary<string, string> References { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        To = Published.Count > 0 ? Published[^1].Number : 0;
        From = Published.Count > 1 ? Published[^2].Number : To;
        return Page();
    }

    public async Task<IActionResult> OnPostDryRunAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Check() is not { } mappings)
        {
            return Page();
        }

        var result = await review.HandleAsync(new ReviewMigrationRequest(Key, From, To, mappings, User.ToActor()), cancellationToken);
        if (result.Status == MigrationReviewStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Review is null)
        {
            InputErrors.Add(result.Message);
            return Page();
        }

        Review = result.Review;
        await LoadReferencesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSimulateAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Check() is not { } mappings)
        {
            return Page();
        }

        var result = await simulate.HandleAsync(new SimulateMigrationRequest(Key, From, To, mappings, User.ToActor()), cancellationToken);
        if (result.Status == MigrationReviewStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Status == MigrationReviewStatus.Invalid)
        {
            InputErrors.Add(result.Message);
            return Page();
        }

        Simulation = result;
        return Page();
    }

    public async Task<IActionResult> OnPostMigrateAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        var result = await execute.HandleAsync(new ExecuteMigrationRequest(Key, ReviewToken, Confirmed, User.ToActor()), cancellationToken);
        switch (result.Status)
        {
            case MigrationExecutionStatus.Forbidden:
                return Forbid();
            case MigrationExecutionStatus.Invalid or MigrationExecutionStatus.NotConfirmed:
                InputErrors.Add(result.Message);
                break;
            case MigrationExecutionStatus.Changed:
                Changes = result.Changes;
                break;
        }

        Review = result.Review;
        Run = result.Run;
        if (Review is not null)
        {
            (From, To, Mappings) = (Review.From, Review.To, string.Join("\n", Review.Mappings.Select(p => $"{p.Key} -> {p.Value}")));
        }

        ModelState.Clear();
        await LoadReferencesAsync(cancellationToken);
        return Page();
    }

    public string Reference(string caseId) => References.GetValueOrDefault(caseId, caseId);

    /// <summary>The planner's sentence with the case id replaced by its reference.</summary>
    public string Summary(CaseMigration m) => m.Summary.Replace(m.CaseId, Reference(m.CaseId), StringComparison.Ordinal);

    /// <summary>
    /// Parses the mapping lines (<c>old-step -> new-step</c>, blank lines and lines starting with # ignored); every bad
    /// line is reported with its number.
    /// </summary>
    public static (Dictionary<string, string> Mappings, List<string> Errors) ParseMappings(string? text, IStringLocalizer<Ui> t)
    {
        var mappings = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        var lines = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split("->", StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts.Any(p => p.Any(char.IsWhiteSpace)))
            {
                errors.Add(t["Mapping line {0} (\"{1}\") is not of the form old-step -> new-step.", i + 1, line]);
            }
            else if (!mappings.TryAdd(parts[0], parts[1]))
            {
                errors.Add(t["Mapping line {0} (\"{1}\") maps the step '{2}' a second time.", i + 1, line, parts[0]]);
            }
        }

        return (mappings, errors);
    }

    private Dictionary<string, string>? Check()
    {
        if (Published.All(v => v.Number != From))
        {
            InputErrors.Add(t["Version {0} is not a published version of '{1}'.", From, Key]);
        }

        if (Published.All(v => v.Number != To))
        {
            InputErrors.Add(t["Version {0} is not a published version of '{1}'.", To, Key]);
        }

        var (mappings, errors) = ParseMappings(Mappings, t);
        InputErrors.AddRange(errors);
        return InputErrors.Count == 0 ? mappings : null;
    }

    private async Task LoadReferencesAsync(CancellationToken cancellationToken)
    {
        foreach (var c in Review?.Cases ?? [])
        {
            References[c.CaseId.ToString()] = c.Reference;
        }

        var unnamed = (Plan?.Skipped.Select(s => s.CaseId) ?? []).Where(id => !References.ContainsKey(id));
        foreach (var (id, reference) in await subject.ReferencesAsync(unnamed, User.ToActor(), cancellationToken))
        {
            References[id] = reference;
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await subject.HandleAsync(Key, User.ToActor(), cancellationToken) is not { } found)
        {
            return false;
        }

        Definition = found.Definition;
        Published = found.Published;
        return true;
    }
}
