using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Requests;

namespace TIBS.Cases.Data.Stores;

internal sealed class IdempotencyStore(IDbConnectionFactory db) : IIdempotencyStore
{
    public async Task<IdempotencyEntry?> TryBeginAsync(IdempotencyEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await db.OpenAsync(cancellationToken);
        if (await FindAsync(c, entry.UserId, entry.Key, cancellationToken) is { } existing)
        {
            return existing;
        }

        try
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, created_at)
                VALUES (@UserId, @Key, @Fingerprint, @CreatedAt)
                """, entry, cancellationToken: cancellationToken));
            return null;
        }
        catch (DbException) when (!cancellationToken.IsCancellationRequested)
        {
            // The same key arrived twice at once: the primary key let one in; the other sees it.
            return await FindAsync(c, entry.UserId, entry.Key, cancellationToken) ?? throw new InvalidOperationException("The idempotency key could not be recorded.");
        }
    }

    public async Task CompleteAsync(Guid userId, string key, int statusCode, string? contentType, byte[] body, string? responseHeaders, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idempotency_keys SET status_code = @statusCode, content_type = @contentType, body = @body, response_headers = @responseHeaders
            WHERE user_id = @userId AND idempotency_key = @key
            """, new { userId, key, statusCode, contentType, body, responseHeaders }, cancellationToken: cancellationToken));
    }

    public async Task RemoveAsync(Guid userId, string key, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE user_id = @userId AND idempotency_key = @key", new { userId, key }, cancellationToken: cancellationToken));
    }

    public async Task<int> RemoveRecordedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE created_at < @cutoff", new { cutoff }, cancellationToken: cancellationToken));
    }

    private static Task<IdempotencyEntry?> FindAsync(DbConnection c, Guid userId, string key, CancellationToken cancellationToken) =>
        c.QuerySingleOrDefaultAsync<IdempotencyEntry>(new CommandDefinition(
            """
            SELECT user_id, idempotency_key AS "Key", fingerprint, created_at, status_code, content_type, body, response_headers
            FROM idempotency_keys WHERE user_id = @userId AND idempotency_key = @key
            """, new { userId, key }, cancellationToken: cancellationToken));
}
