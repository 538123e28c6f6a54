using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Accounts.Tokens;

/// <summary>A token as its owner sees it in the list: never its secret or hash.</summary>
public sealed record AccessTokenSummary(
    Guid Id, string Name, bool CanWrite, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>The actor's own tokens, newest first.</summary>
public sealed class ListAccessTokens(IAccessTokenStore tokens, TimeProvider time)
{
    public async Task<IReadOnlyList<AccessTokenSummary>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.UtcNow();
        return [.. (await tokens.ListForUserAsync(actor.UserId, cancellationToken))
            .Select(t => new AccessTokenSummary(t.Id, t.Name, t.CanWrite, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, t.IsActiveAt(now)))];
    }
}
