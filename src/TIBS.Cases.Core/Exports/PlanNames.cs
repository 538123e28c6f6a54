using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Exports;

/// <summary>The names of steps, stages and end states of the definition versions an export meets, each version read once.</summary>
internal sealed class PlanNames(WorkflowCatalog catalog)
{
    private readonly Dictionary<Guid, WorkflowPlan?> plans = [];

    public async ValueTask<WorkflowPlan?> PlanAsync(Guid versionId, CancellationToken cancellationToken)
    {
        if (!plans.TryGetValue(versionId, out var plan))
        {
            try
            {
                plan = await catalog.GetPlanAsync(versionId, cancellationToken);
            }
            catch (InvalidOperationException)
            {
                plan = null;
            }

            plans[versionId] = plan;
        }

        return plan;
    }

    /// <summary>A step's or end state's name; a key the version does not name, made readable.</summary>
    public static string State(WorkflowPlan? plan, string key) =>
        plan is not null && plan.TryGetStep(key, out var step) ? step.Name
        : plan is not null && plan.TryGetEndState(key, out var end) ? end.Name
        : Words.Humanize(key);

    public static string Stage(WorkflowPlan? plan, string key) =>
        plan?.Stages.FirstOrDefault(s => s.Key == key)?.Name ?? Words.Humanize(key);
}
