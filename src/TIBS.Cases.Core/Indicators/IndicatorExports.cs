using System.Globalization;
using System.Runtime.CompilerServices;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Indicators;

/// <summary>
/// The indicator exports as <see cref="ExportTable"/>s (written as CSV or XLSX at the edge; columns documented in
/// docs/monitoring-exports.md): the indicators of a filter with their breakdown, time in step, and the output and
/// result indicator tables shaped like the monitoring system's partner report (Jems), one row per partner region and
/// indicator. Evaluators and coordinators only; a refused or invalid request gets no table and says why.
/// </summary>
public sealed class IndicatorExports(IIndicatorQueries queries, IReferenceDataStore reference, Organisations.IOrganisationStore organisations, TimeInStep timeInStep)
{
    /// <summary>How many case references a monitoring row lists as its evidence.</summary>
    public const int EvidenceReferences = 50;

    public sealed record Outcome(bool Allowed, IReadOnlyList<FieldError> Errors, ExportTable? Table);

    private static readonly Outcome Refused = new(false, [], null);

    public static IReadOnlyList<ExportColumn> IndicatorColumnsList { get; } =
    [
        IndicatorColumns.Code,
        IndicatorColumns.Name,
        new("Type", ExportColumnKind.Text, "Output or Result."),
        new("Unit", ExportColumnKind.Text, "organisations (distinct, each counted once) or solutions (a sum)."),
        new("Breakdown", ExportColumnKind.Text, "What the group is: region, country, S3 area or year; empty on the total row."),
        new("Group", ExportColumnKind.Text, "The region, country, S3 area or year; “All” on the total row."),
        new("Value", ExportColumnKind.Integer, "The indicator's value in the group. Organisations in several groups count in each, once in the total."),
        new("Period start", ExportColumnKind.Date, "The filter's first day, empty when open."),
        new("Period end", ExportColumnKind.Date, "The filter's last day, empty when open."),
    ];

    public static IReadOnlyList<ExportColumn> TimeInStepColumns { get; } =
    [
        new("Definition version", ExportColumnKind.Integer, "The version of the workflow definition the step records' time began under."),
        new("Stage", ExportColumnKind.Text, "The stage of the step in that version."),
        new("Step", ExportColumnKind.Text, "The step's name."),
        new("Step key", ExportColumnKind.Text, "The step's key in the definition."),
        new("Completed step records", ExportColumnKind.Integer, "Step records that ended (migration moves excluded)."),
        new("Median days", ExportColumnKind.Decimal, "Median days from start to end of the completed step records."),
        new("90th percentile days", ExportColumnKind.Decimal, "90th percentile of the same, interpolated like PERCENTILE_CONT."),
        new("Step records with a due date", ExportColumnKind.Integer, "Completed and open step records that had a due date."),
        new("Overdue step records", ExportColumnKind.Integer, "Of those, the ones that ended after it or are still open past it."),
        new("Overdue share", ExportColumnKind.Decimal, "Overdue step records divided by step records with a due date (0 to 1)."),
        new("Times sent back", ExportColumnKind.Integer, "Step records that entered the step again in a case that had been in it before."),
    ];

    public static IReadOnlyList<ExportColumn> MonitoringColumns { get; } =
    [
        new("Partner region", ExportColumnKind.Text, "The NUTS code of the TIBS partner region whose broker ran the cases (the reporting partner)."),
        new("Partner region name", ExportColumnKind.Text, "The region's name."),
        new("Reporting period start", ExportColumnKind.Date, "First day of the reporting period, empty when open."),
        new("Reporting period end", ExportColumnKind.Date, "Last day of the reporting period, empty when open."),
        new("Indicator type", ExportColumnKind.Text, "Output or Result, as in the programme's indicator tables."),
        new("Indicator ID", ExportColumnKind.Text, "The programme indicator code, e.g. RCO87."),
        new("Indicator name", ExportColumnKind.Text, "The indicator's name."),
        new("Measurement unit", ExportColumnKind.Text, "organisations or solutions."),
        new("Value in this period", ExportColumnKind.Integer, "Achieved in the reporting period (by the date each case counted)."),
        new("Cumulative value", ExportColumnKind.Integer, "Achieved from the start up to the end of the reporting period."),
        new("Evidence", ExportColumnKind.Text, "References of the cases behind the value in this period (at most 50), separated by “; ”."),
    ];

    public async Task<Outcome> IndicatorsAsync(Actor actor, ProgrammeIndicators.Input input, CancellationToken cancellationToken = default)
    {
        if (!ProgrammeIndicators.MaySee(actor))
        {
            return Refused;
        }

        var choices = await IndicatorChoices.LoadAsync(reference, organisations, cancellationToken);
        var (filter, by, errors) = choices.Parse(input);
        if (errors.Count > 0)
        {
            return new Outcome(true, errors, null);
        }

        var values = await queries.CountAsync(filter, by, cancellationToken);
        return new Outcome(true, [], new ExportTable($"indicators-{Stamp(filter)}", IndicatorColumnsList, IndicatorRows(values, by, filter, choices)));
    }

    public async Task<Outcome> TimeInStepAsync(Actor actor, int? version, CancellationToken cancellationToken = default)
    {
        var result = await timeInStep.HandleAsync(new TimeInStep.Request(actor, version), cancellationToken);
        if (!result.Allowed)
        {
            return Refused;
        }

        if (result.Error is { } error)
        {
            return new Outcome(true, [new FieldError("version", error)], null);
        }

        return new Outcome(true, [], new ExportTable($"time-in-step-v{result.Version}", TimeInStepColumns, Rows(result.Rows.Select(r => new object?[]
        {
            r.Time.Version, r.StageName, r.StepName, r.StepKey, r.Time.Completed, r.Time.MedianDays, r.Time.P90Days, r.Time.WithDue, r.Time.Overdue, r.Time.OverdueShare, r.Time.SentBack,
        }))));
    }

    /// <summary>The output and result indicator table of a partner report: per partner region and indicator, the period's and the cumulative value with evidence.</summary>
    public async Task<Outcome> MonitoringTableAsync(Actor actor, ProgrammeIndicators.Input input, CancellationToken cancellationToken = default)
    {
        if (!ProgrammeIndicators.MaySee(actor))
        {
            return Refused;
        }

        var choices = await IndicatorChoices.LoadAsync(reference, organisations, cancellationToken);
        var (filter, _, errors) = choices.Parse(input with { By = null });
        if (errors.Count > 0)
        {
            return new Outcome(true, errors, null);
        }

        return new Outcome(true, [], new ExportTable($"monitoring-indicators-{Stamp(filter)}", MonitoringColumns, MonitoringRows(filter, choices, cancellationToken)));
    }

    private async IAsyncEnumerable<object?[]> MonitoringRows(IndicatorFilter filter, IndicatorChoices choices, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var period = await queries.CountAsync(filter, IndicatorDimension.Region, cancellationToken);
        var cumulative = await queries.CountAsync(filter with { From = null }, IndicatorDimension.Region, cancellationToken);
        var regions = choices.Regions.Where(r => filter.RegionCode is null || r.Code == filter.RegionCode).Where(r => filter.CountryCode is null || r.CountryCode == filter.CountryCode);
        foreach (var region in regions)
        {
            foreach (var indicator in IndicatorCatalog.All)
            {
                long Value(IReadOnlyList<IndicatorValue> values) => values.FirstOrDefault(v => v.Code == indicator.Code && v.Group == region.Code)?.Value ?? 0;
                var inPeriod = Value(period);
                var evidence = inPeriod == 0 ? [] : await queries.CasesAsync(filter with { RegionCode = region.Code }, indicator.Code, null, null, 5000, cancellationToken);
                yield return
                [
                    region.Code, region.Name, filter.From, filter.To, indicator.Kind, indicator.Code, indicator.EnglishName, indicator.EnglishUnitName, inPeriod, Value(cumulative),
                    string.Join("; ", evidence.Where(e => indicator.Unit == IndicatorUnit.Organisations || e.Amount > 0).Select(e => e.Reference).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(EvidenceReferences)),
                ];
            }
        }
    }

    private static async IAsyncEnumerable<object?[]> IndicatorRows(IReadOnlyList<IndicatorValue> values, IndicatorDimension? by, IndicatorFilter filter, IndicatorChoices choices)
    {
        await Task.CompletedTask;
        var breakdown = IndicatorChoices.EnglishBreakdown(by);
        foreach (var indicator in IndicatorCatalog.All)
        {
            var mine = values.Where(v => v.Code == indicator.Code).ToList();
            yield return [indicator.Code, indicator.EnglishName, indicator.Kind, indicator.EnglishUnitName, null, "All", mine.FirstOrDefault(v => v.Group.Length == 0)?.Value ?? 0L, filter.From, filter.To];
            foreach (var v in mine.Where(v => v.Group.Length > 0).OrderBy(v => v.Group, StringComparer.Ordinal))
            {
                yield return [indicator.Code, indicator.EnglishName, indicator.Kind, indicator.EnglishUnitName, breakdown, choices.GroupLabel(by, v.Group), v.Value, filter.From, filter.To];
            }
        }
    }

    private static async IAsyncEnumerable<object?[]> Rows(IEnumerable<object?[]> rows)
    {
        await Task.CompletedTask;
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    private static string Stamp(IndicatorFilter filter) =>
        filter.From is null && filter.To is null ? "all" : string.Create(CultureInfo.InvariantCulture, $"{filter.From:yyyy-MM-dd}_{filter.To:yyyy-MM-dd}").Trim('_');
}
