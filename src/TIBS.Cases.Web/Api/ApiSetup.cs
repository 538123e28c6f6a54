using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Tokens;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// The REST API at <c>/api/v1</c> (see docs/decisions/0014-rest-api.md): Minimal API groups over Core's handlers,
/// personal access tokens as the only authentication, problem details for every error, a rate limit per token,
/// Idempotency-Key on POSTs, and the OpenAPI document with its reference page.
/// </summary>
internal static class ApiSetup
{
    public const string Prefix = "/api";

    /// <summary>Whether a request is for the API (problem details instead of pages, no cookie, no Origin check).</summary>
    public static bool IsApi(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    public static IServiceCollection AddTibsApi(this IServiceCollection services, IConfiguration configuration)
    {
        ApiRateLimit.Validate(services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AccessTokenAuthentication>(AccessTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, p => p.AddAuthenticationSchemes(AccessTokenAuthentication.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(ApiPolicies.Write, p => p.AddAuthenticationSchemes(AccessTokenAuthentication.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(AccessTokenAuthentication.ScopeClaim, TokenScopes.Write))
            .AddPolicy(ApiPolicies.Coordinator, p => p.AddAuthenticationSchemes(AccessTokenAuthentication.SchemeName).RequireAuthenticatedUser()
                .RequireRole(Roles.Coordinator));
        services.AddTibsOpenApi();
        services.AddTibsCaseApiExamples();
        return services;
    }

    /// <summary>
    /// The API's middleware (rate limit per token, idempotency keys; after authorization, so that the token is known)
    /// and its endpoints. Call after the request guard.
    /// </summary>
    public static WebApplication MapTibsApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.UseWhen(c => IsApi(c.Request.Path), api =>
        {
            api.UseRateLimiter(ApiRateLimit.Options(options));
            api.UseMiddleware<ApiIdempotency>();
        });

        var v1 = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiPolicies.Read)
            .Problems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        v1.MapProfile();
        v1.MapNotifications();
        v1.MapDefinitions();
        v1.MapCompanies();
        v1.MapPartners();
        v1.MapTracks();
        v1.MapCases();
        v1.MapAudits();
        v1.MapEventFeed();
        v1.MapExports();
        v1.MapIndicators();
        app.MapTibsApiDocumentation();
        return app;
    }
}
