using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Notifications;

/// <summary>The inbox of the signed-in user (any role): notifications newest first, unread ones highlighted.</summary>
internal sealed class IndexModel(ListNotifications list, MarkNotificationRead markRead, MarkAllNotificationsRead markAllRead) : PageModel
{
    public const int Shown = ListNotifications.DefaultTake;

    public IReadOnlyList<NotificationRecord> Items { get; private set; } = [];

    public int UnreadCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var inbox = await list.HandleAsync(new ListNotifications.Request(Take: Shown), User.ToActor(), cancellationToken);
        Items = inbox.Items;
        UnreadCount = inbox.UnreadCount;
    }

    public async Task<IActionResult> OnPostReadAsync(Guid notificationId, CancellationToken cancellationToken) =>
        Done(await markRead.HandleAsync(new MarkNotificationRead.Request(notificationId), User.ToActor(), cancellationToken));

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken) =>
        Done(await markAllRead.HandleAsync(new MarkAllNotificationsRead.Request(), User.ToActor(), cancellationToken));

    private IActionResult Done(CaseCommandResult result)
    {
        if (result.Status == CaseCommandStatus.NotFound)
        {
            return NotFound();
        }

        TempData["Flash"] = result.Message;
        return RedirectToPage();
    }
}
