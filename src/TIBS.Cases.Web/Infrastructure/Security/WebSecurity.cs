using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>Sign-in and sessions, the key ring, and the HTTP hardening every response gets (see docs/decisions/0006).</summary>
internal static class WebSecurity
{
    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IServiceCollection AddTibsWebSecurity(this IServiceCollection services)
    {
        services.AddTibsHttpHardening();
        services.AddTibsKeyRing();
        services.AddTibsAccountSecurity();
        services.AddTibsSingleSignOn();
        return services;
    }

    /// <summary>First in the pipeline: forwarded headers, security headers, HSTS, Origin check, sign-in rate limit.</summary>
    public static WebApplication UseTibsWebSecurity(this WebApplication app)
    {
        app.UseTibsHttpHardening();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>/health: anonymous callers learn only the status; administrators also see the checks and their data.</summary>
    public static IEndpointConventionBuilder MapTibsHealth(this WebApplication app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).AllowAnonymous();

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        object body = context.User.IsInRole(Roles.Administrator)
            ? new
            {
                status = report.Status.ToString(),
                totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            }
            : new { status = report.Status.ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson));
    }
}
