using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>
/// A company's profile; brokers and coordinators read every company, the edit link shows when they may edit. The de
/// minimis section lists the declared aid with the three-year total and records new aid (<see cref="RecordDeMinimisAid"/>);
/// the amount is typed as the user writes numbers (72,5 in Latvian, 72.5 in English) and handed to Core invariant.
/// </summary>
internal sealed class DetailsModel(GetCompany get, GetDeMinimisAid getAid, RecordDeMinimisAid recordAid, IStringLocalizer<Ui> t) : PageModel
{
    public Company Company { get; private set; } = null!;

    public bool CanEdit { get; private set; }

    public bool CanMerge { get; private set; }

    public string RegionName { get; private set; } = "";

    public IReadOnlyDictionary<string, string> NaceNames { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> S3Names { get; private set; } = new Dictionary<string, string>();

    public CompanyMergeRecord? ReachedThrough { get; private set; }

    public IReadOnlyList<CompanyMergeRecord> MergedFrom { get; private set; } = [];

    public IReadOnlyList<DateTimeOffset> ErasedContacts { get; private set; } = [];

    public GetDeMinimisAid.View? Aid { get; private set; }

    [BindProperty]
    public DeMinimisFields AidInput { get; set; } = new();

    [BindProperty]
    public bool RecordOverCeiling { get; set; }

    /// <summary>The new aid would exceed the ceiling: the warning, with "Record anyway".</summary>
    public string? AidWarning { get; private set; }

    public string? AidErrorFor(string field) =>
        ModelState.TryGetValue($"AidInput.{field}", out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAidAsync(Guid id, CancellationToken cancellationToken)
    {
        var amount = CultureAmount.Parse(AidInput.AmountEur, CultureInfo.CurrentCulture);
        var unreadable = amount is { Invariant: null, Empty: false };
        var fields = AidInput with { AmountEur = amount.Invariant ?? (amount.Empty ? AidInput.AmountEur : "") };
        var result = await recordAid.HandleAsync(new RecordDeMinimisAid.Request(id, fields, RecordOverCeiling), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect($"/companies/{id}#de-minimis");
            case CaseCommandStatus.InvalidForm:
                ModelState.Clear();
                foreach (var error in result.FieldErrors.Where(e => !(unreadable && e.Field == nameof(DeMinimisFields.AmountEur))))
                {
                    ModelState.AddModelError($"AidInput.{error.Field}", error.Message);
                }

                if (unreadable)
                {
                    ModelState.AddModelError($"AidInput.{nameof(DeMinimisFields.AmountEur)}", AmountProblem());
                }

                return await LoadAsync(id, cancellationToken) ?? Page();
            case CaseCommandStatus.Refused when result.NeedsConfirmation:
                ModelState.Clear();
                AidWarning = result.Message;
                return await LoadAsync(id, cancellationToken) ?? Page();
            case CaseCommandStatus.NotFound:
                return NotFound();
            default:
                return StatusCode(StatusCodes.Status403Forbidden);
        }
    }

    private string AmountProblem() =>
        t["The amount in euros is not a number as written in your language: write it such as {0}, without thousands separators.", 12500.50m.ToString("0.00", CultureInfo.CurrentCulture)];

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var result = await get.HandleAsync(new GetCompany.Request(id), actor, cancellationToken);
        switch (result)
        {
            case { Status: CaseCommandStatus.NotFound }:
                return NotFound();
            case { View: { } view }:
                (Company, CanEdit, RegionName, NaceNames, S3Names) = (view.Company, view.CanEdit, view.RegionName, view.NaceNames, view.S3Names);
                (CanMerge, ReachedThrough, MergedFrom, ErasedContacts) = (view.CanMerge, view.ReachedThrough, view.MergedFrom, view.ErasedContacts);
                Aid = (await getAid.HandleAsync(new GetDeMinimisAid.Request(view.Company.Id), actor, cancellationToken)).View;
                return null;
            default:
                return StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}
