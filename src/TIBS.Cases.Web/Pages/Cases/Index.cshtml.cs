using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>The case list: the cases the user may read, with filters and keyset paging (newest first).</summary>
internal sealed class IndexModel(ListCases listCases, ExportCases exportCases, ExportStepDurations exportStepDurations, IStringLocalizer<Ui> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Stage { get; set; }
    [BindProperty(SupportsGet = true)] public string? Step { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Broker { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Organisation { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public bool Escalated { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public IReadOnlyList<CaseListItem> Items { get; private set; } = [];

    /// <summary>Filters that cannot be searched for (too long, a forbidden character); nothing is searched then.</summary>
    public IReadOnlyList<TIBS.Cases.Workflows.Forms.FieldError> FilterErrors { get; private set; } = [];
    public WorkflowPlan? Plan { get; private set; }
    public IReadOnlyList<Region> Regions { get; private set; } = [];
    public IReadOnlyList<Choice> Brokers { get; private set; } = [];
    public IReadOnlyList<Choice> Organisations { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public DateTimeOffset Now { get; private set; }
    public const int PageSize = ListCases.PageSize;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var list = await listCases.HandleAsync(new ListCases.Request(Filter() with { After = CaseListCursor.Parse(After) }), User.ToActor(), cancellationToken);
        (Now, Plan, Regions, Brokers, Organisations, FilterErrors, Items) = (list.Now, list.Plan, list.Regions, list.Brokers, list.Organisations, list.FilterErrors, list.Items);
        if (list.Next is { } last)
        {
            NextCursor = CaseListCursor.Format(last);
        }

        return Page();
    }

    /// <summary>Every case the filters find (all pages), as CSV or XLSX: what the list shows this user, nothing more.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        if (ParseFormat(format) is not { } f)
        {
            return BadFormat(format);
        }

        var result = await exportCases.HandleAsync(new ExportCases.Request(Filter()), User.ToActor(), cancellationToken);
        return result.Table is { } table ? new ExportResult(table, f) : await OnGetAsync(cancellationToken);
    }

    /// <summary>One row per step of the cases this user may read (region and status filters applied), as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetStepDurationsAsync(string? format, CancellationToken cancellationToken)
    {
        if (ParseFormat(format) is not { } f)
        {
            return BadFormat(format);
        }

        var result = await exportStepDurations.HandleAsync(new ExportStepDurations.Request(new StepDurationFilter { Region = Region, Status = Status }), User.ToActor(), cancellationToken);
        return result.Table is { } table ? new ExportResult(table, f) : await OnGetAsync(cancellationToken);
    }

    public string ExportUrl(string handler, string format) =>
        Url.Page("/Cases/Index", handler, new { Q, Stage, Step, Status, Region, Broker, Organisation, Overdue = Overdue ? true : (bool?)null, Escalated = Escalated ? true : (bool?)null, format })!;

    private CaseFilter Filter() => new()
    {
        Text = Q,
        Stage = Stage,
        Step = Step,
        Status = Status,
        Region = Region,
        OwnerUserId = Broker,
        OrganisationId = Organisation,
        OverdueOnly = Overdue,
        EscalatedOnly = Escalated,
        Unreadable = Unreadable(),
    };

    /// <summary>
    /// The filters whose value in the address could not be read as what they are (model binding left them unset): each
    /// named with the value it had, so that nothing is searched with a filter silently dropped.
    /// </summary>
    private List<TIBS.Cases.Workflows.Forms.FieldError> Unreadable()
    {
        var unreadable = new List<TIBS.Cases.Workflows.Forms.FieldError>();
        foreach (var (name, label) in (ReadOnlySpan<(string, string)>)[("broker", "Broker"), ("organisation", "Organisation"), ("overdue", "Overdue only"), ("escalated", "Escalated only")])
        {
            if (ModelState.TryGetValue(name, out var entry) && entry.ValidationState == ModelValidationState.Invalid)
            {
                var value = entry.AttemptedValue ?? "";
                var shown = value.Length > 40 ? value[..40] + "…" : value;
                unreadable.Add(new(name, t["{0}: \"{1}\" cannot be read as one of its choices; choose it again.", t[label], shown]));
            }
        }

        return unreadable;
    }

    private static ExportFormat? ParseFormat(string? format) => ExportFormats.Parse(format);

    private BadRequestObjectResult BadFormat(string? format) => BadRequest(ExportFormats.BadFormat(format));

    public string NextPageUrl() => Url.Page("/Cases/Index", new { Q, Stage, Step, Status, Region, Broker, Organisation, Overdue = Overdue ? true : (bool?)null, Escalated = Escalated ? true : (bool?)null, After = NextCursor })!;

    public string StepName(string key) => Plan is not null && Plan.TryGetStep(key, out var s) ? s.Name
        : Plan is not null && Plan.TryGetEndState(key, out var e) ? e.Name : key;
}
