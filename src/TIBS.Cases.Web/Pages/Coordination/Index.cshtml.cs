using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination;

/// <summary>The coordinators' overview: per region, open cases, those waiting on coordinators, escalated and overdue ones; and who is certified.</summary>
[Authorize(Policy = Policies.Coordinator)]
internal sealed class IndexModel(CoordinationOverview overview, Core.Training.CertificationOverview certification) : PageModel
{
    public CoordinationOverview.Result Overview { get; private set; } = CoordinationOverview.Result.Forbidden;

    public Core.Training.CertificationOverview.Result Certification { get; private set; } = Core.Training.CertificationOverview.Result.Forbidden;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Overview = await overview.HandleAsync(new CoordinationOverview.Request(User.ToActor()), cancellationToken);
        Certification = await certification.HandleAsync(User.ToActor(), cancellationToken);
        return Overview.Allowed ? Page() : Forbid();
    }
}
