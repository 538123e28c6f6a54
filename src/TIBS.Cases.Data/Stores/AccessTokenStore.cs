using Dapper;
using TIBS.Cases.Core.Accounts.Tokens;

namespace TIBS.Cases.Data.Stores;

internal sealed class AccessTokenStore(IDbConnectionFactory db) : IAccessTokenStore
{
    private const string Columns = "id, user_id, name, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at";

    public async Task InsertAsync(AccessTokenRecord token, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO access_tokens ({Columns})
            VALUES (@Id, @UserId, @Name, @SecretHash, @Scopes, @CreatedAt, @ExpiresAt, @LastUsedAt, @RevokedAt)
            """, token, cancellationToken: cancellationToken));
    }

    public async Task<AccessTokenRecord?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<AccessTokenRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM access_tokens WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AccessTokenRecord>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return [.. await c.QueryAsync<AccessTokenRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM access_tokens WHERE user_id = @userId ORDER BY created_at DESC, id DESC", new { userId }, cancellationToken: cancellationToken))];
    }

    public async Task<bool> RevokeAsync(Guid id, Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE access_tokens SET revoked_at = @now WHERE id = @id AND user_id = @userId AND revoked_at IS NULL",
            new { id, userId, now }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task TouchAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE access_tokens SET last_used_at = @now WHERE id = @id", new { id, now }, cancellationToken: cancellationToken));
    }
}
