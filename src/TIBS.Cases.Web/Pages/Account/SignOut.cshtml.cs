using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>Signing out ends the server-side session, so a copy of the cookie stops working too.</summary>
internal sealed class SignOutModel(SessionService sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Guid.TryParse(User.FindFirstValue(SignInService.SessionClaim), out var sessionId))
        {
            await sessions.EndAsync(sessionId, cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
