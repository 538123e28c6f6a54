using TIBS.Cases.Core;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// How a notification row is written, for the notification store and for the case store's outbox alike: one statement
/// that inserts the row unless its delivery key is taken (same SQL on every provider), and its parameters.
/// </summary>
internal static class NotificationRows
{
    public const int MaxTitleLength = 300;

    public const string InsertIfNew =
        """
        INSERT INTO notifications (id, user_id, case_id, kind, title, body, delivery_key, created_at, email_due_at, email_attempts, template)
        SELECT @Id, @UserId, @CaseId, @Kind, @Title, @Body, @DeliveryKey, @CreatedAt, @EmailDueAt, 0, @Template
        WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE delivery_key = @DeliveryKey)
        """;

    public static object Parameters(NotificationRecord notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new
        {
            notification.Id,
            notification.UserId,
            notification.CaseId,
            notification.Kind,
            Title = notification.Title.Length <= MaxTitleLength ? notification.Title : notification.Title[..MaxTitleLength],
            notification.Body,
            notification.DeliveryKey,
            CreatedAt = Timestamps.Normalize(notification.CreatedAt),
            EmailDueAt = notification.EmailDueAt is { } due ? Timestamps.Normalize(due) : (DateTimeOffset?)null,
            notification.Template,
        };
    }
}
