using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>Registers a company through <see cref="CreateCompany"/>. Brokers may register companies of any region (partners too); coordinators as well.</summary>
internal sealed class NewModel(CreateCompany create, CompanyFormOptions options, IStringLocalizer<Ui> t) : CompanyFormPageModel(options)
{
    public override string AddContactUrl => "/companies/new?handler=AddContact";

    public override string SubmitLabel => t["Register company"];

    /// <summary>Set by "Register anyway" after the warning about probable duplicates.</summary>
    [BindProperty]
    public bool RegisterAnyway { get; set; }

    /// <summary>Registered companies with a close name in the same region (the warning).</summary>
    public IReadOnlyList<CompanySummary> ProbableDuplicates { get; private set; } = [];

    public string? Warning { get; private set; }

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
        var result = await create.HandleAsync(new CreateCompany.Request(Input.ToFields(), RegisterAnyway), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect($"/companies/{result.Company!.Id}");
            case CaseCommandStatus.InvalidForm:
                await LoadReferenceDataAsync(cancellationToken);
                ShowErrors(result.FieldErrors);
                SameNumber = result.SameNumber;
                EnsureBlankContactRow();
                return Page();
            case CaseCommandStatus.Refused when result.ProbableDuplicates.Count > 0:
                await LoadReferenceDataAsync(cancellationToken);
                ModelState.Clear();
                (ProbableDuplicates, Warning) = (result.ProbableDuplicates, result.Message);
                EnsureBlankContactRow();
                return Page();
            default:
                return StatusCode(StatusCodes.Status403Forbidden);
        }
    }
}
