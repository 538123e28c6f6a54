using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.TwoStep;
using TIBS.Cases.Web.Infrastructure.Security;

namespace TIBS.Cases.Web.Infrastructure;

internal enum SignInStatus
{
    Succeeded,
    Failed,
    Throttled,

    /// <summary>The password was right; the user has two-step sign-in and must give a code (no session yet).</summary>
    CodeRequired,

    /// <summary>The password was right; the user's role requires two-step sign-in and they must set it up first (no session yet).</summary>
    EnrolmentRequired,
}

internal sealed record SignInResult(SignInStatus Status, ClaimsPrincipal? Principal = null, TimeSpan RetryAfter = default)
{
    /// <summary>The user whose password was right, when a second step follows.</summary>
    public UserAccount? User { get; init; }

    /// <summary>Words that replace the usual message (a refused code).</summary>
    public string? Detail { get; init; }

    /// <summary>Recovery codes left after one was used to sign in.</summary>
    public int? RecoveryCodesLeft { get; init; }

    /// <summary>What the sign-in page says; the same words for addresses that have an account and those that do not.</summary>
    public string? Message => Detail ?? Status switch
    {
        SignInStatus.Throttled => SignInThrottle.TooManyAttempts(RetryAfter),
        _ => null,
    };
}

/// <summary>
/// Checks a password. Every attempt that is not throttled costs one password-hash verification, whether the address
/// has an account or not, so neither the answer nor its time tells which addresses exist. Failures slow down later
/// attempts (<see cref="SignInThrottle"/>); a success starts a server-side session (<see cref="SessionService"/>),
/// unless a second step follows: the code of a user with two-step sign-in (not on a remembered device), or enrolment
/// when their role requires it (decision 0040). Wrong codes count like wrong passwords.
/// </summary>
internal sealed class SignInService(
    IUserStore users, IPasswordHasher<UserAccount> hasher, SignInThrottle throttle, SessionService sessions,
    GetTwoStepStatus twoStep, CheckTwoStepCode checkCode, TwoStepRequirement twoStepRequirement, IStringLocalizer<Ui> t)
{
    /// <summary>
    /// One claim per region the user covers, the home region first. Claims, not a read per request: the regions change
    /// only through an administrator, and that writes a new security stamp, so the next request ends the session and the
    /// user signs in again with claims that match (decision 0037).
    /// </summary>
    public const string RegionClaim = "tibs:region";
    public const string SecurityStampClaim = "tibs:stamp";
    public const string SessionClaim = "tibs:session";

    /// <summary>The refusal of a wrong e-mail address or password, in the reader's language.</summary>
    public string WrongCredentials => t["The e-mail address or password is not correct."];

    private static readonly UserAccount NoUser = new() { Id = Guid.Empty, Email = "", DisplayName = "", Role = "", PasswordHash = "", SecurityStamp = "" };
    private static readonly string DummyHash = new PasswordHasher<UserAccount>().HashPassword(NoUser, Guid.NewGuid().ToString());

    /// <param name="rememberedDevice">Whether this browser is remembered for the user since two-step sign-in was switched on at the given time: the code is not asked.</param>
    public async Task<SignInResult> PasswordSignInAsync(
        string email, string password, string? clientAddress, string? userAgent, Func<UserAccount, DateTimeOffset, bool> rememberedDevice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rememberedDevice);
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
            return new SignInResult(SignInStatus.Failed) { Detail = WrongCredentials };
        }

        // The account's failures are cleared only when the whole sign-in succeeds: a known password does not reset the count of wrong codes.
        return await SecondStepAsync(user!, email, userAgent, rememberedDevice, cancellationToken);
    }

    /// <summary>
    /// A user whom the single sign-on provider vouched for (<see cref="Core.Accounts.SingleSignOn.SignInWithProvider"/>):
    /// when the provider says it asked for a second factor (amr contains "mfa") that counts as the second step;
    /// otherwise the user's own code or enrolment is asked as after a password (decision 0042).
    /// </summary>
    public async Task<SignInResult> ProviderSignInAsync(
        UserAccount user, bool providerMfa, string? userAgent, Func<UserAccount, DateTimeOffset, bool> rememberedDevice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(rememberedDevice);
        return providerMfa
            ? await CompleteAsync(user, user.Email, userAgent, cancellationToken)
            : await SecondStepAsync(user, user.Email, userAgent, rememberedDevice, cancellationToken);
    }

    /// <summary>The code of a user with two-step sign-in (not on a remembered device), enrolment when their role requires it, or the session.</summary>
    private async Task<SignInResult> SecondStepAsync(
        UserAccount user, string email, string? userAgent, Func<UserAccount, DateTimeOffset, bool> rememberedDevice, CancellationToken cancellationToken)
    {
        var status = await twoStep.HandleAsync(new GetTwoStepStatus.Request(), user.AsActor(), cancellationToken);
        if (status is { Enabled: true, EnabledAt: { } enabledAt } && !rememberedDevice(user, enabledAt))
        {
            return new SignInResult(SignInStatus.CodeRequired) { User = user };
        }

        if (status is not { Enabled: true } && twoStepRequirement.IsRequiredFor(user.Role))
        {
            return new SignInResult(SignInStatus.EnrolmentRequired) { User = user };
        }

        return await CompleteAsync(user, email, userAgent, cancellationToken);
    }

    /// <summary>
    /// The second step: the code (or a recovery code) of the user whose password was right. Throttled and counted
    /// like a password: wrong codes slow down further attempts under the account's address and the client's address.
    /// </summary>
    public async Task<SignInResult> CodeSignInAsync(TwoStepCookies.PendingSignIn pending, string? code, string? clientAddress, string? userAgent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var wait = await throttle.WaitAsync(pending.Email, clientAddress, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return new SignInResult(SignInStatus.Throttled, RetryAfter: wait);
        }

        var user = await PendingUserAsync(pending, cancellationToken);
        if (user is null)
        {
            return new SignInResult(SignInStatus.Failed) { Detail = SignInAgain };
        }

        var checkedCode = await checkCode.HandleAsync(new CheckTwoStepCode.Request(user.Id, code), cancellationToken);
        if (!checkedCode.Accepted)
        {
            await throttle.RecordFailureAsync(pending.Email, clientAddress, cancellationToken);
            return new SignInResult(SignInStatus.Failed) { Detail = checkedCode.Message, User = user };
        }

        var result = await CompleteAsync(user, pending.Email, userAgent, cancellationToken);
        return checkedCode.Outcome == TwoStepCodeOutcome.AcceptedRecoveryCode ? result with { RecoveryCodesLeft = checkedCode.RecoveryCodesLeft } : result;
    }

    /// <summary>Signs in a user who was sent to enrolment, once two-step sign-in is on for them.</summary>
    public async Task<SignInResult> EnrolledSignInAsync(TwoStepCookies.PendingSignIn pending, string? userAgent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var user = await PendingUserAsync(pending, cancellationToken);
        var status = user is null ? null : await twoStep.HandleAsync(new GetTwoStepStatus.Request(), user.AsActor(), cancellationToken);
        return status is { Enabled: true }
            ? await CompleteAsync(user!, pending.Email, userAgent, cancellationToken)
            : new SignInResult(SignInStatus.Failed) { Detail = SignInAgain };
    }

    /// <summary>Why a pending sign-in is no longer valid, in the reader's language.</summary>
    public string SignInAgain => t["Your sign-in ran out or your account changed: sign in again with your password."];

    /// <summary>The user of a pending sign-in while it still holds: active, a known role, the same security stamp.</summary>
    public async Task<UserAccount?> PendingUserAsync(TwoStepCookies.PendingSignIn pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var user = await users.FindByIdAsync(pending.UserId, cancellationToken);
        return user is { IsActive: true } && Roles.IsKnown(user.Role) && user.SecurityStamp == pending.SecurityStamp ? user : null;
    }

    private async Task<SignInResult> CompleteAsync(UserAccount user, string email, string? userAgent, CancellationToken cancellationToken)
    {
        await throttle.RecordSuccessAsync(email, cancellationToken);
        var session = await sessions.StartAsync(user.Id, userAgent, cancellationToken);
        return new SignInResult(SignInStatus.Succeeded, CreatePrincipal(user, session.Id)) { User = user };
    }

    /// <summary>
    /// A new principal for the same session with the user as stored now (name, security stamp after a password change):
    /// the session that made a change stays signed in. Null when the user or the session claim is gone.
    /// </summary>
    public async Task<ClaimsPrincipal?> RenewAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(SessionClaim), out var sessionId)
            || await users.FindByIdAsync(userId, cancellationToken) is not { IsActive: true } user)
        {
            return null;
        }

        return CreatePrincipal(user, sessionId);
    }

    /// <summary>The region claims of <paramref name="user"/>: every region they cover, the home region first.</summary>
    public static IEnumerable<Claim> RegionClaims(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.CoveredRegions.Select(r => new Claim(RegionClaim, r));
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
        claims.AddRange(RegionClaims(user));
        if (user.Language is { } language)
        {
            claims.Add(new Claim(Localization.LocalizationSetup.LanguageClaim, language));
        }

        if (user.TimeZone is { } zone)
        {
            claims.Add(new Claim(Localization.LocalizationSetup.TimeZoneClaim, zone));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
