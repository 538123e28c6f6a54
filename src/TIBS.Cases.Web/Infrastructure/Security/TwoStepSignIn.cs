using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.TwoStep;

namespace TIBS.Cases.Web.Infrastructure.Security;

/// <summary>The <c>Authentication</c> section: which roles must use two-step sign-in.</summary>
internal sealed class TwoStepOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The value that requires two-step sign-in of no role.</summary>
    public const string None = "none";

    /// <summary>Roles, separated by commas, that must set up two-step sign-in before they can use anything; <c>none</c> (or empty): none.</summary>
    public string? RequireTwoStepFor { get; set; } = $"{Roles.Administrator},{Roles.Coordinator}";

    /// <summary>The roles named; the rule that applies them is Core's <see cref="TwoStepRequirement"/>.</summary>
    public IReadOnlyList<string> RequiredRoles() =>
        [.. (RequireTwoStepFor ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant()).Where(r => r != None)];
}

/// <summary>
/// The host's part of two-step sign-in: TOTP secrets protected with Data Protection, the short-lived cookie of a
/// sign-in that still needs its code (never a session), and the 30-day cookie of a remembered device.
/// </summary>
internal sealed class TwoStepCookies(IDataProtectionProvider provider, TimeProvider time)
{
    public const string PendingCookie = "tibs.two-step";
    public const string DeviceCookiePrefix = "tibs.device.";
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DeviceLifetime = TimeSpan.FromDays(30);

    private readonly IDataProtector pending = provider.CreateProtector("TIBS.Cases.TwoStep.PendingSignIn.v1");
    private readonly IDataProtector device = provider.CreateProtector("TIBS.Cases.TwoStep.RememberedDevice.v1");

    /// <summary>A password that was right, waiting for its code (or, when <see cref="MustEnrol"/>, for enrolment).</summary>
    public sealed record PendingSignIn(Guid UserId, string SecurityStamp, string Email, bool MustEnrol, string? ReturnUrl);

    internal static void AddTibsTwoStep(IServiceCollection services)
    {
        services.AddOptions<TwoStepOptions>().BindConfiguration(TwoStepOptions.SectionName)
            .Validate(o => o.RequiredRoles().All(Roles.IsKnown),
                $"Authentication:RequireTwoStepFor lists roles separated by commas, each one of: {string.Join(", ", Roles.All)}; or none.")
            .ValidateOnStart();
        services.AddSingleton(sp => new TwoStepRequirement(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TwoStepOptions>>().Value.RequiredRoles()));
        services.AddSingleton<ITwoStepSecretProtector, SecretProtector>();
        services.AddSingleton<TwoStepCookies>();
    }

    public void SetPending(HttpContext context, PendingSignIn signIn)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signIn);
        var expires = time.GetUtcNow() + PendingLifetime;
        var payload = string.Join('\n', signIn.UserId.ToString("N"), signIn.SecurityStamp, signIn.Email, signIn.MustEnrol ? "enrol" : "code",
            expires.UtcTicks.ToString(CultureInfo.InvariantCulture), signIn.ReturnUrl ?? "");
        context.Response.Cookies.Append(PendingCookie, pending.Protect(payload), Options(context, null));
    }

    /// <summary>The pending sign-in of this browser, or null when there is none, it was tampered with or ran out.</summary>
    public PendingSignIn? ReadPending(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parts = Unprotect(pending, context.Request.Cookies[PendingCookie])?.Split('\n');
        return parts is { Length: 6 } && Guid.TryParse(parts[0], out var userId) && NotExpired(parts[4])
            ? new PendingSignIn(userId, parts[1], parts[2], parts[3] == "enrol", parts[5].Length == 0 ? null : parts[5])
            : null;
    }

    public static void ClearPending(HttpContext context) =>
        context?.Response.Cookies.Delete(PendingCookie, new CookieOptions { Path = "/account" });

    /// <summary>Remembers this browser for the user for 30 days; a new security stamp or a new enrolment ends it.</summary>
    public void RememberDevice(HttpContext context, UserAccount user, DateTimeOffset enabledAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var expires = time.GetUtcNow() + DeviceLifetime;
        var payload = string.Join('\n', user.Id.ToString("N"), user.SecurityStamp, enabledAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            expires.UtcTicks.ToString(CultureInfo.InvariantCulture));
        context.Response.Cookies.Append(DeviceCookiePrefix + user.Id.ToString("N"), device.Protect(payload), Options(context, expires));
    }

    /// <summary>Whether this browser was remembered for the user, since two-step sign-in was switched on at <paramref name="enabledAt"/>, with their current security stamp.</summary>
    public bool IsRememberedDevice(HttpContext context, UserAccount user, DateTimeOffset enabledAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var parts = Unprotect(device, context.Request.Cookies[DeviceCookiePrefix + user.Id.ToString("N")])?.Split('\n');
        return parts is { Length: 4 }
            && parts[0] == user.Id.ToString("N")
            && parts[1] == user.SecurityStamp
            && parts[2] == enabledAt.UtcTicks.ToString(CultureInfo.InvariantCulture)
            && NotExpired(parts[3]);
    }

    private bool NotExpired(string ticks) =>
        long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > time.GetUtcNow().UtcTicks;

    private static string? Unprotect(IDataProtector protector, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        Path = "/account",
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Expires = expires,
    };

    /// <summary>TOTP secrets for the database, under a purpose of their own.</summary>
    private sealed class SecretProtector(IDataProtectionProvider provider) : ITwoStepSecretProtector
    {
        private readonly IDataProtector protector = provider.CreateProtector("TIBS.Cases.TwoStep.Secret.v1");

        public string Protect(string secret) => protector.Protect(secret);

        public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
    }
}
