using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>A page of companies in name order (the alphabet of the caller's language); pass <see cref="NextCursor"/> as <c>after</c> for the next one.</summary>
internal sealed record CompanyListResponse(IReadOnlyList<CompanySummary> Items, string? NextCursor);

/// <summary>A company with its contact persons and the names of its region; <see cref="Version"/> is its ETag.</summary>
internal sealed record CompanyResponse(Company Company, bool CanEdit, string RegionName, string CountryName);

internal static class CompanyEndpoints
{
    public static RouteGroupBuilder MapCompanies(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/companies").WithTags("Companies");
        group.MapGet("/", Search).WithName("SearchCompanies").WithSummary("Search companies (brokers, coordinators)")
            .WithDescription("Text and filters are optional; results in name order in the alphabet of the caller's language, a page at a time with the cursor 'after' (which keeps the order the first page was sorted in).")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", Get).WithName("GetCompany").WithSummary("A company with its contact persons; ETag = its version")
            .Problems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        group.MapPost("/", Create).WithName("CreateCompany").WithSummary("Register a company with its contact persons")
            .WithDescription("A register number already registered in the country is 422 with 'existingCompany'; a close name in the same region is 409 "
                + "with 'probableDuplicates' until sent again with registerAnyway=true.")
            .Writes().Problems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapPut("/{id:guid}", Update).WithName("UpdateCompany").WithSummary("Save a company's profile and contact persons (If-Match required)")
            .Writes().Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired);
        group.MapPost("/{id:guid}/contacts", AddContact).WithName("AddCompanyContact").WithSummary("Add a contact person (If-Match optional)")
            .Writes().Problems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status422UnprocessableEntity);
        group.MapPut("/{id:guid}/contacts/{contactId:guid}", UpdateContact).WithName("UpdateCompanyContact").WithSummary("Change a contact person (If-Match optional)")
            .Writes().Problems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{id:guid}/contacts/{contactId:guid}", RemoveContact).WithName("RemoveCompanyContact").WithSummary("Remove a contact person (If-Match optional)")
            .Writes().Problems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed);
        group.MapCompanyImports();
        group.MapCompanyCompliance();
        return api;
    }

    private static async Task<Results<Ok<CompanyListResponse>, ProblemHttpResult>> Search(
        HttpContext context, SearchCompanies handler, string? text, string? country, string? region, string? s3, string? nace, string? size, string? after,
        int? pageSize, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(
            new SearchCompanies.Request(text, country, region, s3, nace, size, after, pageSize ?? CompanySearch.DefaultPageSize), context.Actor(), cancellationToken);
        return result is null ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "Only brokers and coordinators search companies.")
            : result.FilterErrors.Count > 0 ? ApiProblems.Fields(result.FilterErrors, "These filters cannot be searched for; see 'errors'.")
            : TypedResults.Ok(new CompanyListResponse(result.Items, result.NextCursor));
    }

    private static async Task<Results<Ok<CompanyResponse>, ProblemHttpResult>> Get(HttpContext context, Guid id, GetCompany handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetCompany.Request(id), context.Actor(), cancellationToken);
        if (result.View is not { } view)
        {
            return ApiConcurrency.Refusal(result.Status, result.Status == Core.Cases.CaseCommandStatus.Forbidden
                ? "Only brokers and coordinators read companies." : "The company was not found.", []);
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(view.Company.Version);
        return TypedResults.Ok(new CompanyResponse(view.Company, view.CanEdit, view.RegionName, view.CountryName));
    }

    private static async Task<Results<Created<Company>, ProblemHttpResult>> Create(
        HttpContext context, CompanyFields body, CreateCompany handler, bool? registerAnyway, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new CreateCompany.Request(body ?? new CompanyFields(), registerAnyway ?? false), context.Actor(), cancellationToken);
        return Answer(context, result, c => TypedResults.Created($"/api/v1/companies/{c.Id}", c));
    }

    private static async Task<Results<Ok<Company>, ProblemHttpResult>> Update(
        HttpContext context, Guid id, CompanyFields body, UpdateCompany handler, CancellationToken cancellationToken)
    {
        var (version, problem) = ApiConcurrency.IfMatch(context.Request, required: true);
        if (problem is not null)
        {
            return problem;
        }

        var result = await handler.HandleAsync(new UpdateCompany.Request(id, version!.Value, body ?? new CompanyFields()), context.Actor(), cancellationToken);
        return Answer(context, result, TypedResults.Ok);
    }

    private static Task<Results<Ok<Company>, ProblemHttpResult>> AddContact(
        HttpContext context, Guid id, ContactFields body, AddContact handler, CancellationToken cancellationToken) =>
        ContactAsync(context, version => handler.HandleAsync(new AddContact.Request(id, body ?? new ContactFields(), version), context.Actor(), cancellationToken));

    private static Task<Results<Ok<Company>, ProblemHttpResult>> UpdateContact(
        HttpContext context, Guid id, Guid contactId, ContactFields body, UpdateContact handler, CancellationToken cancellationToken) =>
        ContactAsync(context, version => handler.HandleAsync(new UpdateContact.Request(id, contactId, body ?? new ContactFields(), version), context.Actor(), cancellationToken));

    private static Task<Results<Ok<Company>, ProblemHttpResult>> RemoveContact(
        HttpContext context, Guid id, Guid contactId, RemoveContact handler, CancellationToken cancellationToken) =>
        ContactAsync(context, version => handler.HandleAsync(new RemoveContact.Request(id, contactId, version), context.Actor(), cancellationToken));

    private static async Task<Results<Ok<Company>, ProblemHttpResult>> ContactAsync(HttpContext context, Func<int?, Task<CompanyCommandResult>> run)
    {
        var (version, problem) = ApiConcurrency.IfMatch(context.Request, required: false);
        return problem ?? Answer(context, await run(version), TypedResults.Ok);
    }

    /// <summary>
    /// The same register number (422 with 'existingCompany') or probable duplicates by name (409 with 'probableDuplicates';
    /// send again with registerAnyway=true to register all the same); null for other refusals.
    /// </summary>
    private static ProblemHttpResult? DuplicateProblem(CompanyCommandResult result)
    {
        static object Link(CompanySummary c) => new { c.Id, c.Name, c.CountryCode, c.RegionCode, c.RegisterNumber, href = $"/api/v1/companies/{c.Id}" };
        if (result.SameNumber is { } same && ApiProblems.Fields(result.FieldErrors, result.Message) is { ProblemDetails: { } details } invalid)
        {
            details.Extensions["existingCompany"] = Link(same);
            return invalid;
        }

        if (result.ProbableDuplicates.Count > 0 && ApiProblems.Problem(StatusCodes.Status409Conflict, result.Message) is { ProblemDetails: { } conflict } problem)
        {
            conflict.Extensions["probableDuplicates"] = result.ProbableDuplicates.Select(Link).ToList();
            return problem;
        }

        return null;
    }

    private static Results<T, ProblemHttpResult> Answer<T>(HttpContext context, CompanyCommandResult result, Func<Company, T> done)
        where T : IResult
    {
        if (!result.Succeeded)
        {
            return DuplicateProblem(result) ?? ApiConcurrency.Refusal(result.Status, result.Message, result.FieldErrors);
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(result.Company!.Version);
        return done(result.Company);
    }
}
