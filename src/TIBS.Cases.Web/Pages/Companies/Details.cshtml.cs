using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>A company's profile; brokers and coordinators read every company, the edit link shows when they may edit.</summary>
public sealed class DetailsModel(GetCompany get) : PageModel
{
    public Company Company { get; private set; } = null!;

    public bool CanEdit { get; private set; }

    public string RegionName { get; private set; } = "";

    public IReadOnlyDictionary<string, string> NaceNames { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> S3Names { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await get.HandleAsync(new GetCompany.Request(id), User.ToActor(), cancellationToken);
        switch (result)
        {
            case { Status: CaseCommandStatus.NotFound }:
                return NotFound();
            case { View: { } view }:
                (Company, CanEdit, RegionName, NaceNames, S3Names) = (view.Company, view.CanEdit, view.RegionName, view.NaceNames, view.S3Names);
                return Page();
            default:
                return StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}
