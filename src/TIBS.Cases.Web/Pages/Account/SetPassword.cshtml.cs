using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;

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
        Response.StatusCode = LinkStatus(Link);
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
        Response.StatusCode = Link.Problem is null && result.Status == CaseCommandStatus.InvalidForm ? StatusCodes.Status422UnprocessableEntity : LinkStatus(Link);
        return Page();
    }

    /// <summary>404 for a link that does not exist (mistyped, cut short, tampered with), 410 for a used or expired one, 403 for a deactivated account.</summary>
    private static int LinkStatus(SetPasswordWithLink.LinkState link) => link.Kind switch
    {
        SetPasswordWithLink.LinkProblem.Unknown => StatusCodes.Status404NotFound,
        SetPasswordWithLink.LinkProblem.Gone => StatusCodes.Status410Gone,
        SetPasswordWithLink.LinkProblem.Deactivated => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status200OK,
    };
}
