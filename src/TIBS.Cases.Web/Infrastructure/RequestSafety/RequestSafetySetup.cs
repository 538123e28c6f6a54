using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TIBS.Cases.Web.Infrastructure.RequestSafety;

/// <summary>Wiring of the request limits, the request guard and the error page that cannot fail.</summary>
internal static class RequestSafetySetup
{
    public static IServiceCollection AddTibsRequestSafety(this IServiceCollection services)
    {
        // Request bodies are small unless a page accepts uploads (RequestGuard raises the limit for those).
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = RequestLimits.MaxFormBodyBytes);
        services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = RequestLimits.MaxValueLength;
            o.KeyLengthLimit = RequestLimits.MaxKeyLength;
            o.ValueCountLimit = RequestLimits.MaxValueCount;
        });
        // The API's endpoints throw for a parameter or body they cannot bind, so that the error can say which one and why
        // (BindingErrors) instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<MvcOptions>(o =>
        {
            // The pages use plain field names (Input.Name, partners[0].country); the jQuery-style providers would turn a
            // malformed name such as "a[" into an exception on every POST and GET.
            o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
            o.Filters.Add<UnknownHandlerFilter>();
        });
        return services;
    }

    /// <summary>
    /// The error page for exceptions and for empty 4xx/5xx responses, then the request guard. Call before routing's
    /// consumers (authentication, pages, the job dashboard).
    /// </summary>
    public static WebApplication UseTibsErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var error = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
                var client = error is null ? null : RequestGuard.ClientError(error);
                return ErrorResponses.WriteAsync(context, client?.Status ?? StatusCodes.Status500InternalServerError, client?.Message);
            },
        });
        app.UseStatusCodePages(context => ErrorResponses.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
        return app;
    }

    /// <summary>The request guard; after authorization so that anonymous requests to closed pages are refused before their body is read.</summary>
    public static WebApplication UseTibsRequestGuard(this WebApplication app)
    {
        app.UseMiddleware<RequestGuard>();

        // The job dashboard reads a form on some of its routes whatever the request (GET /jobs/stats, a POST of JSON):
        // give it an empty one when the request has none, so that it answers instead of failing.
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments("/jobs", StringComparison.OrdinalIgnoreCase) && !c.Request.HasFormContentType,
            b => b.Use((c, next) =>
            {
                c.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
                return next(c);
            }));
        return app;
    }
}
