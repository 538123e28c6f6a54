using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages;

/// <summary>The start page: a signed-in user goes straight to their role's work; others see the introduction.</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(RoleHome.For(User.FindFirstValue(ClaimTypes.Role))) : Page();
}
