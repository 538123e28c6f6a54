using System.Globalization;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts;

/// <summary>How sign-in failures slow down the next attempt. There is no lockout by failures alone.</summary>
public sealed record SignInThrottleSettings
{
    /// <summary>Failures for one submitted e-mail address before each further attempt must wait.</summary>
    public int FreeFailuresPerAccount { get; init; } = 3;

    /// <summary>Failures from one client address (any e-mail) before each further attempt must wait.</summary>
    public int FreeFailuresPerAddress { get; init; } = 10;

    /// <summary>The first wait; it doubles with every further failure.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait, however many failures there were.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A failure older than this no longer counts.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Problems of the settings, each naming the setting (empty when they are usable).</summary>
    public IEnumerable<string> Problems(string section)
    {
        if (FreeFailuresPerAccount < 1)
        {
            yield return $"{section}:FreeFailuresPerAccount must be at least 1.";
        }

        if (FreeFailuresPerAddress < 1)
        {
            yield return $"{section}:FreeFailuresPerAddress must be at least 1.";
        }

        if (FirstDelay <= TimeSpan.Zero)
        {
            yield return $"{section}:FirstDelay must be a positive time span such as 00:00:01.";
        }

        if (MaxDelay < FirstDelay || MaxDelay > TimeSpan.FromMinutes(15))
        {
            yield return $"{section}:MaxDelay must be at least {section}:FirstDelay and at most 00:15:00 (a longer wait would amount to a lockout).";
        }

        if (ForgetAfter < MaxDelay)
        {
            yield return $"{section}:ForgetAfter must be at least {section}:MaxDelay.";
        }
    }
}

/// <summary>Failed sign-ins counted under one key (a submitted e-mail address or a client address).</summary>
public sealed record SignInFailures(string Key, int Failures, DateTimeOffset LastFailureAt);

/// <summary>Failure counts shared by every web node.</summary>
public interface ISignInThrottleStore
{
    Task<IReadOnlyList<SignInFailures>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Counts one more failure under <paramref name="key"/>; failures before <paramref name="forgetBefore"/> start over at one.</summary>
    Task RecordFailureAsync(string key, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default);

    Task ResetAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>
/// Growing, capped delays after failed sign-ins, per submitted e-mail address and per client address. Keys are
/// the normalised e-mail as typed, never a user id, so an address that has no account is slowed down exactly like
/// one that has: the answer tells nothing about which addresses exist, and an attacker can delay but never lock out
/// a real user.
/// </summary>
public sealed class SignInThrottle(ISignInThrottleStore store, TimeProvider time, SignInThrottleSettings settings)
{
    public static string AccountKey(string email) => "account:" + UserAccount.NormalizeEmail(email);

    public static string AddressKey(string? clientAddress) => "address:" + (string.IsNullOrWhiteSpace(clientAddress) ? "unknown" : clientAddress.Trim());

    /// <summary>The wait that follows <paramref name="failures"/> failures when the first <paramref name="free"/> cost nothing.</summary>
    public static TimeSpan DelayAfter(int failures, int free, SignInThrottleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (failures < free)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - free, 30);
        var delay = settings.FirstDelay * Math.Pow(2, doublings);
        return delay > settings.MaxDelay ? settings.MaxDelay : delay;
    }

    /// <summary>How long the caller must still wait before this attempt may be checked (zero: go ahead).</summary>
    public async Task<TimeSpan> WaitAsync(string email, string? clientAddress, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var account = AccountKey(email);
        var entries = await store.GetAsync([account, AddressKey(clientAddress)], cancellationToken);
        var wait = TimeSpan.Zero;
        foreach (var e in entries.Where(e => e.LastFailureAt > now - settings.ForgetAfter))
        {
            var free = e.Key == account ? settings.FreeFailuresPerAccount : settings.FreeFailuresPerAddress;
            var left = e.LastFailureAt + DelayAfter(e.Failures, free, settings) - now;
            if (left > wait)
            {
                wait = left;
            }
        }

        return wait;
    }

    public async Task RecordFailureAsync(string email, string? clientAddress, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await store.RecordFailureAsync(AccountKey(email), now, now - settings.ForgetAfter, cancellationToken);
        await store.RecordFailureAsync(AddressKey(clientAddress), now, now - settings.ForgetAfter, cancellationToken);
    }

    /// <summary>A successful sign-in clears the account's failures (not the client address's).</summary>
    public Task RecordSuccessAsync(string email, CancellationToken cancellationToken = default) =>
        store.ResetAsync(AccountKey(email), cancellationToken);

    /// <summary>The message for a throttled attempt: the same whether or not the address has an account.</summary>
    public static string TooManyAttempts(TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return seconds == 1 ? Localized.Text("Too many attempts, try again in 1 second.") : Localized.Format("Too many attempts, try again in {0} seconds.", seconds);
    }
}
