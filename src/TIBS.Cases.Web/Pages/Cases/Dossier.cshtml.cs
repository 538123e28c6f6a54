using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Exports.Dossier;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>A case's dossier as a PDF download, for whoever may read the case (as the case page; anyone else gets a 404).</summary>
internal sealed class DossierModel(GetDossier getDossier) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await getDossier.HandleAsync(id, User.ToActor(), cancellationToken) is not { } dossier)
        {
            return NotFound();
        }

        var buffer = new MemoryStream();
        DossierPdf.Render(dossier).Save(buffer, closeStream: false);
        buffer.Position = 0;
        return File(buffer, DossierPdf.MediaType, $"{dossier.FileName}.pdf");
    }
}
