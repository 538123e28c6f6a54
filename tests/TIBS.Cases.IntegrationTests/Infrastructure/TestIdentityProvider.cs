using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>
/// An OpenID Connect provider started inside a test: OpenIddict on Kestrel, HTTPS with a certificate made for the
/// test, on a free port; the authorization code flow with PKCE, no database (degraded mode: the test checks the
/// client and its secret itself). Whoever is "signed in" at the provider is <see cref="Person"/>: the authorization
/// endpoint answers at once for them, as a provider does for someone who signed in there already.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "tibs-cases";
    public const string ClientSecret = "test-client-secret";

    private readonly WebApplication app;
    private readonly X509Certificate2 certificate;

    /// <summary>The person the provider vouches for at the next sign-in.</summary>
    public sealed record ProviderPerson(string Subject, string? Email, bool? EmailVerified = true, params string[] Amr);

    public ProviderPerson Person { get; set; } = new("subject-1", "someone@tibs.example", true, "pwd");

    /// <summary>The provider's address (the issuer), such as https://127.0.0.1:41234/.</summary>
    public Uri Authority { get; }

    private TestIdentityProvider(WebApplication app, X509Certificate2 certificate, Uri authority)
    {
        this.app = app;
        this.certificate = certificate;
        Authority = authority;
    }

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var certificate = NewCertificate();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.Email, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.DisableAccessTokenEncryption();
            o.EnableDegradedMode();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
            o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }

                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Wrong client or secret.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        TestIdentityProvider? provider = null;
        app.MapGet("/connect/authorize", async context =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            var person = provider!.Person;
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, person.Subject);
            if (person.Email is not null)
            {
                identity.SetClaim(Claims.Email, person.Email);
            }

            if (person.EmailVerified is { } verified)
            {
                identity.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
            }

            if (person.Amr.Length > 0)
            {
                identity.SetClaims(Claims.AuthenticationMethodReference, [.. person.Amr]);
            }

            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            await context.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        });
        app.MapPost("/connect/token", async context =>
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            await context.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, code.Principal!);
        });
        await app.StartAsync();
        provider = new TestIdentityProvider(app, certificate, new Uri(app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        return provider;
    }

    /// <summary>An HTTP handler that trusts this provider's certificate (and no other), for the application's back channel and the test's browser.</summary>
    public HttpMessageHandler TrustingHandler(bool redirects = false) => new HttpClientHandler
    {
        AllowAutoRedirect = redirects,
        UseCookies = true,
        ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || (cert is not null && cert.Thumbprint == certificate.Thumbprint),
    };

    /// <summary>The settings that switch single sign-on on in the application, and nothing else.</summary>
    public Dictionary<string, string?> Settings(string displayName = "Keycloak") => new()
    {
        ["Authentication:OpenIdConnect:Authority"] = Authority.ToString(),
        ["Authentication:OpenIdConnect:ClientId"] = ClientId,
        ["Authentication:OpenIdConnect:ClientSecret"] = ClientSecret,
        ["Authentication:OpenIdConnect:DisplayName"] = displayName,
    };

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        certificate.Dispose();
    }

    private static X509Certificate2 NewCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=tibs-test-identity-provider", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }
}
