using TIBS.Cases.Core.Cases;
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
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{user.DisplayName} is deactivated: reactivate them before sending a password link.");
        }

        var now = time.GetUtcNow();
        var (link, token) = AdministrationRules.NewLink(user.Id, UserLinkPurposes.PasswordReset, actor, now, settings);
        var entry = AdministrationRules.Entry(actor, AdministrationActions.PasswordResetSent, user.Id, $"Sent {user.DisplayName} <{user.Email}> a link to set a new password.", now);
        await store.AddLinkAsync(link, entry, cancellationToken);
        var failure = await AdministrationRules.TrySendLinkAsync(mail, settings, user, link, token, cancellationToken);
        return failure is null
            ? new CaseCommandResult(CaseCommandStatus.Done, $"A link to set a new password went to {user.Email}.")
            : new CaseCommandResult(CaseCommandStatus.Refused, $"The link is saved, but {failure}.");
    }
}
