using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>One user: role and regions, deactivation and reactivation, a password link, and the log lines about them.</summary>
internal sealed class UserModel(GetAdministeredUser getUser, ChangeUserAccess changeAccess, DeactivateUser deactivate, ReactivateUser reactivate, SendPasswordReset sendReset) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public List<string?> Regions { get; set; } = [];

    public GetAdministeredUser.Details? Details { get; private set; }

    public string? ErrorMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Role = Details!.User.Account.Role;
        Regions = [.. Details.User.Regions];
        return Page();
    }

    public Task<IActionResult> OnPostAccessAsync(CancellationToken cancellationToken) =>
        AnswerAsync(changeAccess.HandleAsync(new ChangeUserAccess.Request(Id, Role, Regions), User.ToActor(), cancellationToken), keepForm: true, cancellationToken);

    public Task<IActionResult> OnPostDeactivateAsync(CancellationToken cancellationToken) =>
        AnswerAsync(deactivate.HandleAsync(new DeactivateUser.Request(Id), User.ToActor(), cancellationToken), keepForm: false, cancellationToken);

    public Task<IActionResult> OnPostReactivateAsync(CancellationToken cancellationToken) =>
        AnswerAsync(reactivate.HandleAsync(new ReactivateUser.Request(Id), User.ToActor(), cancellationToken), keepForm: false, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) =>
        AnswerAsync(sendReset.HandleAsync(new SendPasswordReset.Request(Id), User.ToActor(), cancellationToken), keepForm: false, cancellationToken);

    private async Task<IActionResult> AnswerAsync(Task<CaseCommandResult> command, bool keepForm, CancellationToken cancellationToken)
    {
        var result = await command;
        if (result.Status == CaseCommandStatus.NotFound)
        {
            return NotFound();
        }

        if (result.Status == CaseCommandStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return RedirectToPage(new { Id });
        }

        foreach (var error in result.FieldErrors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        ErrorMessage = result.Message;
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!keepForm)
        {
            Role = Details!.User.Account.Role;
            Regions = [.. Details.User.Regions];
        }

        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Details = await getUser.HandleAsync(new GetAdministeredUser.Request(Id), User.ToActor(), cancellationToken);
        return Details is not null;
    }
}
