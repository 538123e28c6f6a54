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

    /// <summary>Unique: the same event notifies the same user once, however often it is delivered.</summary>
    public required string DeliveryKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }

    /// <summary>When it was e-mailed (alone or in a digest); null while it waits.</summary>
    public DateTimeOffset? EmailedAt { get; init; }

    /// <summary>Filled by queries that join the case.</summary>
    public string? CaseReference { get; init; }
}

public static class NotificationKinds
{
    public const string PartnerShortlisted = "partner-shortlisted";
    public const string PartnerContacted = "partner-contacted";
}

public interface INotificationStore
{
    /// <summary>Adds the notification unless one with its delivery key exists; returns whether it was added.</summary>
    Task<bool> AddAsync(NotificationRecord notification, CancellationToken cancellationToken = default);

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
    /// Claims the notification for e-mailing: sets <c>emailed_at</c> when it is still empty. True for exactly one
    /// caller, however many try at once; false when it was e-mailed (or is being e-mailed) already.
    /// </summary>
    Task<bool> ClaimEmailAsync(Guid notificationId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Undoes <see cref="ClaimEmailAsync"/> after a failed send, so a retry e-mails it.</summary>
    Task ReleaseEmailAsync(Guid notificationId, CancellationToken cancellationToken = default);

    /// <summary>The user's notifications not yet e-mailed, newest first.</summary>
    Task<IReadOnlyList<NotificationRecord>> ListUnmailedForUserAsync(Guid userId, int take, CancellationToken cancellationToken = default);
}
