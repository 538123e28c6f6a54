using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Training;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Training;

/// <summary>Downloads a training certificate: the broker's own, or anyone's for coordinators and administrators; others get 404.</summary>
internal sealed class CertificateModel(OpenCertificate openCertificate) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var download = await openCertificate.HandleAsync(id, User.ToActor(), cancellationToken);
        if (download is null)
        {
            return NotFound();
        }

        // Served as a download, never rendered in the site's origin (as case attachments are).
        Response.Headers["X-Content-Type-Options"] = "nosniff";
        return File(download.Content, "application/octet-stream", download.FileName);
    }
}
