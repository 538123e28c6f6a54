using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Training;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination.Training;

/// <summary>The training catalogue and the brokers' certification, for coordinators and administrators.</summary>
internal sealed class IndexModel(ListTrainingModules listModules, CertificationOverview overview) : PageModel
{
    public IReadOnlyList<TrainingModule> Modules { get; private set; } = [];

    public CertificationOverview.Result Certification { get; private set; } = CertificationOverview.Result.Forbidden;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var modules = await listModules.HandleAsync(actor, cancellationToken);
        if (modules is null)
        {
            return Forbid();
        }

        Modules = modules;
        Certification = await overview.HandleAsync(actor, cancellationToken);
        return Page();
    }
}
