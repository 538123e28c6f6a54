using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin.PersonalData;

/// <summary>Personal data: find a contact person to export or erase their data (<see cref="ExportPersonalData"/>, <see cref="EraseContactPerson"/>).</summary>
internal sealed class IndexModel(ExportPersonalData export) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<ContactOfCompany> Found { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Found = await export.FindContactsAsync(Query, User.ToActor(), cancellationToken);

    /// <summary>The ZIP of a contact person's (company given) or a user's personal data.</summary>
    public async Task<IActionResult> OnGetExportAsync(string kind, Guid id, Guid? company, CancellationToken cancellationToken)
    {
        var result = await export.HandleAsync(new ExportPersonalData.Request(kind == PersonalSubjectKinds.User ? PersonalSubjectKinds.User : PersonalSubjectKinds.Contact, id, company), User.ToActor(), cancellationToken);
        return result.Status switch
        {
            CaseCommandStatus.Done => File(result.Zip!, "application/zip", result.FileName),
            CaseCommandStatus.NotFound => NotFound(),
            _ => StatusCode(StatusCodes.Status403Forbidden),
        };
    }
}
