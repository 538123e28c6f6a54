using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Organisations;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>Invites a person: e-mail address, name, organisation, role and regions; they get a one-time link to set a password.</summary>
internal sealed class InviteModel(InviteUser inviteUser) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public List<string?> Regions { get; set; } = [];

    [BindProperty]
    public Guid? OrganisationId { get; set; }

    public IReadOnlyList<Region> AllRegions { get; private set; } = [];

    /// <summary>The active organisations to choose from.</summary>
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public string? ErrorMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await inviteUser.HandleAsync(new InviteUser.Request(Email, DisplayName, Role, Regions, OrganisationId), User.ToActor(), cancellationToken);
        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return Redirect("/admin/users");
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        Response.StatusCode = FormStatus.Of(result.Status);
        return await LoadAsync(cancellationToken) ? Page() : Forbid();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await inviteUser.FormAsync(User.ToActor(), cancellationToken) is not { } form)
        {
            return false;
        }

        (AllRegions, Organisations) = (form.Regions, form.Organisations);
        return true;
    }
}
