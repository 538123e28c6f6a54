using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>The <c>SignIn</c> section: how failed sign-ins slow down further attempts (there is no lockout).</summary>
internal sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    public int FreeFailuresPerAccount { get; set; } = 3;

    public int FreeFailuresPerAddress { get; set; } = 10;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ForgetFailuresAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Sign-in posts one client address may send per <see cref="AddressWindow"/> (ASP.NET Core rate limiter, per node).</summary>
    public int AddressPermitLimit { get; set; } = 20;

    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(1);

    public SignInThrottleSettings ToSettings() => new()
    {
        FreeFailuresPerAccount = FreeFailuresPerAccount,
        FreeFailuresPerAddress = FreeFailuresPerAddress,
        FirstDelay = FirstDelay,
        MaxDelay = MaxDelay,
        ForgetAfter = ForgetFailuresAfter,
    };
}

/// <summary>The <c>Sessions</c> section.</summary>
internal sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Sign-in, throttling, server-side sessions and the sign-in cookie.</summary>
internal static class AccountSecurity
{
    public const string CookieName = "tibs.auth";
    public const string SignInPath = "/account/sign-in";
    public const string TwoStepCodePath = "/account/two-step";

    public static void AddTibsAccountSecurity(this IServiceCollection services)
    {
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.SectionName)
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.AbsoluteLifetime >= o.IdleTimeout,
                "Sessions:IdleTimeout must be a positive time span such as 01:00:00, and Sessions:AbsoluteLifetime at least as long.")
            .ValidateOnStart();
        services.AddSingleton(sp => new SignInThrottle(
            sp.GetRequiredService<ISignInThrottleStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<SignInOptions>>().Value.ToSettings()));
        services.AddSingleton(sp => new SessionService(
            sp.GetRequiredService<IUserSessionStore>(), sp.GetRequiredService<TimeProvider>(),
            new SessionSettings { AbsoluteLifetime = sp.GetRequiredService<IOptions<SessionOptions>>().Value.AbsoluteLifetime }));
        TwoStepCookies.AddTibsTwoStep(services);
        services.AddSingleton<SignInService>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = SignInPath;
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the original request was HTTPS, also behind a TLS-terminating proxy (forwarded headers).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SessionOptions>>((o, sessions) => o.ExpireTimeSpan = sessions.Value.IdleTimeout);

        // Per client address, on the sign-in post only: a coarse limit per node in front of the shared throttle.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInOptions>>((o, signIn) =>
        {
            var settings = signIn.Value;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInPost(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context) ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.AddressPermitLimit,
                        Window = settings.AddressWindow,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : settings.AddressWindow;
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(SignInThrottle.TooManyAttempts(wait), cancellationToken);
            };
        });
    }

    /// <summary>The client's address as the app sees it after forwarded headers from known proxies.</summary>
    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    /// <summary>The posts that check a password or a two-step code.</summary>
    private static bool IsSignInPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.Path.Value?.TrimEnd('/') is { } path
        && (string.Equals(path, SignInPath, StringComparison.OrdinalIgnoreCase) || string.Equals(path, TwoStepCodePath, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Every request: the session named by the cookie must still be active (sign-out revokes it on every node), and its
    /// role one the system knows.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
        var active = Roles.IsKnown(principal?.FindFirstValue(ClaimTypes.Role))
            && Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && Guid.TryParse(principal?.FindFirstValue(SignInService.SessionClaim), out var sessionId)
            && await sessions.IsActiveAsync(sessionId, userId, principal?.FindFirstValue(SignInService.SecurityStampClaim) ?? "", context.HttpContext.RequestAborted);
        if (!active)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
    {
        public ValidateOptionsResult Validate(string? name, SignInOptions options)
        {
            var problems = options.ToSettings().Problems(SignInOptions.SectionName).ToList();
            if (options.AddressPermitLimit < 1)
            {
                problems.Add("SignIn:AddressPermitLimit must be at least 1.");
            }

            if (options.AddressWindow <= TimeSpan.Zero)
            {
                problems.Add("SignIn:AddressWindow must be a positive time span such as 00:01:00.");
            }

            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
