using System.Security.Cryptography;
using System.Text;

namespace TIBS.Cases.Core.Accounts.Tokens;

/// <summary>What a personal access token allows on top of its user's own rights: reading only, or reading and writing.</summary>
public static class TokenScopes
{
    public const string Read = "read";
    public const string Write = "write";

    public static IReadOnlyList<string> All { get; } = [Read, Write];

    /// <summary>The stored scopes of a token created with <paramref name="scope"/>: write includes read.</summary>
    public static string Stored(string scope) => scope == Write ? "read write" : Read;

    public static bool Allows(string storedScopes, string scope) =>
        (storedScopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}

/// <summary>A personal access token as stored: never its secret, only the secret's SHA-256.</summary>
public sealed record AccessTokenRecord
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public required string Name { get; init; }
    public required string SecretHash { get; init; }
    public required string Scopes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public bool CanWrite => TokenScopes.Allows(Scopes, TokenScopes.Write);

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>Persistence of personal access tokens.</summary>
public interface IAccessTokenStore
{
    Task InsertAsync(AccessTokenRecord token, CancellationToken cancellationToken = default);

    Task<AccessTokenRecord?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The user's tokens, newest first, revoked and expired ones included.</summary>
    Task<IReadOnlyList<AccessTokenRecord>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes one of the user's tokens; false when it is not theirs or was revoked already.</summary>
    Task<bool> RevokeAsync(Guid id, Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task TouchAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// The text of a token: <c>tibs_</c>, the token's id (32 hex digits), <c>_</c>, and a random 32-byte secret in
/// base64url. The id finds the row; the secret is compared by its SHA-256 in constant time.
/// </summary>
internal static class AccessTokenText
{
    public const string Prefix = "tibs_";

    public static string Format(Guid id, ReadOnlySpan<byte> secret) =>
        Prefix + id.ToString("N") + "_" + Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The id and the hash of the secret of a token text, or false when the text is not a token.</summary>
    public static bool TryParse(string? text, out Guid id, out string secretHash)
    {
        id = Guid.Empty;
        secretHash = "";
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length < Prefix.Length + 34 || text.Length > 200
            || text[Prefix.Length + 32] != '_' || !Guid.TryParseExact(text.AsSpan(Prefix.Length, 32), "N", out id))
        {
            return false;
        }

        secretHash = Hash(text[(Prefix.Length + 33)..]);
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The secret part of a token text made by <see cref="Format"/>.</summary>
    public static string SecretOf(string text) => text[(Prefix.Length + 33)..];

    /// <summary>Whether two hex hashes are equal, in time that does not depend on where they differ.</summary>
    public static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a ?? ""), Encoding.ASCII.GetBytes(b ?? ""));
}
