using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Accounts.Tokens;

/// <summary>
/// Who a token acts for, at this request. The user is read on every request, so a deactivated user's tokens stop at
/// once and a change of role or region changes what the token may do at once: a token never has more rights than
/// its user has now.
/// </summary>
public sealed class AuthenticateAccessToken(IAccessTokenStore tokens, IUserStore users, TimeProvider time)
{
    /// <summary>How often "last used" is written (not on every request).</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public sealed record Request(string? Token);

    /// <summary>The token and its user's current rights, or why the token does not work (for the 401's detail).</summary>
    public sealed record Result(AccessTokenRecord? Token, UserAccount? User, string? Problem)
    {
        public bool Succeeded => Token is not null && User is not null;

        public Actor? Actor => User?.AsActor();
    }

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var unknown = Localized.Text("The access token is not valid. Create a token on your Preferences page and send it as 'Authorization: Bearer <token>'.");
        if (!AccessTokenText.TryParse(request.Token, out var id, out var hash))
        {
            return new Result(null, null, unknown);
        }

        var token = await tokens.FindAsync(id, cancellationToken);
        if (token is null || !AccessTokenText.SameHash(token.SecretHash, hash))
        {
            return new Result(null, null, unknown);
        }

        var now = time.UtcNow();
        if (token.RevokedAt is not null)
        {
            return new Result(null, null, Localized.Text("The access token was revoked."));
        }

        if (token.ExpiresAt <= now)
        {
            return new Result(null, null, Localized.Text("The access token has expired. Create a new one on your Preferences page."));
        }

        var user = await users.FindByIdAsync(token.UserId, cancellationToken);
        if (user is null || !user.IsActive || !Roles.IsKnown(user.Role))
        {
            return new Result(null, null, Localized.Text("The account of this access token is no longer active."));
        }

        if (token.LastUsedAt is not { } used || now - used >= TouchInterval)
        {
            await tokens.TouchAsync(token.Id, now, cancellationToken);
        }

        return new Result(token, user, null);
    }
}
