using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Backups;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Admin;

/// <summary>The backups (decision 0055): the settings in words, the runs and archives, and "Back up now".</summary>
internal sealed class BackupsModel(ListBackups list, StartBackup start) : PageModel
{
    public ListBackups.View View { get; private set; } = null!;

    /// <summary>Why the last "Back up now" was refused, in words (after the redirect).</summary>
    [TempData]
    public string? Refusal { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var view = await list.HandleAsync(User.ToActor(), cancellationToken);
        if (view is null)
        {
            return Forbid();
        }

        View = view;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await start.HandleAsync(User.ToActor(), cancellationToken);
        if (result.Status == CaseCommandStatus.Forbidden)
        {
            return Forbid();
        }

        if (result.Succeeded)
        {
            TempData["Flash"] = result.Message;
        }
        else
        {
            Refusal = result.Message;
        }

        return RedirectToPage();
    }
}
