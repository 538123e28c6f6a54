using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Coordination;

/// <summary>
/// What coordinators land on: per region, the open cases, those waiting on a coordinator (the current step is the
/// coordinator's in the case's definition version), the escalated and the overdue ones; and the cases behind those
/// numbers. Only coordinators see it (they oversee every case, see <see cref="CaseAccess"/>).
/// </summary>
public sealed class CoordinationOverview(ICoordinationQueries queries, WorkflowCatalog catalog, IReferenceDataStore reference, TimeProvider time)
{
    /// <summary>How many cases each list shows at most.</summary>
    public const int ListSize = 100;

    public sealed record Request(Actor Actor);

    public sealed record RegionLine(string RegionCode, string RegionName, int OpenCases, int WaitingOnCoordinators, int Escalated, int Overdue);

    public sealed record CaseLine(Guid CaseId, string Reference, string Title, string LeadCompanyName, string RegionName, string StepName, DateTimeOffset? DueAt, bool Overdue, bool Escalated);

    public sealed record Result(
        bool Allowed,
        IReadOnlyList<RegionLine> Regions,
        IReadOnlyList<CaseLine> WaitingOnCoordinators,
        IReadOnlyList<CaseLine> Escalated,
        IReadOnlyList<CaseLine> Overdue)
    {
        public static Result Forbidden { get; } = new(false, [], [], [], []);

        public RegionLine Total => new("", Localized.Text("All regions"), Regions.Sum(r => r.OpenCases), Regions.Sum(r => r.WaitingOnCoordinators), Regions.Sum(r => r.Escalated), Regions.Sum(r => r.Overdue));
    }

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Actor.Role != WorkflowRole.Coordinator)
        {
            return Result.Forbidden;
        }

        var now = time.GetUtcNow();
        var counts = await queries.CountOpenCasesAsync(now, cancellationToken);
        var plans = new Dictionary<Guid, WorkflowPlan>();
        foreach (var id in counts.Select(c => c.DefinitionVersionId).Distinct())
        {
            plans[id] = await catalog.GetPlanAsync(id, cancellationToken);
        }

        bool Coordinators(Guid version, string step) =>
            plans.TryGetValue(version, out var plan) && plan.TryGetStep(step, out var s) && s.Role == WorkflowRole.Coordinator;

        var regionList = await reference.RegionsAsync(cancellationToken);
        var labels = new ReferenceLabels([], [], regionList);
        var byRegion = counts.GroupBy(c => c.RegionCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var regions = regionList.OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => r.Code).Concat(byRegion.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)
            .Select(code =>
            {
                var rows = byRegion.GetValueOrDefault(code) ?? [];
                return new RegionLine(code, labels.Region(code), rows.Sum(r => r.OpenCases),
                    rows.Where(r => Coordinators(r.DefinitionVersionId, r.CurrentStep)).Sum(r => r.ActiveCases), rows.Sum(r => r.Escalated), rows.Sum(r => r.Overdue));
            })
            .ToList();

        var coordinatorSteps = plans
            .SelectMany(p => p.Value.Steps.Where(s => s.Role == WorkflowRole.Coordinator).Select(s => (s.Key, Version: p.Key)))
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .Select(g => new AttentionStep(g.Key, [.. g.Select(s => s.Version)]))
            .ToList();
        var attention = await queries.AttentionAsync(now, coordinatorSteps, ListSize, cancellationToken);
        foreach (var id in attention.Select(a => a.DefinitionVersionId).Distinct().Where(id => !plans.ContainsKey(id)))
        {
            plans[id] = await catalog.GetPlanAsync(id, cancellationToken);
        }

        var lines = attention.Select(a => (Case: a, Line: new CaseLine(a.CaseId, a.Reference, a.Title, a.LeadCompanyName, labels.Region(a.RegionCode),
            plans[a.DefinitionVersionId].TryGetStep(a.CurrentStep, out var step) ? step.Name : Words.Humanize(a.CurrentStep),
            a.StepDueAt, a.StepDueAt < now, a.EscalatedFlag != 0))).ToList();
        return new Result(
            true,
            regions,
            [.. lines.Where(l => Coordinators(l.Case.DefinitionVersionId, l.Case.CurrentStep)).Select(l => l.Line).Take(ListSize)],
            [.. lines.Where(l => l.Line.Escalated).Select(l => l.Line).Take(ListSize)],
            [.. lines.Where(l => l.Line.Overdue).Select(l => l.Line).Take(ListSize)]);
    }
}
