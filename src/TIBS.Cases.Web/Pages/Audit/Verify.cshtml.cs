using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Audit;

namespace TIBS.Cases.Web.Pages.Audit;

/// <summary>Runs the audit verifier over every case (or one, by reference) and shows the result, the latest checkpoint and the public keys.</summary>
public sealed class VerifyModel(AuditVerifier verifier) : PageModel
{
    public AuditReport Report { get; private set; } = null!;

    public string? CaseReference { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(string? @case, CancellationToken cancellationToken)
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
    }
}
