using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// Enrolment that a role requires (<c>Authentication:RequireTwoStepFor</c>): after a right password the user sets up
/// two-step sign-in here before any session exists, so nothing else can be used until it is on.
/// </summary>
internal sealed class TwoStepSetUpModel(SignInService signIn, TwoStepCookies cookies, StartTwoStepEnrolment start, ConfirmTwoStepEnrolment confirm) : PageModel
{
    public const string Path = "/account/two-step/set-up";

    public TwoStepEnrolmentForm? Form { get; private set; }

    public RecoveryCodesView? RecoveryCodes { get; private set; }

    public string? ContinueTo { get; private set; }

    public string? ErrorMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = cookies.ReadPending(HttpContext) is { MustEnrol: true } pending ? await signIn.PendingUserAsync(pending, cancellationToken) : null;
        if (user is null)
        {
            return SignInAgain();
        }

        var started = await start.HandleAsync(new StartTwoStepEnrolment.Request(New: false), user.AsActor(), cancellationToken);
        if (!started.Started)
        {
            return SignInAgain();
        }

        Form = new TwoStepEnrolmentForm(started.Secret!, started.Uri!, null, null);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, CancellationToken cancellationToken)
    {
        var pending = cookies.ReadPending(HttpContext);
        var user = pending is { MustEnrol: true } ? await signIn.PendingUserAsync(pending, cancellationToken) : null;
        if (user is null)
        {
            return SignInAgain();
        }

        var confirmed = await confirm.HandleAsync(new ConfirmTwoStepEnrolment.Request(code), user.AsActor(), cancellationToken);
        if (!confirmed.Succeeded)
        {
            ErrorMessage = confirmed.Refusal;
            var again = await start.HandleAsync(new StartTwoStepEnrolment.Request(New: false), user.AsActor(), cancellationToken);
            if (!again.Started)
            {
                return SignInAgain();
            }

            Form = new TwoStepEnrolmentForm(again.Secret!, again.Uri!, confirmed.Errors.FirstOrDefault()?.Message, null);
            return Page();
        }

        var result = await signIn.EnrolledSignInAsync(pending!, Request.Headers.UserAgent.ToString(), cancellationToken);
        if (result.Status != SignInStatus.Succeeded)
        {
            return SignInAgain();
        }

        TwoStepCookies.ClearPending(HttpContext);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
        HttpContext.User = result.Principal!; // this response already shows the signed-in header
        RecoveryCodes = new RecoveryCodesView(confirmed.RecoveryCodes!);
        ContinueTo = pending!.ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/";

        // The recovery codes are in this response only: no cache may keep them.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private RedirectResult SignInAgain()
    {
        TwoStepCookies.ClearPending(HttpContext);
        TempData["SignInMessage"] = signIn.SignInAgain;
        return Redirect(AccountSecurity.SignInPath);
    }
}
