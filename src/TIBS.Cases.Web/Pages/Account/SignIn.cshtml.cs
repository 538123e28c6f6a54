using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Pages.Account;

internal sealed class SignInModel(SignInService signIn, TwoStepCookies twoStep, IOptions<SingleSignOnOptions> singleSignOn, IStringLocalizer<Ui> t) : PageModel
{
    /// <summary>The single sign-on provider's settings when it is configured (decision 0042); null: only the local form.</summary>
    public SingleSignOnOptions? SingleSignOn => singleSignOn.Value.Enabled ? singleSignOn.Value : null;

    [BindProperty]
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address such as name@example.org.")]
    [StringLength(320, ErrorMessage = "The e-mail address is too long: at most 320 characters.")]
    public string Email { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? ErrorMessage { get; private set; }

    public void OnGet()
    {
        ErrorMessage = TempData["SignInMessage"] as string;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            TranslateErrors();
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(
            Email, Password, AccountSecurity.ClientAddress(HttpContext), Request.Headers.UserAgent.ToString(),
            (user, enabledAt) => twoStep.IsRememberedDevice(HttpContext, user, enabledAt), cancellationToken);
        if (result.Status == SignInStatus.Succeeded)
        {
            TwoStepCookies.ClearPending(HttpContext);
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        if (result.Status is SignInStatus.CodeRequired or SignInStatus.EnrolmentRequired)
        {
            // No session yet: only a short-lived protected cookie that names the user until the second step is done.
            var mustEnrol = result.Status == SignInStatus.EnrolmentRequired;
            twoStep.SetPending(HttpContext, new TwoStepCookies.PendingSignIn(
                result.User!.Id, result.User.SecurityStamp, Email, mustEnrol, Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null));
            return Redirect(mustEnrol ? TwoStepSetUpModel.Path : TwoStepModel.Path);
        }

        ErrorMessage = result.Message;
        if (result.Status == SignInStatus.Throttled)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        Password = "";
        return Page();
    }

    /// <summary>The fields' messages (English keys in the attributes above) in the reader's language.</summary>
    private void TranslateErrors()
    {
        foreach (var (field, entry) in ModelState.ToList())
        {
            if (entry is null)
            {
                continue;
            }

            var messages = entry.Errors.Select(e => e.ErrorMessage).ToList();
            entry.Errors.Clear();
            foreach (var message in messages)
            {
                ModelState.AddModelError(field, t[message]);
            }
        }
    }
}
