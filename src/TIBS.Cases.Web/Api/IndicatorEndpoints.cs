using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Web.Exports;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// The programme's indicators through <c>/api/v1</c>: the indicators of a filter with their breakdown, the monitoring
/// table (output and result indicators per partner region) and time in step, as JSON, CSV or XLSX by the Accept header.
/// Evaluators and coordinators only, as on the indicator pages.
/// </summary>
internal static class IndicatorEndpoints
{
    private const string Negotiation = "JSON gives the columns and the rows; 'Accept: text/csv' or the XLSX media type gives a download.";

    public static RouteGroupBuilder MapIndicators(this RouteGroupBuilder api)
    {
        api.MapGet("/indicators", Indicators).WithTags("Indicators").WithName("ListIndicators")
            .WithSummary("The programme's output and result indicators, in total and broken down by region, country, S3 area or year")
            .WithDescription("Evaluators and coordinators. Filters as on the indicators page: region, country, s3, from, to (yyyy-MM-dd), by (region, country, s3 or year). " + Negotiation)
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status406NotAcceptable, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/indicators/monitoring", Monitoring).WithTags("Indicators").WithName("ListMonitoringIndicators")
            .WithSummary("The monitoring table of a partner report: per partner region and indicator, the period's and the cumulative value with the cases as evidence")
            .WithDescription("Evaluators and coordinators. Filters: region, country, s3, from, to (the reporting period). " + Negotiation)
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status406NotAcceptable, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/indicators/time-in-step", TimeInStepTable).WithTags("Indicators").WithName("ListTimeInStep")
            .WithSummary("Time in step of a published workflow definition version: median and 90th percentile days, overdue share, times sent back")
            .WithDescription("Evaluators and coordinators. version: the definition version (the newest published when left out). " + Negotiation)
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status406NotAcceptable, StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>An indicator table as JSON: what each column holds, then the rows (one value per column).</summary>
    public sealed record IndicatorTableResponse(IReadOnlyList<ExportColumn> Columns, IAsyncEnumerable<object?[]> Rows);

    private static Task<Results<Ok<IndicatorTableResponse>, ExportResult, ProblemHttpResult>> Indicators(
        HttpContext context, IndicatorExports exports, string? region, string? country, string? s3, string? from, string? to, string? by, CancellationToken cancellationToken) =>
        Serve(context, () => exports.IndicatorsAsync(context.Actor(), new ProgrammeIndicators.Input(region, country, s3, from, to, by), cancellationToken));

    private static Task<Results<Ok<IndicatorTableResponse>, ExportResult, ProblemHttpResult>> Monitoring(
        HttpContext context, IndicatorExports exports, string? region, string? country, string? s3, string? from, string? to, CancellationToken cancellationToken) =>
        Serve(context, () => exports.MonitoringTableAsync(context.Actor(), new ProgrammeIndicators.Input(region, country, s3, from, to), cancellationToken));

    private static Task<Results<Ok<IndicatorTableResponse>, ExportResult, ProblemHttpResult>> TimeInStepTable(
        HttpContext context, IndicatorExports exports, int? version, CancellationToken cancellationToken) =>
        Serve(context, () => exports.TimeInStepAsync(context.Actor(), version, cancellationToken));

    private static async Task<Results<Ok<IndicatorTableResponse>, ExportResult, ProblemHttpResult>> Serve(HttpContext context, Func<Task<IndicatorExports.Outcome>> export)
    {
        var choice = ExportNegotiation.Choose(context.Request);
        if (choice == ExportNegotiation.Choice.NotAcceptable)
        {
            return ApiProblems.Problem(StatusCodes.Status406NotAcceptable, ExportNegotiation.NotAcceptableDetail(context.Request));
        }

        var outcome = await export();
        if (!outcome.Allowed)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Only evaluators and coordinators read the programme's indicators.");
        }

        if (outcome.Table is not { } table)
        {
            return ApiProblems.Fields(outcome.Errors, "These filters cannot be used; see 'errors'.");
        }

        return choice switch
        {
            ExportNegotiation.Choice.Csv => new ExportResult(table, ExportFormat.Csv),
            ExportNegotiation.Choice.Xlsx => new ExportResult(table, ExportFormat.Xlsx),
            _ => TypedResults.Ok(new IndicatorTableResponse(table.Columns, table.Rows)),
        };
    }
}
