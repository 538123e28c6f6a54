using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>
/// Edits a company through <see cref="UpdateCompany"/>: coordinators any, brokers only those of their own region (403
/// otherwise, 404 for unknown ids). The version the form was loaded from travels in a hidden field; when someone else
/// saved in between, nothing is written and the user gets their input back next to what is stored now.
/// </summary>
internal sealed class EditModel(GetCompany get, UpdateCompany update, CompanyFormOptions options, IStringLocalizer<Ui> t) : CompanyFormPageModel(options)
{
    public static string ConflictMessage => CompanyCommandResult.ConflictMessage;

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public Company? Stored { get; private set; }

    /// <summary>Set when the save was refused because of a concurrent change.</summary>
    public bool Conflict { get; private set; }

    /// <summary>After a conflict: the fields where what is stored now differs from the user's input.</summary>
    public IReadOnlyList<CompanyDifference> Differences { get; private set; } = [];

    public override string AddContactUrl => $"/companies/{Id}/edit?handler=AddContact";

    public override string SubmitLabel => t["Save changes"];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        Input = CompanyInput.From(Stored!);
        EnsureBlankContactRow();
        return Page();
    }

    public async Task<IActionResult> OnPostAddContactAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        ModelState.Clear();
        Input.Contacts.Add(new ContactInput());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await update.HandleAsync(new UpdateCompany.Request(Id, Input.Version, Input.ToFields()), User.ToActor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                TempData["Flash"] = result.Message;
                return Redirect($"/companies/{Id}");
            case CaseCommandStatus.InvalidForm:
                Stored = result.Company;
                SameNumber = result.SameNumber;
                await LoadReferenceDataAsync(cancellationToken);
                ShowErrors(result.FieldErrors);
                EnsureBlankContactRow();
                return Page();
            case CaseCommandStatus.Conflict:
                Stored = result.Company;
                await LoadReferenceDataAsync(cancellationToken);
                ModelState.Clear();
                Conflict = true;
                Differences = result.Differences;
                Input.Version = result.Company!.Version;
                EnsureBlankContactRow();
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case CaseCommandStatus.NotFound:
                return NotFound();
            default:
                return StatusCode(StatusCodes.Status403Forbidden);
        }
    }

    /// <summary>Loads the stored company and checks the actor may edit it; returns the refusal, or null to go on.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await get.HandleAsync(new GetCompany.Request(Id), User.ToActor(), cancellationToken);
        if (result.Status == CaseCommandStatus.NotFound)
        {
            return NotFound();
        }

        if (result.View is not { CanEdit: true } view)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Stored = view.Company;
        await LoadReferenceDataAsync(cancellationToken);
        return null;
    }
}
