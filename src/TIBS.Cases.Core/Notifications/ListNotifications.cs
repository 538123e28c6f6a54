using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Notifications;

/// <summary>
/// The inbox of a user: their own notifications, newest first, and how many are unread. Each is written in the
/// language of the request (the current UI culture) and times in the user's zone (decision 0048).
/// </summary>
public sealed class ListNotifications(INotificationStore notifications, IUserStore? users = null)
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
        var reader = users is null || actor.IsSystem ? null : await users.FindByIdAsync(actor.UserId, cancellationToken);
        return new Result(NotificationTemplate.Render([.. items.Where(n => NotificationAccess.IsOwn(actor, n))], reader), await notifications.UnreadCountAsync(actor.UserId, cancellationToken));
    }
}
