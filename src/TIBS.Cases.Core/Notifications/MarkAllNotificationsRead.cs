using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Notifications;

/// <summary>Marks all of the user's own unread notifications read.</summary>
public sealed class MarkAllNotificationsRead(INotificationStore notifications, TimeProvider time)
{
    public sealed record Request;

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var marked = actor.IsSystem ? 0 : await notifications.MarkAllReadAsync(actor.UserId, time.UtcNow(), cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, marked switch
        {
            0 => Localized.Text("There were no unread notifications."),
            1 => Localized.Text("1 notification marked as read."),
            _ => Localized.Format("{0} notifications marked as read.", marked),
        });
    }
}
