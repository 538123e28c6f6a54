using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Web.Exports;

namespace TIBS.Cases.Web.Api;

/// <summary>A merge request: the duplicate to merge into the company of the address, and the versions the client saw (ETags).</summary>
internal sealed record MergeCompanyInput(Guid DuplicateId, int? SurvivorVersion = null, int? DuplicateVersion = null);

/// <summary>The surviving company after a merge and how much moved to it.</summary>
internal sealed record MergeCompanyResponse(Company Survivor, CompanyMergeCounts Moved, string Message);

/// <summary>A company's de minimis records with the sum over the three years up to today and what remains under the ceiling.</summary>
internal sealed record DeMinimisResponse(Guid CompanyId, IReadOnlyList<DeMinimisAid> Records, DateOnly From, DateOnly To, decimal SumEur, decimal RemainingEur, decimal CeilingEur, bool CanRecord);

/// <summary>Merges and de minimis aid of companies through the API, over the same Core handlers as the pages.</summary>
internal static class CompanyComplianceEndpoints
{
    public static RouteGroupBuilder MapCompanyCompliance(this RouteGroupBuilder companies)
    {
        companies.MapPost("/{id:guid}/merge", Merge).WithName("MergeCompany")
            .WithSummary("Merge a duplicate into this company (coordinators): cases, partners, contacts and aid move to it in one transaction")
            .WithDescription("Give the versions you saw (survivorVersion, duplicateVersion): a company changed meanwhile is 412 and nothing is merged. "
                + "Merging a company into itself or into one already merged is 409.")
            .Writes().Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed);
        companies.MapGet("/{id:guid}/de-minimis", GetAid).WithName("GetDeMinimisAid")
            .WithSummary("A company's de minimis records and the sum over the last three years (EUR 300,000 ceiling)")
            .WithDescription("JSON gives the records and the sum; 'Accept: text/csv' or the XLSX media type gives the records as a download.")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        companies.MapPost("/{id:guid}/de-minimis", RecordAid).WithName("RecordDeMinimisAid")
            .WithSummary("Record declared de minimis aid; over the three-year ceiling it is 409 unless recordOverCeiling=true")
            .Writes().Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        return companies;
    }

    private static async Task<Results<Ok<MergeCompanyResponse>, ProblemHttpResult>> Merge(
        HttpContext context, Guid id, MergeCompanyInput body, MergeCompanies handler, CancellationToken cancellationToken)
    {
        if (body is null || body.DuplicateId == Guid.Empty)
        {
            return ApiProblems.Fields([new("duplicateId", "Give the id of the duplicate company to merge into this one.")]);
        }

        var result = await handler.HandleAsync(new MergeCompanies.Request(id, body.DuplicateId, body.SurvivorVersion, body.DuplicateVersion), context.Actor(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiConcurrency.Refusal(result.Status, result.Message, []);
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(result.Survivor!.Version);
        return TypedResults.Ok(new MergeCompanyResponse(result.Survivor, result.Counts!, result.Message));
    }

    private static async Task<Results<Ok<DeMinimisResponse>, ExportResult, ProblemHttpResult>> GetAid(
        HttpContext context, Guid id, GetDeMinimisAid handler, DeMinimisExport export, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetDeMinimisAid.Request(id), context.Actor(), cancellationToken);
        if (result.View is not { } view)
        {
            return ApiConcurrency.Refusal(result.Status, result.Status == CaseCommandStatus.Forbidden
                ? "Only brokers, coordinators and evaluators read de minimis aid." : "The company was not found.", []);
        }

        var choice = ExportNegotiation.Choose(context.Request);
        if (choice is ExportNegotiation.Choice.Csv or ExportNegotiation.Choice.Xlsx
            && export.Handle(new DeMinimisExport.Request([view.Company.Id]), context.Actor(), cancellationToken) is { } table)
        {
            return new ExportResult(table, choice == ExportNegotiation.Choice.Csv ? ExportFormat.Csv : ExportFormat.Xlsx);
        }

        var s = view.LastThreeYears;
        return TypedResults.Ok(new DeMinimisResponse(view.Company.Id, view.Records, s.From, s.To, s.Sum, s.Remaining, view.CeilingCents / 100m, view.CanRecord));
    }

    private static async Task<Results<Created<DeMinimisAid>, ProblemHttpResult>> RecordAid(
        HttpContext context, Guid id, DeMinimisFields body, RecordDeMinimisAid handler, [FromQuery] bool? recordOverCeiling, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new RecordDeMinimisAid.Request(id, body ?? new DeMinimisFields(), recordOverCeiling ?? false), context.Actor(), cancellationToken);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/companies/{id}/de-minimis", result.Aid!)
            : ApiConcurrency.Refusal(result.Status, result.Message, result.FieldErrors);
    }
}
