using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Notifications;

/// <summary>The inbox of a user: their own notifications, newest first, and how many are unread.</summary>
public sealed class ListNotifications(INotificationStore notifications)
{
    public const int DefaultTake = 200;

    public const int MaxTake = 200;

    /// <summary><paramref name="Take"/>: at most this many (1 to <see cref="MaxTake"/>).</summary>
    public sealed record Request(bool UnreadOnly = false, int Take = DefaultTake);

    public sealed record Result(IReadOnlyList<NotificationRecord> Items, int UnreadCount);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var items = await notifications.ListForUserAsync(actor.UserId, request.UnreadOnly, Math.Clamp(request.Take, 1, MaxTake), cancellationToken);
        return new Result([.. items.Where(n => NotificationAccess.IsOwn(actor, n))], await notifications.UnreadCountAsync(actor.UserId, cancellationToken));
    }
}
