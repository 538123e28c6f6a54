using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Accounts.SingleSignOn;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;
using TIBS.Cases.Web.Pages.Shared;

namespace TIBS.Cases.Web.Pages.Admin.Users;

/// <summary>One user: organisation, role and regions, deactivation and reactivation, a password link, their two-step sign-in and single sign-on link, their absences, and the log lines about them.</summary>
internal sealed partial class UserModel(
    GetAdministeredUser getUser, ChangeUserAccess changeAccess, ChangeUserOrganisation changeOrganisation, DeactivateUser deactivate, ReactivateUser reactivate,
    SendPasswordReset sendReset, GetTwoStepStatus getTwoStep, ResetTwoStep resetTwoStep, GetAbsences getAbsences, UnlinkSingleSignOn unlink, IOptions<SingleSignOnOptions> singleSignOn) : PageModel
{
    /// <summary>The provider's name as users know it (decision 0042).</summary>
    public string ProviderName => singleSignOn.Value.DisplayName;

    /// <summary>Whether single sign-on is configured.</summary>
    public bool SingleSignOnEnabled => singleSignOn.Value.Enabled;

    private const string AccessForm = "access";
    private const string OrganisationForm = "organisation";

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public List<string?> Regions { get; set; } = [];

    [BindProperty]
    public Guid? OrganisationId { get; set; }

    public GetAdministeredUser.Details? Details { get; private set; }

    public string? ErrorMessage { get; private set; }

    public GetTwoStepStatus.Result? TwoStep { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Role = Details!.User.Account.Role;
        Regions = [.. Details.User.Regions];
        OrganisationId = Details.User.Account.OrganisationId;
        return Page();
    }

    public Task<IActionResult> OnPostOrganisationAsync(CancellationToken cancellationToken) =>
        AnswerAsync(changeOrganisation.HandleAsync(new ChangeUserOrganisation.Request(Id, OrganisationId), User.ToActor(), cancellationToken), OrganisationForm, cancellationToken);

    public Task<IActionResult> OnPostAccessAsync(CancellationToken cancellationToken) =>
        AnswerAsync(changeAccess.HandleAsync(new ChangeUserAccess.Request(Id, Role, Regions), User.ToActor(), cancellationToken), AccessForm, cancellationToken);

    public Task<IActionResult> OnPostDeactivateAsync(CancellationToken cancellationToken) =>
        AnswerAsync(deactivate.HandleAsync(new DeactivateUser.Request(Id), User.ToActor(), cancellationToken), kept: null, cancellationToken);

    public Task<IActionResult> OnPostReactivateAsync(CancellationToken cancellationToken) =>
        AnswerAsync(reactivate.HandleAsync(new ReactivateUser.Request(Id), User.ToActor(), cancellationToken), kept: null, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) =>
        AnswerAsync(sendReset.HandleAsync(new SendPasswordReset.Request(Id), User.ToActor(), cancellationToken), kept: null, cancellationToken);

    public Task<IActionResult> OnPostTwoStepResetAsync(CancellationToken cancellationToken) =>
        AnswerAsync(resetTwoStep.HandleAsync(new ResetTwoStep.Request(Id), User.ToActor(), cancellationToken), kept: null, cancellationToken);

    public Task<IActionResult> OnPostUnlinkAsync(CancellationToken cancellationToken) =>
        AnswerAsync(unlink.HandleAsync(new UnlinkSingleSignOn.Request(Id, ProviderName), User.ToActor(), cancellationToken), kept: null, cancellationToken);

    /// <param name="kept">The form whose input is shown again after a refusal; the others show what is saved.</param>
    private async Task<IActionResult> AnswerAsync(Task<CaseCommandResult> command, string? kept, CancellationToken cancellationToken)
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

        if (kept != AccessForm)
        {
            Role = Details!.User.Account.Role;
            Regions = [.. Details.User.Regions];
        }

        if (kept != OrganisationForm)
        {
            OrganisationId = Details!.User.Account.OrganisationId;
        }

        Response.StatusCode = FormStatus.Of(result.Status);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Details = await getUser.HandleAsync(new GetAdministeredUser.Request(Id), User.ToActor(), cancellationToken);
        TwoStep = Details is null ? null : await getTwoStep.HandleAsync(new GetTwoStepStatus.Request(Id), User.ToActor(), cancellationToken);
        var absences = Details is null ? null : await getAbsences.HandleAsync(new GetAbsences.Request(Id), User.ToActor(), cancellationToken);
        Absences = absences is null ? null : new AbsencesSection(absences, ForSelf: false);
        return Details is not null && Absences is not null;
    }
}
