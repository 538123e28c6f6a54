namespace TIBS.Cases.Core.Notifications;

/// <summary>One e-mail. <see cref="MessageId"/> is derived from what it is about, so a resend is recognisable.</summary>
public sealed record EmailMessage(string To, string ToName, string Subject, string TextBody, string MessageId);

/// <summary>Sends e-mail (SMTP, or .eml files in a pickup folder for the embedded default).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>E-mails notifications to their users.</summary>
public interface INotificationMailer
{
    /// <summary>
    /// E-mails one notification, unless its user takes a daily digest or it was e-mailed already. At most once: the
    /// notification is marked e-mailed before sending and unmarked if sending fails (so a retry sends it).
    /// Returns whether a mail was sent.
    /// </summary>
    Task<bool> SendAsync(Guid notificationId, CancellationToken cancellationToken = default);

    /// <summary>One digest mail per digest user with their notifications not yet e-mailed. Returns the mails sent.</summary>
    Task<int> SendDigestsAsync(CancellationToken cancellationToken = default);
}
