using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Indicators;

/// <summary>Time in step per definition version: a table and heat on the workflow diagram.</summary>
[Authorize(Policy = Policies.Audit)]
public sealed class TimeInStepModel(Core.Indicators.TimeInStep timeInStep) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Version { get; set; }

    public Core.Indicators.TimeInStep.Result Times { get; private set; } = Core.Indicators.TimeInStep.Result.Forbidden;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Times = await timeInStep.HandleAsync(new Core.Indicators.TimeInStep.Request(User.ToActor(), Version), cancellationToken);
        return Times.Allowed ? Page() : Forbid();
    }
}
