using TIBS.Cases.Core.Accounts.Administration;

namespace TIBS.Cases.Core.Accounts.SingleSignOn;

/// <summary>The identity at an OpenID Connect provider that a user is linked to: the provider (issuer) and its stable id of the person (subject).</summary>
public sealed record ExternalLogin
{
    public required string Issuer { get; init; }
    public required string Subject { get; init; }
    public required Guid UserId { get; init; }
    public required DateTimeOffset LinkedAt { get; init; }
}

/// <summary>Persistence of the links between users and their identity at a provider. Every write also appends its administration log line, in one transaction.</summary>
public interface IExternalLoginStore
{
    /// <summary>The user linked to this identity, or null.</summary>
    Task<Guid?> FindUserAsync(string issuer, string subject, CancellationToken cancellationToken = default);

    /// <summary>The identities the user is linked to (at most one per provider).</summary>
    Task<IReadOnlyList<ExternalLogin>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links the identity to the user, and when <paramref name="consumeInvitation"/> marks the user's unused invitation
    /// links used; false (nothing written) when the identity or the user is linked for this provider already.
    /// </summary>
    Task<bool> LinkAsync(ExternalLogin login, bool consumeInvitation, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes every link of the user; false (nothing written) when there was none.</summary>
    Task<bool> UnlinkAsync(Guid userId, AdministrationLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Appends a log line on its own (a refused sign-in).</summary>
    Task LogAsync(AdministrationLogEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>The names of the log actions of single sign-on.</summary>
internal static class SingleSignOnActions
{
    public const string Linked = "sso-linked";
    public const string Refused = "sso-refused";
    public const string Unlinked = "sso-unlinked";
}
