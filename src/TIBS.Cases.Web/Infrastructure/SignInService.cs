using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Web.Infrastructure;

internal enum SignInStatus
{
    Succeeded,
    Failed,
    Throttled,
}

internal sealed record SignInResult(SignInStatus Status, ClaimsPrincipal? Principal = null, TimeSpan RetryAfter = default)
{
    /// <summary>What the sign-in page says; the same words for addresses that have an account and those that do not.</summary>
    public string? Message => Status switch
    {
        SignInStatus.Failed => SignInService.WrongCredentials,
        SignInStatus.Throttled => SignInThrottle.TooManyAttempts(RetryAfter),
        _ => null,
    };
}

/// <summary>
/// Checks a password. Every attempt that is not throttled costs one password-hash verification, whether the address
/// has an account or not, so neither the answer nor its time tells which addresses exist. Failures slow down later
/// attempts (<see cref="SignInThrottle"/>); a success starts a server-side session (<see cref="SessionService"/>).
/// </summary>
internal sealed class SignInService(IUserStore users, IPasswordHasher<UserAccount> hasher, SignInThrottle throttle, SessionService sessions)
{
    public const string RegionClaim = "tibs:region";
    public const string SecurityStampClaim = "tibs:stamp";
    public const string SessionClaim = "tibs:session";
    public const string WrongCredentials = "The e-mail address or password is not correct.";

    private static readonly UserAccount NoUser = new() { Id = Guid.Empty, Email = "", DisplayName = "", Role = "", PasswordHash = "", SecurityStamp = "" };
    private static readonly string DummyHash = new PasswordHasher<UserAccount>().HashPassword(NoUser, Guid.NewGuid().ToString());

    public async Task<SignInResult> PasswordSignInAsync(string email, string password, string? clientAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var wait = await throttle.WaitAsync(email, clientAddress, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return new SignInResult(SignInStatus.Throttled, RetryAfter: wait);
        }

        var user = await users.FindByEmailAsync(email, cancellationToken);
        var usable = user is { IsActive: true } && Roles.IsKnown(user.Role);
        var verification = usable
            ? hasher.VerifyHashedPassword(user!, user!.PasswordHash, password)
            : hasher.VerifyHashedPassword(NoUser, DummyHash, password);
        if (!usable || verification == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(email, clientAddress, cancellationToken);
            return new SignInResult(SignInStatus.Failed);
        }

        await throttle.RecordSuccessAsync(email, cancellationToken);
        var session = await sessions.StartAsync(user!.Id, userAgent, cancellationToken);
        return new SignInResult(SignInStatus.Succeeded, CreatePrincipal(user, session.Id));
    }

    public static ClaimsPrincipal CreatePrincipal(UserAccount user, Guid sessionId)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
            new(SecurityStampClaim, user.SecurityStamp),
            new(SessionClaim, sessionId.ToString()),
        };
        if (user.RegionCode is not null)
        {
            claims.Add(new Claim(RegionClaim, user.RegionCode));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
