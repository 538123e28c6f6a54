using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Privacy;

namespace TIBS.Cases.Web.Pages.Admin;

/// <summary>The record of processing activities, generated from the Privacy settings; downloadable as Markdown.</summary>
internal sealed class PrivacyModel(GetRecordOfProcessing query) : PageModel
{
    public RecordOfProcessing Record { get; private set; } = null!;

    public void OnGet() => Record = query.Handle();

    public IActionResult OnGetMarkdown() =>
        File(Encoding.UTF8.GetBytes(query.Handle().ToMarkdown()), "text/markdown; charset=utf-8", "record-of-processing.md");
}
