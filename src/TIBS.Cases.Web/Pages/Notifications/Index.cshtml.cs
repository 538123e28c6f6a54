using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Notifications;

/// <summary>The inbox of the signed-in user (any role): notifications newest first, unread ones highlighted.</summary>
public sealed class IndexModel(INotificationStore notifications, TimeProvider time) : PageModel
{
    public const int Shown = 200;

    public IReadOnlyList<NotificationRecord> Items { get; private set; } = [];

    public int UnreadCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.ToActor().UserId;
        Items = await notifications.ListForUserAsync(me, unreadOnly: false, take: Shown, cancellationToken);
        UnreadCount = await notifications.UnreadCountAsync(me, cancellationToken);
    }

    public async Task<IActionResult> OnPostReadAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var me = User.ToActor().UserId;
        var notification = await notifications.GetAsync(notificationId, cancellationToken);
        if (notification is null || notification.UserId != me)
        {
            return NotFound();
        }

        var marked = await notifications.MarkReadAsync(me, notificationId, time.UtcNow(), cancellationToken);
        TempData["Flash"] = marked ? "Notification marked as read." : "That notification was already read.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        var marked = await notifications.MarkAllReadAsync(User.ToActor().UserId, time.UtcNow(), cancellationToken);
        TempData["Flash"] = marked switch
        {
            0 => "There were no unread notifications.",
            1 => "1 notification marked as read.",
            _ => $"{marked} notifications marked as read.",
        };
        return RedirectToPage();
    }
}
