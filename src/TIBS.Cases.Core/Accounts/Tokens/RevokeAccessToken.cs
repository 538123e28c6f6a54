using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Accounts.Tokens;

/// <summary>A user revokes one of their own tokens; it is refused from the next request on.</summary>
public sealed class RevokeAccessToken(IAccessTokenStore tokens, TimeProvider time)
{
    public sealed record Request(Guid TokenId);

    /// <summary>True when the token was revoked now; false when it is not the actor's or was revoked already.</summary>
    public Task<bool> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        return tokens.RevokeAsync(request.TokenId, actor.UserId, time.UtcNow(), cancellationToken);
    }
}
