using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TIBS.Cases.Web.Pages.Admin;

/// <summary>The administrators' home: the background jobs and the audit verification.</summary>
internal sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
