using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>A company's profile; brokers and coordinators read every company, the edit link shows when they may edit.</summary>
public sealed class DetailsModel(ICompanyStore companies, IReferenceDataStore reference) : PageModel
{
    public Company Company { get; private set; } = null!;

    public bool CanEdit { get; private set; }

    public string RegionName { get; private set; } = "";

    public IReadOnlyDictionary<string, string> NaceNames { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> S3Names { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!CompanyAccess.CanRead(actor))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await companies.GetAsync(id, cancellationToken) is not { } company)
        {
            return NotFound();
        }

        Company = company;
        CanEdit = CompanyAccess.CanEdit(actor, company);
        RegionName = (await reference.RegionsAsync(cancellationToken)).FirstOrDefault(r => r.Code == company.RegionCode)?.Name ?? company.RegionCode;
        NaceNames = (await reference.NaceSectionsAsync(cancellationToken)).ToDictionary(n => n.Code, n => n.Name, StringComparer.Ordinal);
        S3Names = (await reference.S3AreasAsync(cancellationToken)).ToDictionary(a => a.Code, a => a.Name, StringComparer.Ordinal);
        return Page();
    }
}
