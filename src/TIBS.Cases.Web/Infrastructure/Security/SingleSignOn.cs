using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>
/// The <c>Authentication:OpenIdConnect</c> section: optional sign-in with a programme's OpenID Connect provider
/// (Entra ID, Keycloak), decision 0042. Without <see cref="Authority"/> the feature is off and nothing of it shows.
/// </summary>
internal sealed class SingleSignOnOptions
{
    public const string SectionName = "Authentication:OpenIdConnect";

    /// <summary>The provider's issuer address, such as https://login.microsoftonline.com/&lt;tenant&gt;/v2.0.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The provider's name as users know it: the button reads "Sign in with …".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>Scopes asked for, separated by spaces or commas; openid is always asked for.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>The claim of the ID token that holds the e-mail address matched to a user.</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>Refuse when the provider sends email_verified and it is not true.</summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public string ButtonText => $"Sign in with {DisplayName}";

    public IReadOnlyList<string> ScopeList() =>
        [.. new[] { OpenIdConnectScope.OpenId }.Concat(Scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)];
}

/// <summary>What the provider said about the person, read from the ID token.</summary>
internal sealed record ProviderIdentity(string Issuer, string Subject, string? Email, bool? EmailVerified, bool Mfa);

/// <summary>The OpenID Connect handler and the short-lived cookie that carries its answer to the sign-in page model.</summary>
internal static class SingleSignOn
{
    public const string Scheme = "oidc";
    public const string ExternalCookie = "tibs.external";
    public const string StartPath = "/account/single-sign-on";

    internal static void AddTibsSingleSignOn(this IServiceCollection services)
    {
        services.AddOptions<SingleSignOnOptions>().BindConfiguration(SingleSignOnOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SingleSignOnOptions>, Validator>();

        // Registered always (the settings are read once the host is built); without an Authority the schemes are removed again.
        services.AddSingleton<IAuthenticationSchemeProvider, SchemeProvider>();
        services.AddAuthentication()
            .AddCookie(ExternalCookie, o =>
            {
                o.Cookie.Name = ExternalCookie;
                o.Cookie.Path = "/account";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddOpenIdConnect(Scheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<SingleSignOnOptions>>((o, settings) => Configure(o, settings.Value));
    }

    private static void Configure(OpenIdConnectOptions o, SingleSignOnOptions settings)
    {
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
        o.RequireHttpsMetadata = new Uri(settings.Authority!).Scheme == Uri.UriSchemeHttps;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;

        // The answer comes back as a top-level GET (not a cross-site form post, which the Origin check refuses), so
        // the correlation cookies can be SameSite=Lax; Secure whenever the request is HTTPS.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.SignInScheme = ExternalCookie;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.Scope.Clear();
        foreach (var scope in settings.ScopeList())
        {
            o.Scope.Add(scope);
        }

        o.Events.OnRemoteFailure = context =>
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOn))
                .LogWarning(context.Failure, "Sign-in with {Provider} did not finish", settings.DisplayName);
            var tempData = context.HttpContext.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(context.HttpContext);
            var t = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Ui>>();
            tempData["SignInMessage"] = t["Signing in with {0} did not finish: it was cancelled, ran out or was refused there. Try again, or sign in with your password.", settings.DisplayName].Value;
            tempData.Save();
            context.Response.Redirect(AccountSecurity.SignInPath);
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>The person in the provider's answer; the issuer is the one the ID token names (its claims carry it).</summary>
    public static ProviderIdentity Identity(ClaimsPrincipal principal, SingleSignOnOptions settings)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(settings);
        var subject = principal.FindFirst("sub");
        var issuer = subject is null || subject.Issuer == ClaimsIdentity.DefaultIssuer ? settings.Authority!.TrimEnd('/') : subject.Issuer;
        var verified = principal.FindFirst("email_verified")?.Value;
        return new ProviderIdentity(
            issuer,
            subject?.Value ?? "",
            principal.FindFirst(settings.EmailClaim)?.Value,
            verified is null ? null : string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase),
            principal.FindAll("amr").Any(c => string.Equals(c.Value, "mfa", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The authentication schemes, without those of single sign-on when it is off: nothing of it answers then.</summary>
    private sealed class SchemeProvider : AuthenticationSchemeProvider
    {
        public SchemeProvider(IOptions<AuthenticationOptions> options, IOptions<SingleSignOnOptions> settings)
            : base(options)
        {
            if (!settings.Value.Enabled)
            {
                RemoveScheme(Scheme);
                RemoveScheme(ExternalCookie);
            }
        }
    }

    /// <summary>Clear words at start-up for settings that cannot work.</summary>
    private sealed class Validator(IHostEnvironment environment) : IValidateOptions<SingleSignOnOptions>
    {
        public ValidateOptionsResult Validate(string? name, SingleSignOnOptions options)
        {
            if (!options.Enabled)
            {
                return ValidateOptionsResult.Success;
            }

            const string section = SingleSignOnOptions.SectionName;
            var problems = new List<string>();
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add($"{section}:Authority must be the address of the identity provider, such as https://login.microsoftonline.com/<tenant id>/v2.0 or https://keycloak.example.org/realms/<realm>; it is \"{options.Authority}\".");
            }
            else if (authority.Scheme != Uri.UriSchemeHttps && !environment.IsDevelopment())
            {
                problems.Add($"{section}:Authority must start with https:// (plain http:// is accepted only in Development); it is \"{options.Authority}\".");
            }

            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                problems.Add($"{section}:ClientId is required when Authority is set: the application (client) id registered for TIBS.Cases at the identity provider.");
            }

            if (string.IsNullOrWhiteSpace(options.DisplayName))
            {
                problems.Add($"{section}:DisplayName must name the provider as users know it, such as Entra ID; the button reads \"Sign in with\" and the name.");
            }

            if (string.IsNullOrWhiteSpace(options.EmailClaim))
            {
                problems.Add($"{section}:EmailClaim must name the claim of the ID token that holds the e-mail address (usually email).");
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
