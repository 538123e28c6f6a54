using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// The cases of <c>/api/v1</c>: the list, one case, opening one and what can be done with it; the commands on a case
/// are in <see cref="CaseCommandEndpoints"/>. Every answer comes from Core's case handlers, with the pages' access:
/// a case the caller may not read is not found.
/// </summary>
internal static class CaseEndpoints
{
    public static RouteGroupBuilder MapCases(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cases").WithTags("Cases");
        group.MapGet("/", List).WithName("ListCases").WithSummary("The cases you may read, newest first, with the case list's filters")
            .WithDescription("Filters as on the case list page: q (reference, title or company), stage, step, status, region, broker (owner's id), overdue, escalated. "
                + "A page at a time: 'limit' (1-100, default 25) and the cursor 'after' from 'nextCursor' or the Link header. "
                + "With 'Accept: text/csv' or the XLSX media type, every case of the filters (no paging) as a download, as the case list's export buttons give it.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status406NotAcceptable, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", Get).WithName("GetCase").WithSummary("One case with its steps, participants, check-ins, notes and attachments; ETag = its version")
            .WithDescription($"With one page of its audit events ('events', oldest first): the latest {EventPage.DefaultTake}, or those before 'eventsBefore' "
                + $"(from 'earlierEventsBefore'); 'eventsLimit' (1-{EventPage.MaxTake}) sets how many. 'earlierEvents' says how many come before the page.")
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/outcomes", Outcomes).WithName("GetCaseOutcomes")
            .WithSummary("The current step's outcomes and the case actions: possible now or why not, and whether they are yours")
            .Problems(StatusCodes.Status404NotFound);
        group.MapPost("/", Open).WithName("OpenCase").WithSummary("Open a case for a lead company of your region (brokers)")
            .Writes().Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        group.MapCaseCommands();
        return api;
    }

    private static async Task<Results<Ok<CaseListResponse>, ExportResult, ProblemHttpResult>> List(
        HttpContext context, ListCases handler, ExportCases export, string? q, string? stage, string? step, string? status, string? region, Guid? broker,
        bool? overdue, bool? escalated, string? after, int? limit, CancellationToken cancellationToken)
    {
        var choice = ExportNegotiation.Choose(context.Request);
        if (choice == ExportNegotiation.Choice.NotAcceptable)
        {
            return ApiProblems.Problem(StatusCodes.Status406NotAcceptable, ExportNegotiation.NotAcceptableDetail(context.Request));
        }

        var cursor = CaseListCursor.Parse(after);
        if (after is not null && cursor is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "'after' must be a cursor as the API gave it in 'nextCursor'.");
        }

        if (limit is < 1 or > ListCases.MaxPageSize)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, $"'limit' must be from 1 to {ListCases.MaxPageSize}.");
        }

        var filter = new CaseFilter { Text = q, Stage = stage, Step = step, Status = status, Region = region, OwnerUserId = broker, OverdueOnly = overdue == true, EscalatedOnly = escalated == true, After = cursor };
        if (choice != ExportNegotiation.Choice.Json)
        {
            var exported = await export.HandleAsync(new ExportCases.Request(filter), context.Actor(), cancellationToken);
            return exported.Table is { } table
                ? new ExportResult(table, choice == ExportNegotiation.Choice.Xlsx ? ExportFormat.Xlsx : ExportFormat.Csv)
                : ApiProblems.Fields(exported.Problems, "These filters cannot be searched for; see 'errors'.");
        }

        var list = await handler.HandleAsync(new ListCases.Request(filter, limit), context.Actor(), cancellationToken);
        if (list.FilterErrors.Count > 0)
        {
            return ApiProblems.Fields(list.FilterErrors, "These filters cannot be searched for; see 'errors'.");
        }

        var next = list.Next is { } last ? CaseListCursor.Format(last) : null;
        if (next is not null)
        {
            var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value).Where(p => p.Key != "after")
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))).Append(new("after", next));
            context.Response.Headers.Link = $"<{QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, query)}>; rel=\"next\"";
        }

        return TypedResults.Ok(new CaseListResponse(list.Items, next));
    }

    private static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> Get(
        HttpContext context, Guid id, GetCase handler, int? eventsBefore, int? eventsLimit, CancellationToken cancellationToken)
    {
        var request = new GetCase.Request(id, new EventPage(eventsLimit ?? EventPage.DefaultTake, eventsBefore));
        if (request.Problem() is { } problem)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, problem);
        }

        if (await handler.HandleAsync(request, context.Actor(), cancellationToken) is not { } view)
        {
            return CaseNotFound();
        }

        var d = view.Details;
        context.Response.Headers.ETag = ApiConcurrency.ETag(d.Case.Version);
        return TypedResults.Ok(new CaseResponse(
            CaseResource.Of(d.Case), [.. view.Roles.Select(r => r.ToName())], view.CanWrite, view.MayCompleteStep, d.Steps, d.Participants, d.CheckIns, d.Notes,
            [.. d.Attachments.Select(AttachmentResource.Of)])
        {
            Events = [.. d.Events.Select(e => CaseEventResource.Of(e, view.UserNames))],
            EarlierEvents = view.EarlierEvents,
            EarlierEventsBefore = view.EarlierBefore,
        });
    }

    private static async Task<Results<Ok<CaseOutcomesResponse>, ProblemHttpResult>> Outcomes(HttpContext context, Guid id, GetCase handler, CancellationToken cancellationToken)
    {
        if (await handler.HandleAsync(new GetCase.Request(id), context.Actor(), cancellationToken) is not { } view)
        {
            return CaseNotFound();
        }

        var c = view.Details.Case;
        context.Response.Headers.ETag = ApiConcurrency.ETag(c.Version);
        return TypedResults.Ok(new CaseOutcomesResponse(
            c.CurrentStep, view.Details.CurrentStep?.Name, c.Version,
            [.. view.Actions.Where(a => a.Action.Kind == ActionKind.Outcome).Select(OutcomeResource.Of)],
            [.. view.Actions.Where(a => a.Action.Kind == ActionKind.CaseAction).Select(OutcomeResource.Of)]));
    }

    private static async Task<Results<Created<CaseCommandResponse>, ProblemHttpResult>> Open(
        HttpContext context, OpenCaseBody? body, OpenCase handler, CancellationToken cancellationToken)
    {
        var request = new OpenCase.Request(body?.LeadCompanyId, body?.Title, string.IsNullOrWhiteSpace(body?.DefinitionKey) ? OpenCase.DefaultDefinitionKey : body.DefinitionKey);
        var result = await handler.HandleAsync(request, context.Actor(), cancellationToken);
        if (!result.Succeeded)
        {
            return Refusal(result);
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(result.Case!.Version);
        return TypedResults.Created($"/api/v1/cases/{result.Case.Id}", new CaseCommandResponse(result.Message, CaseResource.Of(result.Case)));
    }

    public static ProblemHttpResult CaseNotFound() => ApiProblems.NotFound("The case");

    /// <summary>
    /// The problem for a refused command: 422 with field errors keyed as the case page keys them, 412 when the case
    /// changed since the If-Match version, 409 when the outcome's conditions are not met (each with its reason in
    /// 'unmet') or the command does not apply now.
    /// </summary>
    public static ProblemHttpResult Refusal(CaseCommandResult result)
    {
        if (result.FileProblem is { } file and not AttachmentProblemKind.Empty)
        {
            return ApiProblems.Problem(AttachmentStatus.Of(file), result.FieldErrors.Count == 1 ? result.FieldErrors[0].Message : result.Message);
        }

        if (result.Status != CaseCommandStatus.ConditionsNotMet)
        {
            return ApiConcurrency.Refusal(result.Status, result.Message, result.FieldErrors);
        }

        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = ApiProblems.Title(StatusCodes.Status409Conflict),
            Detail = result.Message,
        };
        problem.Extensions["unmet"] = result.Unmet;
        return TypedResults.Problem(problem);
    }
}
