using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Prometheus;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Web.Infrastructure.Observability;

/// <summary><c>/metrics</c>: the scrape endpoint, refused to anyone the configuration does not let in.</summary>
internal static class PrometheusEndpoint
{
    public static void MapTibsMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }

        var exposition = app.Services.GetRequiredService<PrometheusExposition>();
        var endpoint = app.MapGet("/metrics", async context =>
        {
            if (!Allowed(context, options))
            {
                context.Response.StatusCode = context.User.Identity?.IsAuthenticated == true ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
                return;
            }

            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await exposition.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        }).AllowAnonymous().ExcludeFromDescription();
        if (options.Port is { } port)
        {
            endpoint.RequireHost($"*:{port}");
        }
    }

    /// <summary>On its own port: whoever reaches it. Otherwise administrators, or the configured bearer token.</summary>
    private static bool Allowed(HttpContext context, MetricsOptions options) =>
        options.Port is not null
        || context.User.IsInRole(Roles.Administrator)
        || BearerMatches(context, options.Token);

    /// <summary>Whether the request carries <c>Authorization: Bearer <paramref name="token"/></c> (compared in fixed time).</summary>
    public static bool BearerMatches(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
