using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Indicators;

/// <summary>The programme's indicators with filters, charts, the tables behind them and the cross-border matrix.</summary>
[Authorize(Policy = Policies.Audit)]
internal sealed class IndexModel(ProgrammeIndicators indicators, IndicatorExports exports) : PageModel
{
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

    public ProgrammeIndicators.Result Indicators { get; private set; } = ProgrammeIndicators.Result.Forbidden;

    public ProgrammeIndicators.Input Input => new(Region, Country, S3, From, To, By, Organisation);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Indicators = await indicators.HandleAsync(new ProgrammeIndicators.Request(User.ToActor(), Input), cancellationToken);
        return Indicators.Allowed ? Page() : Forbid();
    }

    /// <summary>The indicators of the current filters and breakdown, as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken) =>
        await ServeAsync(format, await exports.IndicatorsAsync(User.ToActor(), Input, cancellationToken), cancellationToken);

    /// <summary>The monitoring table (per partner region and indicator) of the current filters, as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetMonitoringAsync(string? format, CancellationToken cancellationToken) =>
        await ServeAsync(format, await exports.MonitoringTableAsync(User.ToActor(), Input, cancellationToken), cancellationToken);

    /// <summary>The address of a download, keeping the filters.</summary>
    public string ExportUrl(string handler, string format) =>
        Url.Page("/Indicators/Index", handler, new { Region, Country, S3, From, To, By, Organisation, format })!;

    private async Task<IActionResult> ServeAsync(string? format, IndicatorExports.Outcome outcome, CancellationToken cancellationToken)
    {
        if (ExportFormats.Parse(format) is not { } f)
        {
            return BadRequest(ExportFormats.BadFormat(format));
        }

        return outcome.Table is { } table ? new ExportResult(table, f) : await OnGetAsync(cancellationToken);
    }

    /// <summary>The address of the cases behind a figure, keeping the filters.</summary>
    public string CasesLink(string code, string? group = null) => IndicatorLinks.Cases(Input, code, group);
}
