using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Training;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>The training section of a broker's Preferences page: their completions, certificates and certification.</summary>
public sealed class MyTrainingViewComponent(GetBrokerTraining training) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var actor = UserClaimsPrincipal.ToActor();
        var result = actor.Role == TIBS.Cases.Workflows.Definitions.WorkflowRole.Broker
            ? await training.HandleAsync(actor.UserId, actor, HttpContext.RequestAborted)
            : null;
        return result is null ? Content("") : View(result);
    }
}
