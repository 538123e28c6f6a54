using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// The API's only authentication: <c>Authorization: Bearer tibs_…</c>, a personal access token. The sign-in cookie
/// never authenticates the API (so the API has no cross-site request forgery surface); a refusal is a problem
/// details document, never a redirect to the sign-in page.
/// </summary>
internal sealed class AccessTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthenticateAccessToken authenticate)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";
    public const string TokenIdClaim = "tibs:token";
    public const string ScopeClaim = "scope";

    public const string HowToAuthenticate =
        "Send a personal access token as 'Authorization: Bearer <token>'. Create one on your Preferences page; the sign-in cookie does not authenticate the API.";

    private const string ProblemKey = "tibs:token-problem";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await authenticate.HandleAsync(new AuthenticateAccessToken.Request(header[7..].Trim()), Context.RequestAborted);
        if (!result.Succeeded)
        {
            Context.Items[ProblemKey] = result.Problem;
            return AuthenticateResult.Fail(result.Problem ?? "The access token is not valid.");
        }

        var user = result.User!;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
            new(TokenIdClaim, result.Token!.Id.ToString()),
        };
        claims.AddRange(SignInService.RegionClaims(user));
        claims.AddRange(TokenScopes.All.Where(s => TokenScopes.Allows(result.Token.Scopes, s)).Select(s => new Claim(ScopeClaim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var problem = Context.Items[ProblemKey] as string;
        Response.Headers.WWWAuthenticate = problem is null ? "Bearer realm=\"tibs\"" : "Bearer realm=\"tibs\", error=\"invalid_token\"";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, problem is null ? HowToAuthenticate : $"{problem} {HowToAuthenticate}");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needsWrite = Context.GetEndpoint()?.Metadata.GetMetadata<WriteScopeMetadata>() is not null;
        var detail = needsWrite && !Context.User.HasClaim(ScopeClaim, TokenScopes.Write)
            ? "This token may only read. Create a token with the 'write' scope on your Preferences page to change things."
            : "Your role does not allow this.";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, detail);
    }
}

/// <summary>Marks an endpoint that changes something: it needs a token with the <c>write</c> scope.</summary>
internal sealed class WriteScopeMetadata;
