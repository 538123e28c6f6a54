using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// The second step of sign-in: the code from the app or a recovery code, for the user whose password was right
/// (named by a short-lived protected cookie, not a session). "Remember this device" skips it for 30 days.
/// </summary>
internal sealed class TwoStepModel(SignInService signIn, TwoStepCookies cookies, GetTwoStepStatus status, IStringLocalizer<Ui> t) : PageModel
{
    public const string Path = "/account/two-step";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public bool RememberDevice { get; set; }

    public string? ErrorMessage { get; private set; }

    public IActionResult OnGet() => cookies.ReadPending(HttpContext) is { MustEnrol: false } ? Page() : SignInAgain();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (cookies.ReadPending(HttpContext) is not { MustEnrol: false } pending)
        {
            return SignInAgain();
        }

        var result = await signIn.CodeSignInAsync(pending, Code, AccountSecurity.ClientAddress(HttpContext), Request.Headers.UserAgent.ToString(), cancellationToken);
        if (result.Status == SignInStatus.Succeeded)
        {
            TwoStepCookies.ClearPending(HttpContext);
            if (RememberDevice && await status.HandleAsync(new GetTwoStepStatus.Request(), result.User!.AsActor(), cancellationToken) is { EnabledAt: { } enabledAt })
            {
                cookies.RememberDevice(HttpContext, result.User, enabledAt);
            }

            if (result.RecoveryCodesLeft is { } left)
            {
                TempData["Flash"] = left == 1
                    ? t["You signed in with a recovery code; it no longer works. 1 recovery code is left: make new ones under Preferences."].Value
                    : t["You signed in with a recovery code; it no longer works. {0} recovery codes are left: make new ones under Preferences.", left].Value;
            }

            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
            return LocalRedirect(pending.ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/");
        }

        if (result.Status == SignInStatus.Failed && result.User is null)
        {
            return SignInAgain();
        }

        ErrorMessage = result.Message;
        if (result.Status == SignInStatus.Throttled)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        Code = null;
        return Page();
    }

    private RedirectResult SignInAgain()
    {
        TwoStepCookies.ClearPending(HttpContext);
        TempData["SignInMessage"] = signIn.SignInAgain;
        return Redirect(AccountSecurity.SignInPath);
    }
}
