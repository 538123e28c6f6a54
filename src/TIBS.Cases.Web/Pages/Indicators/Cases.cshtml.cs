using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Indicators;

/// <summary>The cases behind one figure of the indicators page.</summary>
[Authorize(Policy = Policies.Audit)]
internal sealed class CasesModel(IndicatorCases cases) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Indicator { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Group { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Region { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? S3 { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? By { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Organisation { get; set; }

    public IndicatorCases.Result Counted { get; private set; } = IndicatorCases.Result.Forbidden;

    public string BackLink => "/indicators" + Request.QueryString.Value;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Counted = await cases.HandleAsync(new IndicatorCases.Request(User.ToActor(), new ProgrammeIndicators.Input(Region, Country, S3, From, To, By, Organisation), Indicator, Group), cancellationToken);
        return Counted.Allowed ? Page() : Forbid();
    }
}
