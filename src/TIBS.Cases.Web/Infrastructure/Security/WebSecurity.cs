namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>Sign-in and sessions, the key ring, and the HTTP hardening every response gets (see docs/decisions/0006).</summary>
internal static class WebSecurity
{
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
}
