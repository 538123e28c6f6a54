using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Accounts.Administration;

/// <summary>E-mails a user a one-time link to set a new password (the same link as an invitation's, valid as long).</summary>
public sealed class SendPasswordReset(IUserAdministrationStore store, IEmailSender mail, UserLinkSettings settings, TimeProvider time)
{
    public sealed record Request(Guid UserId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (target, refusal) = await AdministrationRules.TargetAsync(store, actor, request.UserId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var user = target!.Account;

        if (!user.IsActive)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("{0} is deactivated: reactivate them before sending a password link.", user.DisplayName));
        }

        var now = time.GetUtcNow();
        var (link, token) = AdministrationRules.NewLink(user.Id, UserLinkPurposes.PasswordReset, actor, now, settings);
        var entry = AdministrationRules.Entry(actor, AdministrationActions.PasswordResetSent, user.Id, $"Sent {user.DisplayName} <{user.Email}> a link to set a new password.", now);
        await store.AddLinkAsync(link, entry, cancellationToken);
        var failure = await AdministrationRules.TrySendLinkAsync(mail, settings, user, link, token, cancellationToken);
        return failure is null
            ? new CaseCommandResult(CaseCommandStatus.Done, Localized.Format("A link to set a new password went to {0}.", user.Email))
            : new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("The link is saved, but the e-mail to {0} could not be sent ({1}). Send a new link from {2}'s page once mail works again.", user.Email, failure, user.DisplayName));
    }
}
