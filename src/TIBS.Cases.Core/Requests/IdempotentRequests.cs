namespace TIBS.Cases.Core.Requests;

/// <summary>A request made with an Idempotency-Key, and its answer once it is done.</summary>
public sealed record IdempotencyEntry
{
    public required Guid UserId { get; init; }
    public required string Key { get; init; }

    /// <summary>SHA-256 (hex) of what was sent: method, address and body.</summary>
    public required string Fingerprint { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int? StatusCode { get; init; }
    public string? ContentType { get; init; }
    public byte[]? Body { get; init; }

    /// <summary>Response headers to give again (ETag, Location), as "Name: value" lines.</summary>
    public string? ResponseHeaders { get; init; }

    public bool IsDone => StatusCode is not null;
}

/// <summary>Persistence of idempotency keys; the pair (user, key) is unique.</summary>
public interface IIdempotencyStore
{
    /// <summary>Records the entry unless the user has one with its key; returns the existing one, or null when recorded.</summary>
    Task<IdempotencyEntry?> TryBeginAsync(IdempotencyEntry entry, CancellationToken cancellationToken = default);

    Task CompleteAsync(Guid userId, string key, int statusCode, string? contentType, byte[] body, string? responseHeaders, CancellationToken cancellationToken = default);

    /// <summary>Forgets an entry (its request failed without an answer worth repeating, or it is too old).</summary>
    Task RemoveAsync(Guid userId, string key, CancellationToken cancellationToken = default);

    /// <summary>Forgets every entry recorded before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> RemoveRecordedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>What to do with a request that carries an Idempotency-Key.</summary>
public enum IdempotencyDecision
{
    /// <summary>First time: run it and record its answer.</summary>
    Proceed,

    /// <summary>Done before with the same request: give the recorded answer, run nothing.</summary>
    Replay,

    /// <summary>The key was used for a different request.</summary>
    Mismatch,

    /// <summary>The first request with this key is still running.</summary>
    InProgress,
}

/// <summary>
/// Idempotency keys of the API's POSTs: a retried request with the same key gets the first answer and changes nothing.
/// Keys are per user and kept for <see cref="Lifetime"/> (a recurring job removes older ones with
/// <see cref="RemoveExpiredAsync"/>); the same key with a different request is refused.
/// </summary>
public sealed class IdempotentRequests(IIdempotencyStore store, TimeProvider time)
{
    public const int MaxKeyLength = 200;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task<(IdempotencyDecision Decision, IdempotencyEntry? Entry)> BeginAsync(Guid userId, string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        var now = time.UtcNow();
        var entry = new IdempotencyEntry { UserId = userId, Key = key, Fingerprint = fingerprint, CreatedAt = now };
        var existing = await store.TryBeginAsync(entry, cancellationToken);
        if (existing is not null && existing.CreatedAt + Lifetime <= now)
        {
            await store.RemoveAsync(userId, key, cancellationToken);
            existing = await store.TryBeginAsync(entry, cancellationToken);
        }

        return existing switch
        {
            null => (IdempotencyDecision.Proceed, null),
            _ when existing.Fingerprint != fingerprint => (IdempotencyDecision.Mismatch, existing),
            { IsDone: false } => (IdempotencyDecision.InProgress, existing),
            _ => (IdempotencyDecision.Replay, existing),
        };
    }

    public Task CompleteAsync(Guid userId, string key, int statusCode, string? contentType, byte[] body, string? responseHeaders, CancellationToken cancellationToken = default) =>
        store.CompleteAsync(userId, key, statusCode, contentType, body, responseHeaders, cancellationToken);

    public Task AbandonAsync(Guid userId, string key, CancellationToken cancellationToken = default) =>
        store.RemoveAsync(userId, key, cancellationToken);

    /// <summary>Removes the keys older than <see cref="Lifetime"/>: a retry after that is a new request. Returns how many.</summary>
    public Task<int> RemoveExpiredAsync(CancellationToken cancellationToken = default) =>
        store.RemoveRecordedBeforeAsync(time.UtcNow() - Lifetime, cancellationToken);
}
