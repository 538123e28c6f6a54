using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Exports.Dossier;
using TIBS.Cases.Web.Exports;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// Exports of <c>/api/v1</c>: step durations as JSON, CSV or XLSX (by the Accept header), and a case's dossier as PDF.
/// The case list's export is <c>GET /api/v1/cases</c> with a CSV or XLSX Accept header (<see cref="CaseEndpoints"/>).
/// </summary>
internal static class ExportEndpoints
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder api)
    {
        api.MapGet("/step-durations", StepDurations).WithTags("Exports").WithName("ListStepDurations")
            .WithSummary("One row per step a case went through: entered, left, days in step, due, overdue, sent back")
            .WithDescription("The cases you may read, as on the case list; filters: region, status. "
                + "JSON gives the columns and the rows; 'Accept: text/csv' or the XLSX media type gives a download.")
            .Problems(StatusCodes.Status406NotAcceptable, StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/cases/{id:guid}/dossier", Dossier).WithTags("Cases").WithName("DownloadCaseDossier")
            .WithSummary("The case's dossier as PDF: the strategy, every step's form, check-ins, agreement, attachments, timeline and audit trail")
            .Produces<Stream>(StatusCodes.Status200OK, DossierPdf.MediaType).Problems(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>Step durations as JSON: what each column holds, then the rows (one value per column).</summary>
    public sealed record StepDurationsResponse(IReadOnlyList<ExportColumn> Columns, IAsyncEnumerable<object?[]> Rows);

    private static async Task<Results<Ok<StepDurationsResponse>, ExportResult, ProblemHttpResult>> StepDurations(
        HttpContext context, ExportStepDurations handler, string? region, string? status, CancellationToken cancellationToken)
    {
        var choice = ExportNegotiation.Choose(context.Request);
        if (choice == ExportNegotiation.Choice.NotAcceptable)
        {
            return ApiProblems.Problem(StatusCodes.Status406NotAcceptable, ExportNegotiation.NotAcceptableDetail(context.Request));
        }

        var result = await handler.HandleAsync(new ExportStepDurations.Request(new StepDurationFilter { Region = region, Status = status }), context.Actor(), cancellationToken);
        if (result.Table is not { } table)
        {
            return ApiProblems.Fields(result.Problems, "These filters cannot be used; see 'errors'.");
        }

        return choice switch
        {
            ExportNegotiation.Choice.Csv => new ExportResult(table, ExportFormat.Csv),
            ExportNegotiation.Choice.Xlsx => new ExportResult(table, ExportFormat.Xlsx),
            _ => TypedResults.Ok(new StepDurationsResponse(table.Columns, table.Rows)),
        };
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Dossier(HttpContext context, Guid id, GetDossier handler, CancellationToken cancellationToken)
    {
        if (await handler.HandleAsync(id, context.Actor(), cancellationToken) is not { } dossier)
        {
            return CaseEndpoints.CaseNotFound();
        }

        var buffer = new MemoryStream();
        DossierPdf.Render(dossier).Save(buffer, closeStream: false);
        buffer.Position = 0;
        return TypedResults.File(buffer, DossierPdf.MediaType, $"{dossier.FileName}.pdf");
    }
}
