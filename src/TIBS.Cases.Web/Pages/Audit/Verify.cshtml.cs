using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Audit;

/// <summary>
/// Runs the audit verifier over every case (or one, by reference) and shows the result, the latest checkpoint and the
/// public keys; above them the latest scheduled verification of every trail (<see cref="GetTrailVerification"/>) and,
/// for administrators, a button to start one now (<see cref="StartTrailVerification"/>).
/// </summary>
internal sealed class VerifyModel(AuditVerifier verifier, GetTrailVerification scheduled, StartTrailVerification start) : PageModel
{
    public AuditReport Report { get; private set; } = null!;

    public GetTrailVerification.View Scheduled { get; private set; } = null!;

    public string? CaseReference { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The answer to the button: started, or refused in words.</summary>
    public string? StartMessage { get; private set; }

    public bool StartRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? @case, CancellationToken cancellationToken)
    {
        CaseReference = string.IsNullOrWhiteSpace(@case) ? null : @case.Trim();
        try
        {
            Report = await verifier.VerifyAsync(CaseReference, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status404NotFound;
            Report = await verifier.VerifyAsync(null, cancellationToken);
        }

        return await LoadScheduledAsync(cancellationToken) ? Page() : Forbid();
    }

    public async Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken)
    {
        var result = await start.HandleAsync(User.ToActor(), cancellationToken);
        if (result.Status == CaseCommandStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
            return LocalRedirect("/audit/verify");
        }

        StartMessage = result.Message;
        StartRefused = true;
        Response.StatusCode = StatusCodes.Status409Conflict;
        Report = await verifier.VerifyAsync(null, cancellationToken);
        return await LoadScheduledAsync(cancellationToken) ? Page() : Forbid();
    }

    private async Task<bool> LoadScheduledAsync(CancellationToken cancellationToken)
    {
        var view = await scheduled.HandleAsync(User.ToActor(), cancellationToken);
        if (view is null)
        {
            return false;
        }

        Scheduled = view;
        return true;
    }
}
