using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Audit;

/// <summary>The administration log for administrators and evaluators: who did what about whom, newest first.</summary>
[Authorize(Roles = Roles.Administrator + "," + Roles.Evaluator)]
internal sealed class AdministrationLogModel(ListAdministrationLog listLog) : PageModel
{
    public IReadOnlyList<AdministrationLogLine> Lines { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await listLog.HandleAsync(new ListAdministrationLog.Request(), User.ToActor(), cancellationToken) is not { } lines)
        {
            return Forbid();
        }

        Lines = lines;
        return Page();
    }
}
