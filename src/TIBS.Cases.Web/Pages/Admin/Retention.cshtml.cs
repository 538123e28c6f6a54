using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Privacy;
using TIBS.Cases.Core.Privacy.Retention;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin;

/// <summary>The retention rules: the newest dry run's report with its items in words, a new dry run, and "Apply this report".</summary>
internal sealed class RetentionModel(GetRetention query, ReportRetention report, ApplyRetentionReport apply, PrivacyOptions options, IStringLocalizer<Ui> t) : PageModel
{
    public GetRetention.View View { get; private set; } = new(null, [], []);

    public RetentionOptions Rules => options.Retention;

    public string? ErrorMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var view = await query.HandleAsync(User.ToActor(), cancellationToken);
        if (view is null)
        {
            return Forbid();
        }

        View = view;
        return Page();
    }

    public async Task<IActionResult> OnPostDryRunAsync(CancellationToken cancellationToken)
    {
        var made = await report.HandleAsync(User.ToActor(), cancellationToken);
        if (made is null)
        {
            return Forbid();
        }

        TempData["Flash"] = made.Items.IsEmpty ? t["Dry run made: nothing is due."].Value : t["Dry run made: read what is due below before applying it."].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostApplyAsync(Guid reportId, CancellationToken cancellationToken)
    {
        var result = await apply.HandleAsync(new ApplyRetentionReport.Request(reportId), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return RedirectToPage();
            case CaseCommandStatus.Forbidden:
                return Forbid();
            default:
                ErrorMessage = result.Message;
                View = await query.HandleAsync(User.ToActor(), cancellationToken) ?? View;
                Response.StatusCode = result.Status == CaseCommandStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
                return Page();
        }
    }
}
