using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Web.Pages.Work;

/// <summary>
/// "My work" of the signed-in broker: open steps that are the broker's (cases of their region), cases where a
/// company of their region is a partner, unread notifications and recent activity on the cases they may read.
/// </summary>
public sealed class IndexModel(IWorkQueries work, INotificationStore notifications, WorkflowCatalog catalog, TIBS.Cases.Core.Reference.IReferenceDataStore reference, TimeProvider time) : PageModel
{
    public sealed record StepRow(OpenStepItem Item, string StepName, bool Overdue);

    public IReadOnlyList<StepRow> Steps { get; private set; } = [];

    public IReadOnlyList<PartnerCaseItem> PartnerCases { get; private set; } = [];

    public IReadOnlyList<NotificationRecord> Unread { get; private set; } = [];

    public IReadOnlyList<ActivityItem> Activity { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    private TIBS.Cases.Core.Display.ReferenceLabels labels = TIBS.Cases.Core.Display.ReferenceLabels.None;

    public string RegionName(string code) => labels.Region(code);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var me = User.ToActor();
        var region = me.RegionCode ?? "";
        Now = time.UtcNow();
        var rows = new List<StepRow>();
        foreach (var item in await work.OpenStepsAsync(region, me.UserId, cancellationToken))
        {
            var plan = await catalog.GetPlanAsync(item.DefinitionVersionId, cancellationToken);
            if (plan.TryGetStep(item.CurrentStep, out var step) && step.Role == WorkflowRole.Broker)
            {
                rows.Add(new StepRow(item, step.Name, item.StepDueAt is { } due && due < Now));
            }
        }

        Steps = rows;
        labels = await TIBS.Cases.Core.Display.ReferenceLabels.LoadAsync(reference, cancellationToken);
        PartnerCases = await work.PartnerCasesAsync(region, cancellationToken);
        Unread = await notifications.ListForUserAsync(me.UserId, unreadOnly: true, take: 50, cancellationToken);
        Activity = await work.RecentActivityAsync(region, me.UserId, 20, cancellationToken);
    }

    public async Task<IActionResult> OnPostReadAsync(Guid notificationId, CancellationToken cancellationToken)
    {
        var marked = await notifications.MarkReadAsync(User.ToActor().UserId, notificationId, time.UtcNow(), cancellationToken);
        TempData["Flash"] = marked ? "Notification marked as read." : "That notification was already read.";
        return RedirectToPage();
    }
}
