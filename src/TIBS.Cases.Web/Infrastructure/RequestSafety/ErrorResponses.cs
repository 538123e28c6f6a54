using System.Net;
using System.Text;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Web.Infrastructure.Localization;

namespace TIBS.Cases.Web.Infrastructure.RequestSafety;

/// <summary>
/// The error page, written straight to the response: no model binding, no database, no layout, no view engine, so
/// that it still appears when the request was malformed or the database is gone.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>The title and plain message for a status code.</summary>
    public static (string Title, string Message) Describe(int status) => status switch
    {
        400 => ("Bad request", "The request was not understood. If you submitted a form, reload the page and try again."),
        401 => ("Sign-in needed", "Sign in to see this page."),
        403 => ("Not allowed", "Your role does not allow this."),
        404 => ("Not found", "There is nothing at this address, or it is not shared with you."),
        405 => ("Not possible here", "This page does not accept this kind of request."),
        408 => ("Too slow", "The request took too long to arrive. Try again."),
        409 => ("Changed meanwhile", "Someone changed this at the same time. Reload the page and try again."),
        413 => ("Too large", "What was sent is too large for this page."),
        414 => ("Address too long", "The address is too long."),
        415 => ("Not a form", "This page accepts only its own form."),
        429 => ("Too many requests", "Too many requests in a short time. Wait a moment and try again."),
        >= 400 and < 500 => ("Request refused", "The request could not be accepted."),
        503 => ("Not available", "The service is not available at the moment. Try again in a minute."),
        _ => ("Something went wrong", "The request could not be completed. Nothing you entered before this page was lost."),
    };

    /// <summary>
    /// A complete HTML page for the status, with <paramref name="message"/> instead of the usual text when given; in the
    /// current UI culture's language when <paramref name="t"/> is given, else in English (a message that is a key of the
    /// interface's resources is translated too; one already composed in the reader's language stays as it is).
    /// </summary>
    public static string Html(int status, string? message = null, string? requestId = null, IStringLocalizer? t = null)
    {
        var (title, usual) = Describe(status);
        string Text(string english) => t is null ? english : t[english];
        title = Text(title);
        usual = Text(usual);
        var html = new StringBuilder(1024)
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(t is null ? Languages.Default : Languages.Current).Append("\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append(" · TIBS.Cases</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"/lib/bootstrap/css/bootstrap.min.css\" />\n")
            .Append("<link rel=\"stylesheet\" href=\"/css/site.css\" />\n</head>\n<body>\n")
            .Append("<header class=\"topbar\"><a class=\"brand\" href=\"/\">TIBS<span>.Cases</span></a></header>\n")
            .Append("<main id=\"main\" class=\"container-xl py-4\">\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n")
            .Append("<p id=\"error-message\">").Append(WebUtility.HtmlEncode(message is null ? usual : Text(message))).Append("</p>\n");
        if (requestId is not null)
        {
            html.Append("<p class=\"muted\">").Append(WebUtility.HtmlEncode(Text("Request id:"))).Append(" <code>").Append(WebUtility.HtmlEncode(requestId)).Append("</code></p>\n");
        }

        return html.Append("<p><a href=\"/\">").Append(WebUtility.HtmlEncode(Text("Back to the start page"))).Append("</a></p>\n</main>\n</body>\n</html>\n").ToString();
    }

    /// <summary>
    /// Replaces the response with the error page for <paramref name="status"/>, unless the response has started (then
    /// nothing more can be said). Never throws for a client that went away.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, int status, string? message = null)
    {
        if (Api.ApiSetup.IsApi(context.Request.Path))
        {
            // The API answers every error with problem details, never with a page.
            await Api.ApiProblems.WriteAsync(context, status, message);
            return;
        }

        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.Clear();
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        try
        {
            // This runs outside request localisation: the page takes the reader's language itself.
            string page;
            using (CultureScope.Of(LocalizationSetup.RequestedLanguage(context)))
            {
                page = Html(status, message, status >= 500 ? context.TraceIdentifier : null, context.RequestServices.GetService<IStringLocalizer<Ui>>());
            }

            await response.WriteAsync(page, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client has gone; there is no one left to tell.
        }
    }
}
