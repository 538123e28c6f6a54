using System.Reflection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using TIBS.Cases.Core.Exports;

namespace TIBS.Cases.Web.Exports;

/// <summary>The formats an export is downloaded in.</summary>
internal enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// An <see cref="ExportTable"/> sent as a download in CSV or XLSX, written to the response body as its rows are read.
/// A result for both doors: Minimal API endpoints (<see cref="IResult"/>) and page handlers (<see cref="IActionResult"/>).
/// </summary>
internal sealed class ExportResult(ExportTable table, ExportFormat format) : IResult, IActionResult, IEndpointMetadataProvider
{
    public ExportTable Table => table;

    public ExportFormat Format => format;

    public static string MediaType(ExportFormat format) => format == ExportFormat.Xlsx ? XlsxExportWriter.MediaType : CsvExportWriter.MediaType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var extension = format == ExportFormat.Xlsx ? "xlsx" : "csv";
        response.ContentType = format == ExportFormat.Xlsx ? XlsxExportWriter.MediaType : $"{CsvExportWriter.MediaType}; charset=utf-8";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = $"{table.FileName}.{extension}" }.ToString();
        response.Headers.CacheControl = "no-store";
        if (format == ExportFormat.Xlsx)
        {
            // MiniExcel writes the workbook's closing directory (a few kilobytes) with synchronous writes; the rows
            // before it go out asynchronously. Allowed for this response only (decision 0024).
            httpContext.Features.Get<IHttpBodyControlFeature>()?.AllowSynchronousIO = true;
            await XlsxExportWriter.WriteAsync(table, response.Body, httpContext.RequestAborted);
        }
        else
        {
            await CsvExportWriter.WriteAsync(table, response.Body, httpContext.RequestAborted);
        }
    }

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }

    /// <summary>For the OpenAPI document: a 200 in CSV or XLSX.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), [CsvExportWriter.MediaType, XlsxExportWriter.MediaType]));
    }
}

/// <summary>What an API caller asked for in its Accept header: JSON, an export format, or something the address does not give.</summary>
internal static class ExportNegotiation
{
    public enum Choice
    {
        Json,
        Csv,
        Xlsx,
        NotAcceptable,
    }

    /// <summary>
    /// The first acceptable of the caller's media types by quality: <c>text/csv</c> (or <c>text/*</c>) → CSV, the XLSX
    /// media type → XLSX, JSON or a wildcard (or no Accept header) → JSON; anything else is not acceptable.
    /// </summary>
    public static Choice Choose(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            return Choice.Json;
        }

        foreach (var type in types.Where(t => t.Quality is not 0).OrderByDescending(t => t.Quality ?? 1))
        {
            var media = type.MediaType.Value?.ToLowerInvariant();
            switch (media)
            {
                case "text/csv" or "text/*":
                    return Choice.Csv;
                case XlsxExportWriter.MediaType:
                    return Choice.Xlsx;
                case "application/json" or "application/problem+json" or "application/*" or "*/*":
                    return Choice.Json;
                default:
                    if (media?.EndsWith("+json", StringComparison.Ordinal) == true)
                    {
                        return Choice.Json;
                    }

                    break;
            }
        }

        return Choice.NotAcceptable;
    }

    /// <summary>The words of a 406 for an address that answers in JSON, CSV and XLSX.</summary>
    public static string NotAcceptableDetail(HttpRequest request) =>
        $"This address answers in JSON (application/json), CSV (text/csv) or Excel ({XlsxExportWriter.MediaType}); the request's Accept header ('{request?.Headers.Accept}') asks for none of them.";
}
