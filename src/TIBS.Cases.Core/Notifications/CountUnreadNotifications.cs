using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Notifications;

/// <summary>How many of the user's own notifications are unread (the count in the page header).</summary>
public sealed class CountUnreadNotifications(INotificationStore notifications)
{
    public sealed record Request;

    public Task<int> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsSystem ? Task.FromResult(0) : notifications.UnreadCountAsync(actor.UserId, cancellationToken);
    }
}
