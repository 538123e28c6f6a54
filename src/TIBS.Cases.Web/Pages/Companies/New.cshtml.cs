using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>Registers a company. Brokers may register companies of any region (partners too); coordinators as well.</summary>
public sealed class NewModel(ICompanyStore companies, IReferenceDataStore reference, TimeProvider time) : CompanyFormPageModel(reference, time)
{
    public override string AddContactUrl => "/companies/new?handler=AddContact";

    public override string SubmitLabel => "Register company";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!CompanyAccess.CanCreate(User.ToActor()))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await LoadReferenceDataAsync(cancellationToken);
        var actor = User.ToActor();
        if (actor.RegionCode is { } region && Regions.FirstOrDefault(r => r.Code == region) is { } own)
        {
            Input.CountryCode = own.CountryCode;
            Input.RegionCode = own.Code;
        }

        EnsureBlankContactRow();
        return Page();
    }

    public async Task<IActionResult> OnPostAddContactAsync(CancellationToken cancellationToken)
    {
        if (!CompanyAccess.CanCreate(User.ToActor()))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await LoadReferenceDataAsync(cancellationToken);
        ModelState.Clear();
        Input.Contacts.Add(new ContactInput());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (!CompanyAccess.CanCreate(actor))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await LoadReferenceDataAsync(cancellationToken);
        var now = Time.UtcNow();
        var company = Validate(Guid.CreateVersion7(now), []);
        if (company is null)
        {
            EnsureBlankContactRow();
            return Page();
        }

        await companies.InsertAsync(company with { CreatedBy = actor.AuditId, CreatedAt = now, UpdatedAt = now, Version = 1 }, cancellationToken);
        TempData["Flash"] = $"{company.Name} is registered.";
        return Redirect($"/companies/{company.Id}");
    }
}
