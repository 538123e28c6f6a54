using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Work;

/// <summary>
/// "My work" of the signed-in broker: open steps that are the broker's (cases of their region), open partner tracks of
/// their region, cases where a company of their region is a partner, unread notifications and recent activity on the
/// cases they may read; and, for a deputy, what waits for each absent colleague they deputise for.
/// </summary>
internal sealed class IndexModel(MyWork myWork, MyOpenTracks openTracks, MyDeputising deputising, Microsoft.Extensions.Localization.IStringLocalizer<Ui> t) : PageModel
{
    /// <summary>The colleagues absent today whose deputy the user is, with what waits for them.</summary>
    public IReadOnlyList<Deputising> Deputising { get; private set; } = [];

    /// <summary>Open partner tracks of the broker's region, the earliest due first.</summary>
    public IReadOnlyList<MyOpenTrack> Tracks { get; private set; } = [];

    public IReadOnlyList<MyWorkStep> Steps { get; private set; } = [];

    public IReadOnlyList<PartnerCaseItem> PartnerCases { get; private set; } = [];

    public IReadOnlyList<NotificationRecord> Unread { get; private set; } = [];

    public IReadOnlyList<ActivityItem> Activity { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    private TIBS.Cases.Core.Display.ReferenceLabels labels = TIBS.Cases.Core.Display.ReferenceLabels.None;

    public string RegionName(string code) => labels.Region(code);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var view = await myWork.HandleAsync(User.ToActor(), cancellationToken);
        (Steps, PartnerCases, Unread, Activity, labels, Now) = (view.Steps, view.PartnerCases, view.Unread, view.Activity, view.Labels, view.Now);
        Tracks = await openTracks.HandleAsync(User.ToActor(), cancellationToken);
        Deputising = await deputising.HandleAsync(User.ToActor(), cancellationToken);
    }

    public async Task<IActionResult> OnPostReadAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var marked = await myWork.MarkReadAsync(User.ToActor(), notificationId, cancellationToken);
        TempData["Flash"] = marked ? t["Notification marked as read."].Value : t["That notification was already read."].Value;
        return RedirectToPage();
    }
}
