using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Notifications;

/// <summary>The actor's own inbox: their notifications, newest first, with the number still unread.</summary>
public sealed class MyNotifications(INotificationStore notifications)
{
    public const int MaxTake = 200;

    public sealed record Request(bool UnreadOnly, int Take);

    public sealed record Result(IReadOnlyList<NotificationRecord> Items, int Unread);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var take = Math.Clamp(request.Take, 1, MaxTake);
        return new Result(
            await notifications.ListForUserAsync(actor.UserId, request.UnreadOnly, take, cancellationToken),
            await notifications.UnreadCountAsync(actor.UserId, cancellationToken));
    }
}

/// <summary>Whether marking a notification read changed it.</summary>
public enum MarkReadOutcome
{
    Marked,
    AlreadyRead,

    /// <summary>There is no such notification, or it is someone else's (the same answer, so that ids tell nothing).</summary>
    NotFound,
}

/// <summary>Marks one of the actor's own notifications read. Nobody marks another person's notifications.</summary>
public sealed class MarkNotificationRead(INotificationStore notifications, TimeProvider time)
{
    public sealed record Request(Guid NotificationId);

    public async Task<MarkReadOutcome> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var notification = await notifications.GetAsync(request.NotificationId, cancellationToken);
        if (notification is null || notification.UserId != actor.UserId)
        {
            return MarkReadOutcome.NotFound;
        }

        return await notifications.MarkReadAsync(actor.UserId, notification.Id, time.UtcNow(), cancellationToken)
            ? MarkReadOutcome.Marked
            : MarkReadOutcome.AlreadyRead;
    }
}
