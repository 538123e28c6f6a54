using System.Security.Cryptography;
using System.Text;

namespace TIBS.Cases.Core.Accounts;

/// <summary>One signed-in browser. The sign-in cookie carries its id; a revoked session is refused on the next request.</summary>
public sealed record UserSession
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>SHA-256 of the browser's User-Agent, to tell sessions apart in a list; never used as a secret.</summary>
    public string? UserAgentHash { get; init; }
}

/// <summary>
/// A session with what deciding on it needs of its user, read together: whether the user is active and their security
/// stamp (both null when the user's row is gone).
/// </summary>
public sealed record SessionWithUser(UserSession Session, bool? UserIsActive, string? UserSecurityStamp);

/// <summary>How long a session may live.</summary>
public sealed record SessionSettings
{
    /// <summary>A session ends this long after sign-in, however active it is.</summary>
    public TimeSpan AbsoluteLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>How often "last seen" is written (not on every request).</summary>
    public TimeSpan TouchInterval { get; init; } = TimeSpan.FromMinutes(1);
}

public interface IUserSessionStore
{
    Task InsertAsync(UserSession session, CancellationToken cancellationToken = default);

    Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The session and its user's state in one read: what every request's check needs.</summary>
    Task<SessionWithUser?> FindWithUserAsync(Guid id, CancellationToken cancellationToken = default);

    Task TouchAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Revokes one session; returns whether it was still active.</summary>
    Task<bool> RevokeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Revokes every active session of a user; returns how many.</summary>
    Task<int> RevokeAllAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// Server-side sessions: signing in starts one, every request checks it, signing out ends it — and with it every
/// copy of its cookie. <see cref="RevokeAllSessionsAsync"/> ends all of a user's sessions (password change,
/// deactivation).
/// </summary>
public sealed class SessionService(IUserSessionStore sessions, TimeProvider time, SessionSettings settings)
{
    public async Task<UserSession> StartAsync(Guid userId, string? userAgent, CancellationToken cancellationToken = default)
    {
        var now = time.UtcNow();
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            CreatedAt = now,
            LastSeenAt = now,
            UserAgentHash = string.IsNullOrEmpty(userAgent) ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userAgent))),
        };
        await sessions.InsertAsync(session, cancellationToken);
        return session;
    }

    /// <summary>
    /// Whether the session still lets its user in: not revoked, not past its lifetime, the user active and, when
    /// <paramref name="securityStamp"/> is given, their security stamp unchanged since sign-in.
    /// </summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, Guid userId, string? securityStamp = null, CancellationToken cancellationToken = default)
    {
        var found = await sessions.FindWithUserAsync(sessionId, cancellationToken);
        var now = time.UtcNow();
        if (found is not { Session: var session } || session.UserId != userId || session.RevokedAt is not null || session.CreatedAt + settings.AbsoluteLifetime <= now)
        {
            return false;
        }

        if (found.UserIsActive is not true || (securityStamp is not null && found.UserSecurityStamp != securityStamp))
        {
            return false;
        }

        if (now - session.LastSeenAt >= settings.TouchInterval)
        {
            await sessions.TouchAsync(sessionId, now, cancellationToken);
        }

        return true;
    }

    /// <summary>Ends one session (sign-out).</summary>
    public Task<bool> EndAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        sessions.RevokeAsync(sessionId, time.UtcNow(), cancellationToken);

    /// <summary>Ends every session of a user, on every node, from their next request on.</summary>
    public Task<int> RevokeAllSessionsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        sessions.RevokeAllAsync(userId, time.UtcNow(), cancellationToken);
}
