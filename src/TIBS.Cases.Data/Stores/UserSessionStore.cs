using Dapper;
using TIBS.Cases.Core.Accounts;

namespace TIBS.Cases.Data.Stores;

internal sealed class UserSessionStore(IDbConnectionFactory db) : IUserSessionStore
{
    public async Task InsertAsync(UserSession session, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_sessions (id, user_id, created_at, last_seen_at, revoked_at, user_agent_hash)
            VALUES (@Id, @UserId, @CreatedAt, @LastSeenAt, @RevokedAt, @UserAgentHash)
            """, session, cancellationToken: cancellationToken));
    }

    public async Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<UserSession>(new CommandDefinition(
            "SELECT id, user_id, created_at, last_seen_at, revoked_at, user_agent_hash FROM user_sessions WHERE id = @id",
            new { id }, cancellationToken: cancellationToken));
    }

    public async Task<SessionWithUser?> FindWithUserAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            """
            SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.revoked_at, s.user_agent_hash, u.is_active AS user_is_active, u.security_stamp AS user_security_stamp
            FROM user_sessions s LEFT JOIN users u ON u.id = s.user_id
            WHERE s.id = @id
            """,
            new { id }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new SessionWithUser(
                new UserSession { Id = row.Id, UserId = row.UserId, CreatedAt = row.CreatedAt, LastSeenAt = row.LastSeenAt, RevokedAt = row.RevokedAt, UserAgentHash = row.UserAgentHash },
                row.UserIsActive,
                row.UserSecurityStamp);
    }

    public async Task TouchAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE user_sessions SET last_seen_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now }, cancellationToken: cancellationToken));
    }

    public async Task<bool> RevokeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE user_sessions SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<int> RevokeAllAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE user_sessions SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL", new { userId, now }, cancellationToken: cancellationToken));
    }

    private sealed record SessionRow
    {
        public Guid Id { get; init; }
        public Guid UserId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string? UserAgentHash { get; init; }
        public bool? UserIsActive { get; init; }
        public string? UserSecurityStamp { get; init; }
    }
}
