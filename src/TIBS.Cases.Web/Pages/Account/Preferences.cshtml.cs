using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// The signed-in user's e-mail preference: a mail per notification, or one daily digest. The /Account folder is open
/// to anonymous users by convention, and that convention outranks [Authorize]; so the page also challenges itself.
/// </summary>
[Authorize]
internal sealed partial class PreferencesModel(GetProfile getProfile, UpdatePreferences updatePreferences, GetTwoStepStatus getTwoStep, SignInService signIn, IStringLocalizer<Ui> t) : PageModel
{
    public const string Single = UpdatePreferences.Single;
    public const string Digest = UpdatePreferences.Digest;

    [BindProperty]
    public string? EmailDelivery { get; set; }

    /// <summary>The chosen language (a culture name), or empty for the browser's.</summary>
    [BindProperty]
    public string? Language { get; set; }

    /// <summary>The chosen time zone (IANA id), or empty for the home region's.</summary>
    [BindProperty]
    public string? TimeZone { get; set; }

    /// <summary>The home region's zone, offered as the default.</summary>
    public string RegionTimeZone { get; private set; } = "UTC";

    /// <summary>The organisation the user belongs to; null when they have none yet.</summary>
    public string? OrganisationName { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (User.Identity?.IsAuthenticated != true)
        {
            context.Result = Challenge();
            return;
        }

        await next();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var profile = await getProfile.HandleAsync(new GetProfile.Request(), User.ToActor(), cancellationToken);
        EmailDelivery = profile?.EmailDelivery ?? Single;
        Language = profile?.Language ?? UpdatePreferences.Automatic;
        TimeZone = profile?.TimeZone ?? UpdatePreferences.Automatic;
        RegionTimeZone = profile?.RegionTimeZone ?? "UTC";
        OrganisationName = profile?.OrganisationName;
        TwoStep = await getTwoStep.HandleAsync(new GetTwoStepStatus.Request(), User.ToActor(), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await updatePreferences.HandleAsync(new UpdatePreferences.Request(EmailDelivery, Language ?? UpdatePreferences.Automatic, TimeZone ?? UpdatePreferences.Automatic), User.ToActor(), cancellationToken);
        if (!result.Succeeded)
        {
            foreach (var error in result.FieldErrors)
            {
                ModelState.AddModelError(error.Field, error.Message);
            }

            var profile = await getProfile.HandleAsync(new GetProfile.Request(), User.ToActor(), cancellationToken);
            OrganisationName = profile?.OrganisationName;
            RegionTimeZone = profile?.RegionTimeZone ?? "UTC";
            TwoStep = await getTwoStep.HandleAsync(new GetTwoStepStatus.Request(), User.ToActor(), cancellationToken);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        // The sign-in carries the language and zone: renew it so the next page is already in the new language.
        if (await signIn.RenewAsync(User, cancellationToken) is { } renewed)
        {
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, renewed);
        }

        TempData["Flash"] = result.Message;
        return RedirectToPage();
    }
}
