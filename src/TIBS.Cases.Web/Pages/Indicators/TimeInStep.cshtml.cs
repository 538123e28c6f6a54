using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Indicators;

/// <summary>Time in step per definition version: a table and heat on the workflow diagram.</summary>
[Authorize(Policy = Policies.Audit)]
internal sealed class TimeInStepModel(Core.Indicators.TimeInStep timeInStep, Core.Indicators.IndicatorExports exports) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Version { get; set; }

    public Core.Indicators.TimeInStep.Result Times { get; private set; } = Core.Indicators.TimeInStep.Result.Forbidden;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Times = await timeInStep.HandleAsync(new Core.Indicators.TimeInStep.Request(User.ToActor(), Version), cancellationToken);
        return Times.Allowed ? Page() : Forbid();
    }

    /// <summary>Time in step of the chosen version, as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        if (ExportFormats.Parse(format) is not { } f)
        {
            return BadRequest(ExportFormats.BadFormat(format));
        }

        var outcome = await exports.TimeInStepAsync(User.ToActor(), Version, cancellationToken);
        return outcome.Table is { } table ? new ExportResult(table, f) : await OnGetAsync(cancellationToken);
    }

    /// <summary>The address of a download of the version shown.</summary>
    public string ExportUrl(string format) => Url.Page("/Indicators/TimeInStep", "export", new { version = Times.Version, format })!;
}
