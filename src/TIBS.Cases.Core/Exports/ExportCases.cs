using System.Runtime.CompilerServices;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Exports;

/// <summary>
/// The case list as a table to download: the list's own filters and access rule (a broker exports exactly what the
/// list shows them), every page of it, newest first, in words (statuses, step and stage names, regions).
/// </summary>
public sealed class ExportCases(IExportQueries queries, WorkflowCatalog catalog, IReferenceDataStore reference, TimeProvider time)
{
    public static IReadOnlyList<ExportColumn> Columns { get; } =
    [
        new("Reference", ExportColumnKind.Text, "The case's reference: region, year, number."),
        new("Title", ExportColumnKind.Text),
        new("Lead company", ExportColumnKind.Text),
        new("Lead country", ExportColumnKind.Text),
        new("Region", ExportColumnKind.Text, "The region of the case (the lead company's)."),
        new("Status", ExportColumnKind.Text, "Active, On hold or Closed."),
        new("Stage", ExportColumnKind.Text),
        new("Step", ExportColumnKind.Text, "The current step, or how the case ended once closed."),
        new("Step due", ExportColumnKind.DateTime, "When the current step is due (UTC)."),
        new("Overdue", ExportColumnKind.Boolean, "Whether the current step of an active case is past its due time."),
        new("Broker", ExportColumnKind.Text, "The broker who owns the case."),
        new("Opened", ExportColumnKind.DateTime, "UTC."),
        new("Closed", ExportColumnKind.DateTime, "UTC; empty while the case is open."),
        new("Definition version", ExportColumnKind.Text, "The workflow definition and version the case runs on."),
    ];

    /// <param name="Filter">The case list's filters; its cursor and page size are ignored: every matching case is exported.</param>
    public sealed record Request(CaseFilter Filter);

    /// <summary>The table, or the filters that cannot be searched for (nothing is exported then).</summary>
    public sealed record Result(ExportTable? Table, IReadOnlyList<FieldError> Problems);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (request.Filter.Problems() is { Count: > 0 } problems)
        {
            return new Result(null, problems);
        }

        var now = time.GetUtcNow();
        var labels = await ReferenceLabels.LoadAsync(reference, cancellationToken);
        var filter = request.Filter with { After = null };
        var file = $"cases-{now:yyyy-MM-dd}";
        return new Result(new ExportTable(file, Columns, RowsAsync(filter, actor, now, labels, cancellationToken)), []);
    }

    private async IAsyncEnumerable<object?[]> RowsAsync(CaseFilter filter, Actor actor, DateTimeOffset now, ReferenceLabels labels, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = new PlanNames(catalog);
        await foreach (var c in queries.StreamCasesAsync(filter, actor, now, cancellationToken).WithCancellation(cancellationToken))
        {
            var plan = await names.PlanAsync(c.DefinitionVersionId, cancellationToken);
            yield return
            [
                c.Reference, c.Title, c.LeadCompanyName, c.LeadCountryCode.Length == 0 ? null : ReferenceLabels.Country(c.LeadCountryCode),
                labels.Region(c.RegionCode), Words.CaseStatus(c.Status),
                c.CurrentStage is { } stage ? PlanNames.Stage(plan, stage) : null, PlanNames.State(plan, c.CurrentStep),
                c.StepDueAt, c.Status == CaseStatus.Active && c.StepDueAt < now, c.OwnerName, c.OpenedAt, c.ClosedAt,
                plan is null ? null : $"{plan.Name} v{plan.Version}",
            ];
        }
    }
}
