namespace TIBS.Cases.Core.Notifications;

/// <summary>A notice to one user, shown in My work (and e-mailed by a background job when it is configured).</summary>
public sealed record NotificationRecord
{
    public required Guid Id { get; init; }
    public required Guid UserId { get; init; }
    public Guid? CaseId { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required string Body { get; init; }

    /// <summary>
    /// The title and body as message keys with typed parameters (JSON, decision 0048), rendered in the reader's
    /// language and time zone; <see cref="Title"/> and <see cref="Body"/> hold the English rendering. Null for rows
    /// written before notifications had templates: they are shown as stored.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>Unique: the same event notifies the same user once, however often it is delivered.</summary>
    public required string DeliveryKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }

    /// <summary>When the mail server accepted its e-mail (alone or in a digest); null until then.</summary>
    public DateTimeOffset? EmailedAt { get; init; }

    /// <summary>
    /// When its own e-mail is due (notices that are e-mailed one by one: reminders, escalations, check-ins); null for
    /// notices that reach e-mail only in the daily digest.
    /// </summary>
    public DateTimeOffset? EmailDueAt { get; init; }

    /// <summary>Failed attempts to e-mail it; each failure waits longer before the next try.</summary>
    public int EmailAttempts { get; init; }

    /// <summary>Filled by queries that join the case.</summary>
    public string? CaseReference { get; init; }
}

internal static class NotificationKinds
{
    public const string PartnerShortlisted = "partner-shortlisted";
    public const string PartnerContacted = "partner-contacted";

    /// <summary>The scheduled verification of every audit trail found a problem (administrators and evaluators).</summary>
    public const string AuditTrailFailed = "audit-trail-failed";
}

public interface INotificationStore
{
    /// <summary>Adds the notification unless one with its delivery key exists; returns whether it was added.</summary>
    Task<bool> AddAsync(NotificationRecord notification, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="deliveryKeys"/> have been delivered already (a notification with that key exists).</summary>
    Task<IReadOnlySet<string>> ExistingDeliveryKeysAsync(IReadOnlyCollection<string> deliveryKeys, CancellationToken cancellationToken = default);

    /// <summary>The user's notifications, newest first.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListForUserAsync(Guid userId, bool unreadOnly, int take, CancellationToken cancellationToken = default);

    Task<int> UnreadCountAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Marks one of the user's notifications read; false when it is not theirs or already read.</summary>
    Task<bool> MarkReadAsync(Guid userId, Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Marks all of the user's unread notifications read; returns how many were marked.</summary>
    Task<int> MarkAllReadAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>One notification (with its case reference), or null.</summary>
    Task<NotificationRecord?> GetAsync(Guid notificationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the notification for e-mailing until <paramref name="until"/>: true for exactly one caller, however many
    /// try at once; false when it was e-mailed already or another claim is still running. A claim that runs out (its
    /// holder died) can be taken again: e-mail is at least once.
    /// </summary>
    Task<bool> ClaimEmailAsync(Guid notificationId, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Records that the mail server accepted the mail (sets <c>emailed_at</c> once and ends the claim).</summary>
    Task ConfirmEmailAsync(Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>After a failed send: counts the attempt and keeps the notification waiting until <paramref name="retryAt"/>.</summary>
    Task ReleaseEmailAsync(Guid notificationId, DateTimeOffset retryAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Mail that is due and not confirmed, of active users, oldest first: single mails whose due time has come, and
    /// digest notifications whose digest was started and not confirmed; none whose claim is still running.
    /// </summary>
    Task<IReadOnlyList<MailDue>> ListMailDueAsync(DateTimeOffset now, int take, CancellationToken cancellationToken = default);

    /// <summary>The user's notifications not yet e-mailed, newest first.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListUnmailedForUserAsync(Guid userId, int take, CancellationToken cancellationToken = default);
}

/// <summary>A notification whose e-mail is owed; <see cref="Digest"/>: its user takes the daily digest.</summary>
public sealed record MailDue(Guid NotificationId, Guid UserId, bool Digest);
