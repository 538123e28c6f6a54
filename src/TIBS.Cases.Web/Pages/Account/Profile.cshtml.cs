using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;
using TIBS.Cases.Web.Pages.Shared;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// The signed-in user's own profile (name, interface language) and password. After a change the cookie of this
/// session is renewed (new name; after a password change the new security stamp), so this session stays signed in while
/// every other one has ended. The /Account folder is open to anonymous users by convention, so the page challenges itself.
/// </summary>
[Authorize]
internal sealed partial class ProfileModel(
    GetProfile getProfile, UpdateProfile updateProfile, ChangeOwnPassword changePassword, SignInService signIn, GetAbsences getAbsences, TIBS.Cases.Core.PersonalData.ExportPersonalData export) : PageModel
{
    /// <summary>The ZIP of everything TIBS holds about the signed-in user (decision 0043).</summary>
    public async Task<IActionResult> OnGetMyDataAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var result = await export.HandleAsync(new TIBS.Cases.Core.PersonalData.ExportPersonalData.Request(TIBS.Cases.Core.PersonalData.PersonalSubjectKinds.User, actor.UserId), actor, cancellationToken);
        return result.Status == CaseCommandStatus.Done ? File(result.Zip!, "application/zip", result.FileName) : NotFound();
    }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    public GetProfile.Profile? Profile { get; private set; }

    /// <summary>The form whose errors are shown: "profile" or "password".</summary>
    public string? FailedForm { get; private set; }

    public string? ErrorMessage { get; private set; }

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

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        DisplayName = Profile!.DisplayName;
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync(CancellationToken cancellationToken)
    {
        var result = await updateProfile.HandleAsync(new UpdateProfile.Request(DisplayName), User.ToActor(), cancellationToken);
        return await AnswerAsync(result, "profile", cancellationToken);
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        var session = Guid.TryParse(User.FindFirstValue(SignInService.SessionClaim), out var id) ? id : Guid.Empty;
        var result = await changePassword.HandleAsync(new ChangeOwnPassword.Request(CurrentPassword, NewPassword, Confirmation, session, AccountSecurity.ClientAddress(HttpContext)), User.ToActor(), cancellationToken);
        return await AnswerAsync(result, "password", cancellationToken);
    }

    private async Task<IActionResult> AnswerAsync(CaseCommandResult result, string form, CancellationToken cancellationToken)
    {
        if (result.Succeeded)
        {
            if (await signIn.RenewAsync(User, cancellationToken) is { } renewed)
            {
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, renewed);
            }

            TempData["Flash"] = result.Message;
            return RedirectToPage();
        }

        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        FailedForm = form;
        ErrorMessage = result.Message;
        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        // Passwords are never sent back to the browser; the profile fields keep what was typed.
        CurrentPassword = NewPassword = Confirmation = null;
        if (form == "password")
        {
            DisplayName = Profile!.DisplayName;
        }

        if (result.RetryAfter is { } wait)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Response.StatusCode = result.RetryAfter is not null ? StatusCodes.Status429TooManyRequests : FormStatus.Of(result.Status);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Profile = await getProfile.HandleAsync(new GetProfile.Request(), User.ToActor(), cancellationToken);
        if (Profile is not null && await getAbsences.HandleAsync(new GetAbsences.Request(Profile.Id), User.ToActor(), cancellationToken) is { } absences)
        {
            Absences = new AbsencesSection(absences, ForSelf: true);
        }

        return Profile is not null && Absences is not null;
    }
}
