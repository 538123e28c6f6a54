using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>The page a one-time link (invitation or password reset) opens: the person sets their password.</summary>
internal sealed class SetPasswordModel(SetPasswordWithLink setPassword) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "token")]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    public SetPasswordWithLink.LinkState? Link { get; private set; }

    public string? ErrorMessage { get; private set; }

    public int MinimumLength => PasswordRule.MinimumLength;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Link = await setPassword.CheckAsync(Token, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        var result = await setPassword.HandleAsync(new SetPasswordWithLink.Request(Token, Password, Confirmation), cancellationToken);
        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return Redirect("/account/sign-in");
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        Link = await setPassword.CheckAsync(Token, cancellationToken);
        return Page();
    }
}
