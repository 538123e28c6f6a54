using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Pages.Account;

/// <summary>Two-step sign-in on the preferences page: set it up, make new recovery codes, turn it off.</summary>
internal sealed partial class PreferencesModel
{
    public GetTwoStepStatus.Result? TwoStep { get; private set; }

    /// <summary>The enrolment form while the user sets two-step sign-in up.</summary>
    public TwoStepEnrolmentForm? Enrolment { get; private set; }

    /// <summary>New recovery codes, in this response only.</summary>
    public RecoveryCodesView? RecoveryCodes { get; private set; }

    public string? TwoStepError { get; private set; }

    public string? TurnOffError { get; private set; }

    public async Task<IActionResult> OnPostStartTwoStepAsync([FromServices] StartTwoStepEnrolment start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return await ShowEnrolmentAsync(start, newSecret: true, null, cancellationToken);
    }

    public async Task<IActionResult> OnPostConfirmTwoStepAsync(
        string? code, [FromServices] ConfirmTwoStepEnrolment confirm, [FromServices] StartTwoStepEnrolment start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirm);
        ArgumentNullException.ThrowIfNull(start);
        var result = await confirm.HandleAsync(new ConfirmTwoStepEnrolment.Request(code), User.ToActor(), cancellationToken);
        if (!result.Succeeded)
        {
            TwoStepError = result.Refusal;
            return await ShowEnrolmentAsync(start, newSecret: false, result.Errors.FirstOrDefault()?.Message, cancellationToken);
        }

        return await ShowRecoveryCodesAsync(result.RecoveryCodes!, t["Two-step sign-in is on. From now on you sign in with your password and a code from your app."], cancellationToken);
    }

    public async Task<IActionResult> OnPostRenewRecoveryCodesAsync([FromServices] RenewRecoveryCodes renew, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renew);
        var result = await renew.HandleAsync(new RenewRecoveryCodes.Request(), User.ToActor(), cancellationToken);
        if (result.RecoveryCodes is null)
        {
            TempData["Flash"] = result.Refusal;
            return RedirectToPage();
        }

        return await ShowRecoveryCodesAsync(result.RecoveryCodes, t["New recovery codes are made; the earlier ones no longer work."], cancellationToken);
    }

    public async Task<IActionResult> OnPostTurnOffTwoStepAsync(string? confirmation, [FromServices] TurnOffTwoStep turnOff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnOff);
        var result = await turnOff.HandleAsync(new TurnOffTwoStep.Request(confirmation, AccountSecurity.ClientAddress(HttpContext)), User.ToActor(), cancellationToken);
        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return RedirectToPage();
        }

        ModelState.Clear();
        await OnGetAsync(cancellationToken);
        TurnOffError = result.Errors[0].Message;
        if (result.RetryAfter is { } wait)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Response.StatusCode = result.RetryAfter is not null ? StatusCodes.Status429TooManyRequests : StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<IActionResult> ShowEnrolmentAsync(StartTwoStepEnrolment start, bool newSecret, string? codeError, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        await OnGetAsync(cancellationToken);
        var started = await start.HandleAsync(new StartTwoStepEnrolment.Request(newSecret), User.ToActor(), cancellationToken);
        if (!started.Started)
        {
            TempData["Flash"] = started.Refusal;
            return RedirectToPage();
        }

        Enrolment = new TwoStepEnrolmentForm(started.Secret!, started.Uri!, codeError, "ConfirmTwoStep");
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private async Task<IActionResult> ShowRecoveryCodesAsync(IReadOnlyList<string> codes, string message, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        await OnGetAsync(cancellationToken);
        RecoveryCodes = new RecoveryCodesView(codes);
        ViewData["TwoStepMessage"] = message;

        // The codes are in this response only: no cache may keep them.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
