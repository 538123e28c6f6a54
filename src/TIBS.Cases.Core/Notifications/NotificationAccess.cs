using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Notifications;

/// <summary>
/// Who may see and change a notification — the one place this rule lives: each user reads and marks only their own.
/// Anyone else learns nothing, not even that the notification exists.
/// </summary>
internal static class NotificationAccess
{
    public static bool IsOwn(Actor actor, NotificationRecord notification)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(notification);
        return !actor.IsSystem && notification.UserId == actor.UserId;
    }
}
