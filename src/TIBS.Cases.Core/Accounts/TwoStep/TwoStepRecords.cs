using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OtpNet;
using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Core.Accounts.TwoStep;

/// <summary>A user's two-step sign-in as stored: the secret only in its protected form.</summary>
public sealed record TwoStepRecord
{
    public required Guid UserId { get; init; }

    /// <summary>The TOTP secret as <see cref="ITwoStepSecretProtector"/> protected it; never the secret itself.</summary>
    public required string ProtectedSecret { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the user confirmed enrolment with a code; null while enrolment is not finished (no code is asked for).</summary>
    public DateTimeOffset? EnabledAt { get; init; }

    /// <summary>The time step of the last code accepted; a code of this step or an older one is refused.</summary>
    public long? LastUsedStep { get; init; }

    /// <summary>Recovery codes not used yet.</summary>
    public int RecoveryCodesLeft { get; init; }

    public bool IsEnabled => EnabledAt is not null;
}

/// <summary>Persistence of two-step sign-in. Every write that changes it also appends its administration log line, in one transaction.</summary>
public interface ITwoStepStore
{
    Task<TwoStepRecord?> FindAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Starts (or starts again) an enrolment that is not confirmed yet; false when two-step sign-in is on already.</summary>
    Task<bool> SavePendingAsync(Guid userId, string protectedSecret, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Switches on the pending enrolment of <paramref name="protectedSecret"/>, remembers <paramref name="usedStep"/>
    /// and replaces the recovery codes; false (nothing written) when that enrolment is no longer pending.
    /// </summary>
    Task<bool> EnableAsync(Guid userId, string protectedSecret, long usedStep, IReadOnlyList<string> recoveryCodeHashes, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the user's two-step sign-in and recovery codes; sets a new security stamp when one is given.</summary>
    Task RemoveAsync(Guid userId, string? newSecurityStamp, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    Task ReplaceRecoveryCodesAsync(Guid userId, IReadOnlyList<string> recoveryCodeHashes, DateTimeOffset now, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Remembers <paramref name="step"/> as used, only if no code of this or a later step was accepted before; false otherwise.</summary>
    Task<bool> TryUseStepAsync(Guid userId, long step, CancellationToken cancellationToken = default);

    /// <summary>Marks the recovery code used, only if it exists and was unused; false (nothing written) otherwise.</summary>
    Task<bool> TryUseRecoveryCodeAsync(Guid userId, string codeHash, DateTimeOffset now, AdministrationLogEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>Protects TOTP secrets for storage (the host uses ASP.NET Core Data Protection with a purpose of its own).</summary>
public interface ITwoStepSecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}

/// <summary>Secrets, codes and recovery codes of two-step sign-in (RFC 6238: 30-second steps, 6 digits, SHA-1).</summary>
internal static class TwoStepCodes
{
    public const string Issuer = "TIBS Cases";
    public const int RecoveryCodeCount = 10;

    /// <summary>A new secret: 20 random bytes in base32, as authenticator apps take it.</summary>
    public static string NewSecret() => Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20));

    /// <summary>The secret in groups of four characters, easier to type by hand.</summary>
    public static string Grouped(string secret) =>
        string.Join(' ', Enumerable.Range(0, (secret.Length + 3) / 4).Select(i => secret.Substring(i * 4, Math.Min(4, secret.Length - (i * 4)))));

    public static string EnrolmentUri(string email, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}";

    /// <summary>The digits typed, without spaces; null when it is not six digits.</summary>
    public static string? SixDigits(string? code)
    {
        var digits = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>The time step whose code <paramref name="code"/> is, within one step before or after <paramref name="now"/>; null when none.</summary>
    public static long? MatchingStep(string secret, string code, DateTimeOffset now)
    {
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }

    /// <summary>Ten new recovery codes such as <c>k7q2m-x9tbd</c> (50 random bits each).</summary>
    public static IReadOnlyList<string> NewRecoveryCodes()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        return [.. Enumerable.Range(0, RecoveryCodeCount).Select(_ =>
        {
            var chars = Enumerable.Range(0, 10).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
            return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
        })];
    }

    /// <summary>Whether what was typed looks like a recovery code rather than a six-digit code.</summary>
    public static bool LooksLikeRecoveryCode(string? code) => NormalizeRecoveryCode(code).Length == 10;

    /// <summary>The SHA-256 of a recovery code, ignoring case, spaces and dashes, bound to its user.</summary>
    public static string HashRecoveryCode(Guid userId, string? code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId.ToString("N") + ":" + NormalizeRecoveryCode(code))));

    private static string NormalizeRecoveryCode(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToLowerInvariant).ToArray());

    public static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
