using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Work;

/// <summary>An open step that waits on the broker, with its name from the case's definition version.</summary>
public sealed record MyWorkStep(OpenStepItem Item, string StepName, bool Overdue);

/// <summary>"My work" of a broker: a page of the steps that are theirs (<paramref name="NextSteps"/> starts the next page,
/// null on the last), cases where a company of their region is a partner, unread notifications and recent activity, with
/// the reference data to name regions.</summary>
public sealed record MyWorkView(
    IReadOnlyList<MyWorkStep> Steps,
    OpenStepCursor? NextSteps,
    IReadOnlyList<PartnerCaseItem> PartnerCases,
    IReadOnlyList<NotificationRecord> Unread,
    IReadOnlyList<ActivityItem> Activity,
    ReferenceLabels Labels,
    DateTimeOffset Now);

/// <summary>Gathers "My work" for the signed-in user (cases of every region they cover, their own notifications); marks a notification read.</summary>
public sealed class MyWork(IWorkQueries work, INotificationStore notifications, WorkflowCatalog catalog, IReferenceDataStore reference, TimeProvider time, Accounts.IUserStore? users = null)
{
    /// <summary>
    /// Open steps listed on one page, the earliest due first: what a broker acts on next fits one screen, and the page
    /// costs the same to read and draw however many cases the regions hold.
    /// </summary>
    public const int StepsPerPage = 50;

    /// <summary>My work with the page of open steps after <paramref name="after"/> (the first page when null).</summary>
    public async Task<MyWorkView> HandleAsync(Actor actor, OpenStepCursor? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var regions = actor.Regions;
        var now = time.UtcNow();
        var steps = new List<MyWorkStep>();
        var read = await work.OpenStepsAsync(regions, actor.UserId, after, StepsPerPage + 1, cancellationToken);
        var page = read.Take(StepsPerPage).ToList();
        foreach (var item in page)
        {
            var plan = await catalog.GetDisplayPlanAsync(item.DefinitionVersionId, cancellationToken: cancellationToken);
            if (plan.TryGetStep(item.CurrentStep, out var step) && step.Role == WorkflowRole.Broker)
            {
                steps.Add(new MyWorkStep(item, step.Name, item.StepDueAt is { } due && due < now));
            }
        }

        return new MyWorkView(
            steps,
            read.Count > StepsPerPage ? new OpenStepCursor(page[^1].StepDueAt, page[^1].Reference) : null,
            await work.PartnerCasesAsync(regions, cancellationToken),
            NotificationTemplate.Render(
                await notifications.ListForUserAsync(actor.UserId, unreadOnly: true, take: 50, cancellationToken),
                users is null ? null : await users.FindByIdAsync(actor.UserId, cancellationToken)),
            await work.RecentActivityAsync(regions, actor.UserId, 20, cancellationToken),
            await ReferenceLabels.LoadAsync(reference, cancellationToken),
            now);
    }

    /// <summary>Marks one of the actor's own notifications read; false when it was already read (or is not theirs).</summary>
    public Task<bool> MarkReadAsync(Actor actor, Guid notificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return notifications.MarkReadAsync(actor.UserId, notificationId, time.UtcNow(), cancellationToken);
    }
}
