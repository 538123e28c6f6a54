namespace TIBS.Cases.Core.Notifications;

/// <summary>One e-mail. <see cref="MessageId"/> is derived from what it is about, so a resend is recognisable.</summary>
public sealed record EmailMessage(string To, string ToName, string Subject, string TextBody, string MessageId);

/// <summary>
/// Sends e-mail (SMTP, or .eml files in a pickup folder for the embedded default). Returns only once the mail is
/// safe: accepted by the SMTP server, or durably written; throws otherwise.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>E-mails notifications to their users, at least once each.</summary>
public interface INotificationMailer
{
    /// <summary>
    /// E-mails one notification, unless its user takes a daily digest or it was e-mailed already. The notification
    /// is claimed for a short lease, sent, and only then marked e-mailed; a failed send keeps it waiting for a later
    /// try (and throws), a crash leaves the claim to run out so that the next sweep sends it again.
    /// Returns whether a mail was sent.
    /// </summary>
    Task<bool> SendAsync(Guid notificationId, CancellationToken cancellationToken = default);

    /// <summary>One digest mail per digest user with their notifications not yet e-mailed. Returns the mails sent.</summary>
    Task<int> SendDigestsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The sweep: sends every mail that is due and not confirmed and whose claim has run out (sent after a crash,
    /// retried after a failure), and the digests that were started and not confirmed.
    /// </summary>
    Task<MailSweep> SendDueAsync(CancellationToken cancellationToken = default);
}

/// <summary>What one sweep did: mails sent (single and digests) and mails that failed and wait for a later try.</summary>
public sealed record MailSweep(int Sent, int Failed);

/// <summary>
/// The points between the steps of delivering a notice, in order. Tests stop the work at each of them (throw, or
/// never return) to prove that whatever is interrupted is finished by the next dispatcher run.
/// </summary>
public enum DeliveryStep
{
    /// <summary>The reminder row is claimed; nobody is notified yet.</summary>
    Claimed,

    /// <summary>
    /// The batch's recipients are read and its in-app notifications built; nothing is written yet (the notifications and
    /// the rows' marks are written together, in one transaction).
    /// </summary>
    Notified,

    /// <summary>The in-app notifications are written and the reminder row marked sent; its e-mails may not be sent yet.</summary>
    Marked,

    /// <summary>A notification's e-mail is claimed and not sent yet.</summary>
    MailClaimed,

    /// <summary>The mail server accepted the e-mail; it is not yet recorded as e-mailed.</summary>
    MailSent,

    /// <summary>The e-mail is recorded as sent.</summary>
    MailConfirmed,
}

/// <summary>Claims on reminder rows and on e-mails are leases: a crashed holder's work is taken over after one.</summary>
public static class DeliveryLease
{
    /// <summary>The production default: dispatch resumes within this (plus one dispatcher interval) after a crash.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>The longest lease the settings accept.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(60);
}

/// <summary>Called at each <see cref="DeliveryStep"/> with the id of the reminder, the notification or, for a digest, the user.</summary>
public delegate Task DeliveryCheckpoint(DeliveryStep step, Guid id);
