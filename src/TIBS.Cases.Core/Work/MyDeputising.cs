using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Work;

/// <summary>One thing that waits for an absent colleague: a step of their case or a partner track they perform.</summary>
/// <param name="What">The step's name, or "Partner track: {partner} — {state}".</param>
/// <param name="MayOpen">Whether the deputy may open the case (their own role and regions decide; a deputy gets no wider access).</param>
public sealed record DeputyItem(Guid CaseId, string CaseReference, string CaseTitle, string What, DateTimeOffset? DueAt, bool Overdue, bool MayOpen);

/// <summary>An absence in which the signed-in user deputises today, and what waits for the absent user, overdue first.</summary>
public sealed record Deputising(Guid UserId, string UserName, DateOnly Until, IReadOnlyList<DeputyItem> Items)
{
    /// <summary>The last day of the absence in words ("12 March 2027").</summary>
    public string UntilText => AbsenceRules.Day(Until);
}

/// <summary>
/// "My work" of a deputy: for every colleague absent today whose deputy the user is, the current steps of the
/// colleague's cases that wait for a broker and the open partner tracks they perform. The deputy opens and acts on them
/// as the case-access rules already allow for their own role and regions (decision 0041).
/// </summary>
public sealed class MyDeputising(IAbsenceStore absences, IUserStore users, IWorkQueries work, ICaseStore cases, WorkflowCatalog catalog, MyOpenTracks tracks, TimeProvider time)
{
    public async Task<IReadOnlyList<Deputising>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem)
        {
            return [];
        }

        var now = time.UtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var result = new List<Deputising>();
        foreach (var absence in (await absences.ListDeputisingAsync(actor.UserId, today, cancellationToken)).Where(a => a.IsCurrent(today)))
        {
            if (await users.FindByIdAsync(absence.UserId, cancellationToken) is not { } absent)
            {
                continue;
            }

            var items = new List<DeputyItem>();
            if (absent.Role == Roles.Broker)
            {
                foreach (var step in await work.OpenStepsAsync([], absent.Id, cancellationToken: cancellationToken))
                {
                    var plan = await catalog.GetDisplayPlanAsync(step.DefinitionVersionId, cancellationToken: cancellationToken);
                    if (plan.TryGetStep(step.CurrentStep, out var planned) && planned.Role == WorkflowRole.Broker)
                    {
                        items.Add(new DeputyItem(step.CaseId, step.Reference, step.Title, planned.Name, step.StepDueAt, step.StepDueAt is { } due && due < now,
                            await MayOpenAsync(actor, step.CaseId, cancellationToken)));
                    }
                }

                foreach (var track in await tracks.HandleAsync(absent.AsActor(), cancellationToken))
                {
                    var c = await cases.GetAsync(track.CaseId, cancellationToken);
                    items.Add(new DeputyItem(track.CaseId, track.CaseReference, c?.Title ?? "", Localized.Format("Partner track: {0} — {1}", track.PartnerCompany, track.StateName), track.DueAt, track.Overdue,
                        await MayOpenAsync(actor, track.CaseId, cancellationToken)));
                }
            }

            result.Add(new Deputising(absent.Id, absent.DisplayName, absence.EndsOn,
                [.. items.OrderByDescending(i => i.Overdue).ThenBy(i => i.DueAt ?? DateTimeOffset.MaxValue).ThenBy(i => i.CaseReference, StringComparer.Ordinal)]));
        }

        return result;
    }

    private async Task<bool> MayOpenAsync(Actor actor, Guid caseId, CancellationToken cancellationToken) =>
        await cases.GetAsync(caseId, cancellationToken) is { } c && CaseAccess.CanRead(actor, c, await cases.GetParticipantsAsync(caseId, cancellationToken));
}
