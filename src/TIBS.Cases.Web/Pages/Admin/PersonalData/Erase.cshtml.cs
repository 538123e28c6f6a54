using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin.PersonalData;

/// <summary>Erasing a contact person: what will be erased, a reason required, then a summary (<see cref="EraseContactPerson"/>).</summary>
internal sealed class EraseModel(EraseContactPerson erase) : PageModel
{
    public EraseContactPerson.Preview? Preview { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? ReasonError { get; private set; }

    public EraseContactPerson.Result? Done { get; private set; }

    /// <param name="id">The contact person.</param>
    /// <param name="company">Their company (the link from the personal-data page names it).</param>
    public async Task<IActionResult> OnGetAsync(Guid id, Guid company, CancellationToken cancellationToken) =>
        await LoadAsync(company, id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, Guid company, CancellationToken cancellationToken)
    {
        var contact = id;
        if (await LoadAsync(company, contact, cancellationToken) is { } refused)
        {
            return refused;
        }

        var result = await erase.HandleAsync(new EraseContactPerson.Request(company, contact, Reason), User.ToActor(), cancellationToken);
        if (result.Status == CaseCommandStatus.InvalidForm)
        {
            ReasonError = result.FieldErrors.FirstOrDefault()?.Message ?? result.Message;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Done = result;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid company, Guid contact, CancellationToken cancellationToken)
    {
        var (preview, refusal) = await erase.PreviewAsync(company, contact, User.ToActor(), cancellationToken);
        Preview = preview;
        return refusal?.Status switch
        {
            null => null,
            CaseCommandStatus.NotFound => NotFound(),
            _ => StatusCode(StatusCodes.Status403Forbidden),
        };
    }
}
