using System.Globalization;
using System.Security.Cryptography;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.Tokens;

/// <summary>
/// A signed-in user makes a personal access token for the API. The token's text is returned once and never stored:
/// only the SHA-256 of its secret is kept. The token acts with its user's rights as they are at each request.
/// </summary>
public sealed class CreateAccessToken(IAccessTokenStore tokens, TimeProvider time)
{
    public const int MaxNameLength = 100;
    public const int MaxDays = 366;
    public const int MaxActiveTokens = 20;

    /// <param name="Name">What the token is for, to recognise it in the list.</param>
    /// <param name="Scope"><c>read</c> or <c>write</c> (write includes read).</param>
    /// <param name="ExpiresInDays">Days until it stops working, 1 to 366.</param>
    public sealed record Request(string? Name, string? Scope, int? ExpiresInDays);

    /// <summary>The new token and its text (shown once), or the problems of the request keyed by field.</summary>
    public sealed record Result(AccessTokenRecord? Token, string? Text, IReadOnlyList<FieldError> Errors)
    {
        public bool Succeeded => Token is not null;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem)
        {
            throw new InvalidOperationException("Only a signed-in user has personal access tokens.");
        }

        var now = time.UtcNow();
        var errors = new List<FieldError>();
        var name = (request.Name ?? "").Trim();
        if (name.Length == 0)
        {
            errors.Add(new FieldError("name", Localized.Text("Give the token a name, such as the system that will use it.")));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new FieldError("name", Localized.Format("The name may have at most {0} characters.", MaxNameLength)));
        }
        else if (TextRules.ForbiddenCharacter(name) is { } bad)
        {
            errors.Add(new FieldError("name", Localized.Format("The name contains {0}; remove it.", bad)));
        }

        if (request.Scope is not (TokenScopes.Read or TokenScopes.Write))
        {
            errors.Add(new FieldError("scope", Localized.Text("Choose what the token may do: read only, or read and write.")));
        }

        if (request.ExpiresInDays is not { } days || days < 1 || days > MaxDays)
        {
            errors.Add(new FieldError("expiresInDays", Localized.Format("Choose when the token expires: after 1 to {0} days.", MaxDays)));
        }

        var existing = await tokens.ListForUserAsync(actor.UserId, cancellationToken);
        if (existing.Count(t => t.IsActiveAt(now)) >= MaxActiveTokens)
        {
            errors.Add(new FieldError("name", Localized.Format("You have {0} working tokens already; revoke one you no longer use first.", MaxActiveTokens)));
        }

        if (errors.Count > 0)
        {
            return new Result(null, null, errors);
        }

        var id = Guid.CreateVersion7(now);
        var text = AccessTokenText.Format(id, RandomNumberGenerator.GetBytes(32));
        var token = new AccessTokenRecord
        {
            Id = id,
            UserId = actor.UserId,
            Name = name,
            SecretHash = AccessTokenText.Hash(AccessTokenText.SecretOf(text)),
            Scopes = TokenScopes.Stored(request.Scope!),
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ExpiresInDays!.Value),
        };
        await tokens.InsertAsync(token, cancellationToken);
        return new Result(token, text, []);
    }
}
