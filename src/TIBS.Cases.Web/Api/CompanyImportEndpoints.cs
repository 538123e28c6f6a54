using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.Import;
using TIBS.Cases.Web.Imports;
using TIBS.Cases.Web.Infrastructure.RequestSafety;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// What an import did or would do, as the import page reports it: the companies accepted (with the rows they come
/// from), the rows rejected (row number as in the file, the header being row 1; column; reason), the probable
/// duplicates, and the columns ignored. <see cref="Written"/> is true only when the companies were written.
/// </summary>
internal sealed record CompanyImportResponse(
    bool DryRun,
    bool Written,
    string Message,
    int Rows,
    IReadOnlyList<ImportedCompany> Accepted,
    IReadOnlyList<RowProblem> Rejected,
    IReadOnlyList<ProbableDuplicate> Duplicates,
    IReadOnlyList<string> IgnoredColumns)
{
    internal static CompanyImportResponse Of(ImportReport report, bool dryRun) => new(
        dryRun, report.Written, report.Message, report.Rows, report.Accepted, report.Rejected, report.Duplicates, report.IgnoredColumns);
}

/// <summary>
/// Company imports through the API: the import page's file adapter and Core's <see cref="ImportCompanies"/>, with the
/// page's limits (<see cref="CompanyImportFile.MaxBytes"/> per file, <see cref="ImportColumns.MaxRows"/> rows). A dry
/// run (the default) writes nothing; <c>dryRun=false</c> writes every accepted company in one transaction.
/// </summary>
internal static class CompanyImportEndpoints
{
    public static void MapCompanyImports(this RouteGroupBuilder companies) =>
        companies.MapPost("/imports", Import).WithName("ImportCompanies")
            .WithSummary("Import companies and contact persons from a CSV or XLSX file (multipart/form-data, part 'file'); a dry run unless dryRun=false")
            .WithDescription("The same report as the import page: rows accepted, rejected with reasons, probable duplicates. "
                + "dryRun=false writes the accepted companies in one transaction; with expectedCount (the number the dry run accepted) nothing is "
                + "written when the check now accepts a different number (409). A file that cannot be read or lacks required columns is 422 with "
                + "'errors.file'; a file over 5 MB is 413. Nothing is written when no company can be imported (422).")
            .WithMetadata(new AcceptsUploadsAttribute { MaxBodyBytes = CompanyImportFile.MaxRequestBytes })
            .DisableAntiforgery().Writes()
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity);

    private static async Task<Results<Ok<CompanyImportResponse>, ProblemHttpResult>> Import(
        HttpContext context, IFormFile? file, bool? dryRun, int? expectedCount, ImportCompanies handler, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return ApiProblems.Fields([new("file", "Send the .csv or .xlsx file as multipart/form-data in the part 'file'.")]);
        }

        if (file.Length > CompanyImportFile.MaxBytes)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge,
                $"The file has {file.Length / 1024 / 1024.0:0.#} MB; an import takes at most {CompanyImportFile.MaxBytes / 1024 / 1024} MB. Split it into several files.");
        }

        var (contents, problem) = await ReadAsync(file);
        if (contents is null)
        {
            return ApiProblems.Fields([new("file", problem!)], "The file cannot be imported; see 'errors'. Nothing was written.");
        }

        var dry = dryRun ?? true;
        var report = await handler.HandleAsync(new ImportCompanies.Request(contents.Headers, contents.Rows, dry, dry ? null : expectedCount), context.Actor(), cancellationToken);
        var response = CompanyImportResponse.Of(report, dry);
        return report.Status switch
        {
            CaseCommandStatus.Done => TypedResults.Ok(response),
            CaseCommandStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, report.Message),
            CaseCommandStatus.InvalidForm => ApiProblems.Fields(report.FileProblems.Select(p => new TIBS.Cases.Workflows.Forms.FieldError("file", p)), report.Message),
            _ when expectedCount is not null && expectedCount != report.Accepted.Count => WithReport(StatusCodes.Status409Conflict, response),
            _ => WithReport(StatusCodes.Status422UnprocessableEntity, response),
        };
    }

    private static async Task<(CompanyImportFile.Contents? Contents, string? Problem)> ReadAsync(IFormFile file)
    {
        await using var stream = file.OpenReadStream();
        return CompanyImportFile.Read(stream, file.FileName, file.Length);
    }

    /// <summary>A refusal that carries the report, so that the caller sees why nothing was written.</summary>
    private static ProblemHttpResult WithReport(int status, CompanyImportResponse report)
    {
        var problem = new ProblemDetails { Status = status, Title = ApiProblems.Title(status), Detail = report.Message };
        problem.Extensions["report"] = report;
        return TypedResults.Problem(problem);
    }
}
