using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Web.Infrastructure.RequestSafety;

namespace TIBS.Cases.Web.Pages;

/// <summary>
/// The error page at its own address (<c>/Error?code=404</c>): the same page the error handler writes, without model
/// binding, database or layout, so that it cannot fail whatever was sent.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel(IStringLocalizer<Ui> t) : PageModel
{
    public IActionResult OnGet() => Describe();

    public IActionResult OnPost() => Describe();

    private ContentResult Describe()
    {
        var code = int.TryParse(Request.Query["code"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 400 and <= 599 ? c : 500;
        return Content(ErrorResponses.Html(code, requestId: code >= 500 ? HttpContext.TraceIdentifier : null, t: t), "text/html; charset=utf-8");
    }
}
