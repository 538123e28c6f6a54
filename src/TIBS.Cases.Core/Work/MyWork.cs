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
/// null on the last), a page of the cases where a company of their region is a partner (<paramref name="NextPartners"/>
/// likewise), unread notifications and recent activity, with the reference data to name regions.</summary>
public sealed record MyWorkView(
    IReadOnlyList<MyWorkStep> Steps,
    OpenStepCursor? NextSteps,
    IReadOnlyList<PartnerCaseItem> PartnerCases,
    PartnerCaseCursor? NextPartners,
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

    /// <summary>
    /// Partner cases listed on one page, the last changed first: a region whose companies are partners in hundreds of
    /// cases elsewhere gets the latest changes on one screen, and the page reads a page of them, not all.
    /// </summary>
    public const int PartnerCasesPerPage = 50;

    /// <summary>
    /// My work with the page of open steps after <paramref name="after"/> and the page of partner cases after
    /// <paramref name="partnersAfter"/> (the first pages when null).
    /// </summary>
    public async Task<MyWorkView> HandleAsync(Actor actor, OpenStepCursor? after = null, PartnerCaseCursor? partnersAfter = null, CancellationToken cancellationToken = default)
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

        var partnersRead = await work.PartnerCasesAsync(regions, partnersAfter, PartnerCasesPerPage + 1, cancellationToken);
        var partners = partnersRead.Take(PartnerCasesPerPage).ToList();
        return new MyWorkView(
            steps,
            read.Count > StepsPerPage ? new OpenStepCursor(page[^1].StepDueAt, page[^1].Reference) : null,
            partners,
            partnersRead.Count > PartnerCasesPerPage ? new PartnerCaseCursor(partners[^1].UpdatedAt, partners[^1].ParticipantId) : null,
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
