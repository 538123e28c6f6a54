using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>The users, filtered by role, region, organisation and whether they are active, with their last sign-in.</summary>
internal sealed class IndexModel(ListUsers listUsers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "role")]
    public string? Role { get; set; }

    [BindProperty(SupportsGet = true, Name = "region")]
    public string? Region { get; set; }

    /// <summary>An organisation's id, "none" (users without one) or empty (any).</summary>
    [BindProperty(SupportsGet = true, Name = "organisation")]
    public string? Organisation { get; set; }

    /// <summary>"active", "inactive" or empty (any).</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    public ListUsers.UserList List { get; private set; } = new([], []);

    public bool IsFiltered => !string.IsNullOrEmpty(Role) || !string.IsNullOrEmpty(Region) || !string.IsNullOrEmpty(Status) || !string.IsNullOrEmpty(Organisation);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var active = Status switch { "active" => true, "inactive" => (bool?)false, _ => null };
        if (await listUsers.HandleAsync(new ListUsers.Request(Role, Region, active, Organisation), User.ToActor(), cancellationToken) is not { } list)
        {
            return Forbid();
        }

        List = list;
        return Page();
    }
}
