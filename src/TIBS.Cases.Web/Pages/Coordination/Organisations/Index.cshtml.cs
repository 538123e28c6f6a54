using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination.Organisations;

/// <summary>The partner organisations with their kind, country, web address, users and status.</summary>
[Authorize(Policy = Policies.Organisations)]
internal sealed class IndexModel(ListOrganisations list) : PageModel
{
    public IReadOnlyList<OrganisationSummary> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await list.HandleAsync(new ListOrganisations.Request(), User.ToActor(), cancellationToken) is not { } found)
        {
            return Forbid();
        }

        Organisations = found;
        return Page();
    }
}
