using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Localization;

namespace TIBS.Cases.Web.Pages;

/// <summary>
/// The language switch on every page (sign-in included): remembers the choice in a cookie, and for a signed-in user
/// also as their preference (<see cref="ChooseLanguage"/>), then returns to the page it was used on.
/// </summary>
internal sealed class LanguageModel(ChooseLanguage chooseLanguage, SignInService signIn) : PageModel
{
    [BindProperty(Name = "language")]
    public string? Language { get; set; }

    [BindProperty(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public IActionResult OnGet() => LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Languages.IsKnown(Language))
        {
            Problem = string.Join(", ", Languages.All.Select(l => l.Name));
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        LocalizationSetup.RememberLanguage(Response, Language!, Request.IsHttps);
        if (User.Identity?.IsAuthenticated == true)
        {
            var result = await chooseLanguage.HandleAsync(new ChooseLanguage.Request(Language), User.ToActor(), cancellationToken);
            if (result.Succeeded && await signIn.RenewAsync(User, cancellationToken) is { } renewed)
            {
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, renewed);
                TempData["Flash"] = result.Message;
            }
        }

        return LocalRedirect(ReturnUrl is { Length: < 2000 } && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
