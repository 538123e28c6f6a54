using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>
/// The signed-in user's e-mail preference: a mail per notification, or one daily digest. The /Account folder is open
/// to anonymous users by convention, and that convention outranks [Authorize]; so the page also challenges itself.
/// </summary>
[Authorize]
public sealed partial class PreferencesModel(IUserStore users, TimeProvider time) : PageModel
{
    public const string Single = "single";
    public const string Digest = "digest";

    [BindProperty]
    [Required(ErrorMessage = "Choose how you want to receive e-mails.")]
    [RegularExpression("^(single|digest)$", ErrorMessage = "Choose how you want to receive e-mails.")]
    public string? EmailDelivery { get; set; }

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
        EmailDelivery = await users.GetEmailDigestAsync(User.ToActor().UserId, cancellationToken) ? Digest : Single;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var digest = EmailDelivery == Digest;
        await users.SetEmailDigestAsync(User.ToActor().UserId, digest, time.UtcNow(), cancellationToken);
        TempData["Flash"] = digest
            ? "Preferences saved: you will get one daily summary e-mail."
            : "Preferences saved: you will get an e-mail for each notification.";
        return RedirectToPage();
    }
}
