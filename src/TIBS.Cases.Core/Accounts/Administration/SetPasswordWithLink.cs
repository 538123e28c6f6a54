using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>
/// The page reached by a one-time link: <see cref="CheckAsync"/> tells whether the link still works (in words when it
/// does not), <see cref="HandleAsync"/> sets the password (<see cref="PasswordRule"/>), uses the link up and ends every
/// other session of the user.
/// </summary>
public sealed class SetPasswordWithLink(IUserAdministrationStore store, IUserStore users, IPasswordHashing hashing, SessionService sessions, TimeProvider time)
{
    public sealed record Request(string? Token, string? Password, string? Confirmation);

    /// <summary>Why a link does not work, for the answer's status code (the words are in <see cref="LinkState.Problem"/>).</summary>
    public enum LinkProblem
    {
        None,

        /// <summary>No such link: mistyped, cut short or tampered with.</summary>
        Unknown,

        /// <summary>The link was used already or ran out.</summary>
        Gone,

        /// <summary>The account the link is for is deactivated.</summary>
        Deactivated,
    }

    /// <summary>Whom the link is for; null with the words of <paramref name="Problem"/> when it does not work.</summary>
    public sealed record LinkState(string? DisplayName, string? Email, string? Problem, bool IsInvitation)
    {
        public LinkProblem Kind { get; init; }
    }

    public async Task<LinkState> CheckAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (link, user, problem, kind) = await FindAsync(token, cancellationToken);
        return problem is null
            ? new LinkState(user?.DisplayName, user?.Email, null, link?.Purpose == UserLinkPurposes.Invitation)
            : new LinkState(null, null, problem, false) { Kind = kind }; // a link that does not work names nobody
    }

    public async Task<CaseCommandResult> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (link, user, problem, _) = await FindAsync(request.Token, cancellationToken);
        if (problem is not null)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, problem);
        }

        var passwordProblem = PasswordRule.Problem(request.Password, user!.Email, user.DisplayName);
        if (passwordProblem is not null)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, passwordProblem) { FieldErrors = [new FieldError("Password", passwordProblem)] };
        }

        if (!string.Equals(request.Password, request.Confirmation, StringComparison.Ordinal))
        {
            var mismatch = Localized.Text("The two passwords are not the same; type the same password twice.");
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, mismatch) { FieldErrors = [new FieldError("Confirmation", mismatch)] };
        }

        var now = time.GetUtcNow();
        var entry = new AdministrationLogEntry
        {
            Id = Guid.CreateVersion7(now),
            OccurredAt = now,
            ActorId = user.Id,
            Action = AdministrationActions.PasswordSet,
            SubjectUserId = user.Id,
            Details = link!.Purpose == UserLinkPurposes.Invitation
                ? $"{user.DisplayName} accepted the invitation and set a password."
                : $"{user.DisplayName} set a new password through a reset link.",
        };
        if (!await store.RedeemLinkAsync(link.Id, now, hashing.Hash(user, request.Password!), UserLinkTokens.NewSecurityStamp(), entry, cancellationToken))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, UsedProblem());
        }

        await sessions.RevokeAllSessionsAsync(user.Id, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, Localized.Text("Your password is set: sign in with your e-mail address and the new password."));
    }

    private static string UsedProblem() => Localized.Text("This link has been used already: each link works once. Sign in, or ask an administrator for a new link.");

    private async Task<(UserLink? Link, UserAccount? User, string? Problem, LinkProblem Kind)> FindAsync(string? token, CancellationToken cancellationToken)
    {
        // A token is 43 characters of base64url: anything much longer is not one, and is not hashed or looked up.
        var link = string.IsNullOrWhiteSpace(token) || token.Trim().Length > 100 ? null : await store.FindLinkAsync(UserLinkTokens.Hash(token.Trim()), cancellationToken);
        var user = link is null ? null : await users.FindByIdAsync(link.UserId, cancellationToken);
        if (link is null || user is null)
        {
            return (null, null, Localized.Text("This link is not valid: check that you opened the whole link from the e-mail, or ask an administrator for a new one."), LinkProblem.Unknown);
        }

        if (link.UsedAt is not null)
        {
            return (link, user, UsedProblem(), LinkProblem.Gone);
        }

        if (link.ExpiresAt <= time.GetUtcNow())
        {
            var when = Languages.Current == Languages.Default
                ? link.ExpiresAt.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)
                : link.ExpiresAt.UtcDateTime.ToString("f", CultureInfo.CurrentCulture) + " UTC";
            return (link, user, Localized.Format("This link ran out on {0}. Ask an administrator for a new one.", when), LinkProblem.Gone);
        }

        if (!user.IsActive)
        {
            return (link, user, Localized.Text("This account is deactivated: ask an administrator."), LinkProblem.Deactivated);
        }

        return (link, user, null, LinkProblem.None);
    }
}
