using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Indicators;

/// <summary>
/// Time in step for coordinators improving their definitions and evaluators judging them: per definition version,
/// each step's median and 90th percentile days, overdue share and how often cases were sent back to it, as a table
/// and as heat on the version's diagram (a band per step by its median days).
/// </summary>
public sealed class TimeInStep(IIndicatorQueries queries, IWorkflowStore workflows, WorkflowCatalog catalog, TimeProvider time)
{
    public sealed record Request(Actor Actor, int? Version, string DefinitionKey = ProgrammeIndicators.DefinitionKey);

    public sealed record Row(string StepKey, string StepName, string StageName, StepTime Time, int? Band);

    /// <summary>A band of the legend: its colours and the median days it covers.</summary>
    public sealed record LegendBand(HeatBand Colours, double FromDays, double ToDays);

    public sealed record Result(
        bool Allowed,
        string? Error,
        string DefinitionName,
        IReadOnlyList<int> Versions,
        int? Version,
        IReadOnlyList<Row> Rows,
        IReadOnlyList<Row> MostSentBack,
        string? Diagram,
        IReadOnlyList<LegendBand> Legend)
    {
        public static Result Forbidden { get; } = new(false, null, "", [], null, [], [], null, []);
    }

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ProgrammeIndicators.MaySee(request.Actor))
        {
            return Result.Forbidden;
        }

        var published = (await workflows.ListVersionsAsync(request.DefinitionKey, cancellationToken))
            .Where(v => v.PublishedAt is not null).OrderByDescending(v => v.Number).ToList();
        var definition = await workflows.GetDefinitionAsync(request.DefinitionKey, cancellationToken);
        var times = await queries.StepTimesAsync(request.DefinitionKey, time.GetUtcNow(), cancellationToken);
        var versions = published.Select(v => v.Number).ToList();
        var chosen = request.Version ?? times.Select(t => (int?)t.Version).Max() ?? versions.FirstOrDefault();
        var record = published.FirstOrDefault(v => v.Number == chosen);
        if (record is null)
        {
            return Result.Forbidden with
            {
                Allowed = true,
                DefinitionName = definition?.Name ?? request.DefinitionKey,
                Versions = versions,
                Error = versions.Count == 0
                    ? Localized.Text("This definition has no published version yet.")
                    : Localized.Format("There is no published version {0} of this definition: choose one of {1}.", request.Version, string.Join(", ", versions)),
            };
        }

        var plan = await catalog.GetDisplayPlanAsync(record.Id, cancellationToken: cancellationToken);
        var mine = times.Where(t => t.Version == chosen).ToDictionary(t => t.StepKey, StringComparer.Ordinal);
        var legend = Legend(mine.Values.Where(t => t.MedianDays is not null).Select(t => t.MedianDays!.Value).ToList());
        int? BandOf(StepTime t) => t.MedianDays is { } m && legend.Count > 0
            ? legend.FindIndex(b => m <= b.ToDays) is var i && i >= 0 ? i : legend.Count - 1
            : null;

        var rows = plan.Steps.Select(s => (Step: s, Time: mine.GetValueOrDefault(s.Key)))
            .Where(x => x.Time is not null)
            .Select(x => new Row(x.Step.Key, x.Step.Name, StageName(plan, x.Step.StageKey), x.Time!, BandOf(x.Time!)))
            .Concat(mine.Values.Where(t => !plan.TryGetStep(t.StepKey, out _)).Select(t => new Row(t.StepKey, Words.Humanize(t.StepKey), Localized.Text("(not in this version)"), t, null)))
            .ToList();
        var bands = rows.Where(r => r.Band is not null).ToDictionary(r => r.StepKey, r => r.Band!.Value, StringComparer.Ordinal);
        return new Result(
            true,
            null,
            definition?.Name ?? plan.Name,
            versions,
            chosen,
            rows,
            [.. rows.Where(r => r.Time.SentBack > 0).OrderByDescending(r => r.Time.SentBack).ThenBy(r => r.StepName, StringComparer.Ordinal).Take(5)],
            WorkflowDiagram.Heat(plan, bands, new DiagramOptions(IncludeCaseActions: false)),
            legend);
    }

    private static string StageName(WorkflowPlan plan, string stageKey) => plan.Stages.FirstOrDefault(s => s.Key == stageKey)?.Name ?? Words.Humanize(stageKey);

    /// <summary>Five equal bands from the fastest to the slowest median of the version (fewer when the medians are all equal).</summary>
    internal static List<LegendBand> Legend(IReadOnlyList<double> medians)
    {
        if (medians.Count == 0)
        {
            return [];
        }

        var low = medians.Min();
        var high = medians.Max();
        if (high - low < 0.05)
        {
            return [new LegendBand(WorkflowDiagram.HeatBands[0], low, high)];
        }

        var count = WorkflowDiagram.HeatBands.Count;
        var width = (high - low) / count;
        return [.. Enumerable.Range(0, count).Select(i => new LegendBand(WorkflowDiagram.HeatBands[i], low + (i * width), i == count - 1 ? high : low + ((i + 1) * width)))];
    }
}
