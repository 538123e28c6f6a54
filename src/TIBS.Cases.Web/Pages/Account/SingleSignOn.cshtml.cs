using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts.SingleSignOn;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// Sign-in with the OpenID Connect provider (decision 0042): the link on the sign-in page starts it here, the
/// provider's answer comes back to <see cref="OnGetDoneAsync"/>, which matches the person to an existing user and
/// starts the session as after a password.
/// </summary>
internal sealed class SingleSignOnModel(
    IOptions<SingleSignOnOptions> settings, SignInWithProvider provider, SignInService signIn, TwoStepCookies twoStep, IStringLocalizer<Ui> t) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    private SingleSignOnOptions Settings => settings.Value;

    private string? LocalReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public IActionResult OnGet()
    {
        if (!Settings.Enabled)
        {
            return NotFound();
        }

        var done = Url.Page("/Account/SingleSignOn", "Done", new { ReturnUrl = LocalReturnUrl });
        return Challenge(new AuthenticationProperties { RedirectUri = done }, SingleSignOn.Scheme);
    }

    public async Task<IActionResult> OnGetDoneAsync(CancellationToken cancellationToken)
    {
        if (!Settings.Enabled)
        {
            return NotFound();
        }

        var external = await HttpContext.AuthenticateAsync(SingleSignOn.ExternalCookie);
        await HttpContext.SignOutAsync(SingleSignOn.ExternalCookie);
        if (!external.Succeeded || external.Principal is null)
        {
            return BackToSignIn(t["Signing in with {0} ran out before it finished. Try again.", Settings.DisplayName]);
        }

        var identity = SingleSignOn.Identity(external.Principal, Settings);
        var matched = await provider.HandleAsync(
            new SignInWithProvider.Request(Settings.DisplayName, identity.Issuer, identity.Subject, identity.Email, identity.EmailVerified, Settings.RequireVerifiedEmail),
            cancellationToken);
        if (!matched.Succeeded)
        {
            return BackToSignIn(matched.Problem!);
        }

        var result = await signIn.ProviderSignInAsync(
            matched.User!, identity.Mfa, Request.Headers.UserAgent.ToString(), (user, enabledAt) => twoStep.IsRememberedDevice(HttpContext, user, enabledAt), cancellationToken);
        if (result.Status == SignInStatus.Succeeded)
        {
            TwoStepCookies.ClearPending(HttpContext);
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
            return LocalRedirect(LocalReturnUrl ?? "/");
        }

        if (result.Status is SignInStatus.CodeRequired or SignInStatus.EnrolmentRequired)
        {
            var mustEnrol = result.Status == SignInStatus.EnrolmentRequired;
            twoStep.SetPending(HttpContext, new TwoStepCookies.PendingSignIn(result.User!.Id, result.User.SecurityStamp, result.User.Email, mustEnrol, LocalReturnUrl));
            return Redirect(mustEnrol ? TwoStepSetUpModel.Path : TwoStepModel.Path);
        }

        return BackToSignIn(result.Message ?? signIn.SignInAgain);
    }

    private RedirectToPageResult BackToSignIn(string message)
    {
        TempData["SignInMessage"] = message;
        return RedirectToPage("/Account/SignIn", new { ReturnUrl = LocalReturnUrl });
    }
}
