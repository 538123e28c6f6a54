using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Coordination.Organisations;

/// <summary>Adds a partner organisation.</summary>
[Authorize(Policy = Policies.Organisations)]
internal sealed class AddModel(AddOrganisation add) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? CountryCode { get; set; }
    [BindProperty] public string? WebAddress { get; set; }

    public string? ErrorMessage { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await add.HandleAsync(new AddOrganisation.Request(Name, Kind, CountryCode, WebAddress), User.ToActor(), cancellationToken);
        if (result.Status == CaseCommandStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return Redirect("/coordination/organisations");
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        Response.StatusCode = FormStatus.Of(result.Status);
        return Page();
    }
}
