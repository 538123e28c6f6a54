using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Notifications;

/// <summary>Marks one of the user's own notifications read; another user's is not found (<see cref="NotificationAccess"/>).</summary>
public sealed class MarkNotificationRead(INotificationStore notifications, TimeProvider time)
{
    public sealed record Request(Guid NotificationId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var notification = await notifications.GetAsync(request.NotificationId, cancellationToken);
        if (notification is null || !NotificationAccess.IsOwn(actor, notification))
        {
            return CaseCommandResult.Missing(Localized.Text("The notification was not found."));
        }

        var marked = await notifications.MarkReadAsync(actor.UserId, notification.Id, time.UtcNow(), cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, marked ? Localized.Text("Notification marked as read.") : Localized.Text("That notification was already read."));
    }
}
