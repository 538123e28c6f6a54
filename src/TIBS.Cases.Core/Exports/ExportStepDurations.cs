using System.Runtime.CompilerServices;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Exports;

/// <summary>
/// Step durations: one row per step a case went through (the cases the reader may read, as on the case list), with when
/// it was entered and left, the days spent in it (until now for the current step), whether it was overdue and whether
/// it sent the case back. A step sent the case back when the step the case went to next is one the case had already
/// been in.
/// </summary>
public sealed class ExportStepDurations(IExportQueries queries, WorkflowCatalog catalog, IReferenceDataStore reference, TimeProvider time)
{
    public static IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("Case", ExportColumnKind.Text, "The case's reference."),
        new("Title", ExportColumnKind.Text),
        new("Region", ExportColumnKind.Text),
        new("Definition version", ExportColumnKind.Text, "The workflow definition and version the case runs on."),
        new("Step", ExportColumnKind.Text),
        new("Entered", ExportColumnKind.DateTime, "When the case entered the step (UTC)."),
        new("Left", ExportColumnKind.DateTime, "When the step was completed (UTC); empty for the current step."),
        new("Days in step", ExportColumnKind.Decimal, "From entering to leaving (or until now for the current step), in days to two decimals."),
        new("Due", ExportColumnKind.DateTime, "When the step was due (UTC); empty when the step has no due time."),
        new("Overdue", ExportColumnKind.Boolean, "Whether the step was left after its due time, or is still open past it."),
        new("Sent back", ExportColumnKind.Boolean, "Whether leaving the step took the case back to a step it had already been in."),
    ];

    public sealed record Request(StepDurationFilter Filter);

    /// <summary>The table, or the filters that cannot be used (nothing is exported then).</summary>
    public sealed record Result(ExportTable? Table, IReadOnlyList<FieldError> Problems);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var problems = Text.TextRules.FilterProblems(("region", Localized.Text("The region"), request.Filter.Region), ("status", Localized.Text("The status"), request.Filter.Status));
        if (problems.Count > 0)
        {
            return new Result(null, problems);
        }

        var now = time.GetUtcNow();
        var labels = await ReferenceLabels.LoadAsync(reference, cancellationToken);
        return new Result(new ExportTable($"step-durations-{now:yyyy-MM-dd}", Columns, RowsAsync(request.Filter, actor, now, labels, cancellationToken)), []);
    }

    private async IAsyncEnumerable<object?[]> RowsAsync(StepDurationFilter filter, Actor actor, DateTimeOffset now, ReferenceLabels labels, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = new PlanNames(catalog);

        // A step's "sent back" is known when the case's next step is read: one row is held back, never more.
        StepDurationRecord? held = null;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var step in queries.StreamStepDurationsAsync(filter, actor, cancellationToken).WithCancellation(cancellationToken))
        {
            if (held is not null)
            {
                var sameCase = held.CaseId == step.CaseId;
                yield return Row(held, await names.PlanAsync(held.DefinitionVersionId, cancellationToken), sentBack: sameCase && visited.Contains(step.StepKey));
                if (!sameCase)
                {
                    visited.Clear();
                }
            }

            visited.Add(step.StepKey);
            held = step;
        }

        if (held is not null)
        {
            yield return Row(held, await names.PlanAsync(held.DefinitionVersionId, cancellationToken), sentBack: false);
        }

        object?[] Row(StepDurationRecord s, WorkflowPlan? plan, bool sentBack)
        {
            var until = s.CompletedAt ?? now;
            return
            [
                s.Reference, s.Title, labels.Region(s.RegionCode), plan is null ? null : $"{plan.Name} v{plan.Version}", PlanNames.State(plan, s.StepKey),
                s.StartedAt, s.CompletedAt, DaysBetween(s.StartedAt, until), s.DueAt, s.DueAt is { } due && until > due, sentBack,
            ];
        }
    }

    /// <summary>Days from <paramref name="from"/> to <paramref name="to"/>, to two decimals (never negative).</summary>
    public static decimal DaysBetween(DateTimeOffset from, DateTimeOffset to) =>
        Math.Round((decimal)Math.Max(0, (to - from).TotalDays), 2, MidpointRounding.AwayFromZero);
}
