using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Localization;

namespace TIBS.Cases.Web.Infrastructure.RequestSafety;

/// <summary>
/// A request that names no handler of the page it reaches (an unknown or missing <c>handler</c>, or a method the page
/// has no handler for) is refused with a 400 before the page runs: without its handler a page has loaded nothing
/// and would fail while rendering.
/// </summary>
internal sealed class UnknownHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is null && context.ActionDescriptor.HandlerMethods.Count > 0)
        {
            var named = context.HttpContext.Request.Query.ContainsKey("handler") || context.RouteData.Values.ContainsKey("handler")
                || (context.HttpContext.Request.HasFormContentType && context.HttpContext.Request.Form.ContainsKey("handler"));
            var status = named ? StatusCodes.Status400BadRequest : StatusCodes.Status405MethodNotAllowed;
            var t = context.HttpContext.RequestServices.GetService<IStringLocalizer<Ui>>();
            var message = named
                ? "This page has no such action. Reload the page and use its buttons."
                : "This page does not accept this kind of request. Reload the page and use its buttons.";
            context.Result = new ContentResult
            {
                StatusCode = status,
                ContentType = "text/html; charset=utf-8",
                Content = ErrorResponses.Html(status, t is null ? message : t[message], t: t),
            };
            return;
        }

        await next();
    }
}
