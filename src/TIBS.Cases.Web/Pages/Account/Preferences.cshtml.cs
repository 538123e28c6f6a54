using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// The signed-in user's e-mail preference: a mail per notification, or one daily digest. The /Account folder is open
/// to anonymous users by convention, and that convention outranks [Authorize]; so the page also challenges itself.
/// </summary>
[Authorize]
internal sealed partial class PreferencesModel(GetProfile getProfile, UpdatePreferences updatePreferences, GetTwoStepStatus getTwoStep) : PageModel
{
    public const string Single = UpdatePreferences.Single;
    public const string Digest = UpdatePreferences.Digest;

    [BindProperty]
    public string? EmailDelivery { get; set; }

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
        OrganisationName = profile?.OrganisationName;
        TwoStep = await getTwoStep.HandleAsync(new GetTwoStepStatus.Request(), User.ToActor(), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await updatePreferences.HandleAsync(new UpdatePreferences.Request(EmailDelivery), User.ToActor(), cancellationToken);
        if (!result.Succeeded)
        {
            foreach (var error in result.FieldErrors)
            {
                ModelState.AddModelError(error.Field, error.Message);
            }

            OrganisationName = (await getProfile.HandleAsync(new GetProfile.Request(), User.ToActor(), cancellationToken))?.OrganisationName;
            return Page();
        }

        TempData["Flash"] = result.Message;
        return RedirectToPage();
    }
}
