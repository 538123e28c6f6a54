using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>
/// The <c>ForwardedHeaders</c> section: the reverse proxies (TLS terminators, load balancers) whose
/// X-Forwarded-For/-Proto/-Host headers are believed. Headers from any other sender are ignored.
/// </summary>
internal sealed class ProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of single proxies, such as 10.0.0.5.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks in CIDR notation, such as 10.0.0.0/8.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// What every response carries and every request passes, in front of everything else: forwarded headers from known
/// proxies, HSTS outside Development, security headers with a Content-Security-Policy, and the Origin/Referer check
/// of unsafe requests. Also removes Kestrel's Server header.
/// </summary>
internal static class HttpHardening
{
    private const string NonceKey = "tibs:csp-nonce";

    /// <summary>The nonce an inline &lt;script nonce="…"&gt; of this response must carry.</summary>
    public static string CspNonce(this HttpContext context) => context.Items[NonceKey] as string ?? "";

    internal static void AddTibsHttpHardening(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxies) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var address in proxies.Value.KnownProxies)
            {
                if (IPAddress.TryParse(address, out var ip))
                {
                    o.KnownProxies.Add(ip);
                }
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    o.KnownIPNetworks.Add(parsed);
                }
            }
        });
    }

    internal static void UseTibsHttpHardening(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use(AddSecurityHeaders);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use(CheckOriginAsync);
    }

    private static Task AddSecurityHeaders(HttpContext context, RequestDelegate next)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        // Decided now: the dashboard's own middleware moves "/jobs" from the path into the path base.
        var jobsDashboard = context.Request.Path.StartsWithSegments("/jobs", StringComparison.OrdinalIgnoreCase);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = jobsDashboard
                ? JobsDashboardPolicy
                : $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; {Common}";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>Directives every policy has: no plugins, no framing (clickjacking), no foreign base or form targets.</summary>
    private const string Common = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The Hangfire dashboard (administrators only) needs its inline scripts and styles; it still may not be framed.</summary>
    private const string JobsDashboardPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " + Common;

    /// <summary>
    /// A second line behind the antiforgery token: an unsafe request whose Origin (or, without it, Referer) names
    /// another site is refused. Requests with neither (scripts, monitoring) pass, as OWASP suggests.
    /// </summary>
    private static async Task CheckOriginAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        // The API is authenticated by bearer tokens only, never by the cookie: a foreign Origin can forge nothing there.
        if (Api.ApiSetup.IsApi(request.Path) || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            await next(context);
            return;
        }

        var origin = request.Headers.Origin.ToString();
        var source = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        if (source.Length == 0 || IsSameOrigin(source, request))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        const string Refused = "This form was sent from another site and was refused. Open the page on this site and send the form again.";
        var t = context.RequestServices.GetService<IStringLocalizer<Ui>>();
        await context.Response.WriteAsync(t is null ? Refused : t[Refused], context.RequestAborted);
    }

    internal static bool IsSameOrigin(string source, HttpRequest request)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var from) || !request.Host.HasValue
            || !Uri.TryCreate($"{request.Scheme}://{request.Host.Value}/", UriKind.Absolute, out var here))
        {
            return false;
        }

        return string.Equals(from.Scheme, here.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(from.IdnHost, here.IdnHost, StringComparison.OrdinalIgnoreCase)
            && from.Port == here.Port;
    }

    private sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
        {
            var problems = options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
                .Select(p => $"ForwardedHeaders:KnownProxies has '{p}', which is not an IP address such as 10.0.0.5.")
                .Concat(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                    .Select(n => $"ForwardedHeaders:KnownNetworks has '{n}', which is not a network in CIDR notation such as 10.0.0.0/8."))
                .ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
