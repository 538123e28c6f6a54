using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// Audits through the API, over the same handlers as the pages: start an audit of a completed strategy, list the
/// audits of a case, draw a sample reproducible from its seed. A case the caller may not read is not found.
/// </summary>
internal static class AuditEndpoints
{
    public static void MapAudits(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Audits");
        cases.MapGet("/{id:guid}/audits", List).WithName("ListCaseAudits")
            .WithSummary("The audits of a strategy, newest first, with where each stands (its conclusion once concluded)")
            .Problems(StatusCodes.Status404NotFound);
        cases.MapPost("/{id:guid}/audits", Start).WithName("StartCaseAudit")
            .WithSummary("Start an audit of a completed strategy (evaluators): an audit case linked to it, owned by the caller")
            .Writes().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/audits/samples", Sample).WithName("DrawAuditSample").WithTags("Audits")
            .WithSummary("Draw a sample of completed strategies of a region and period (evaluators) and start an audit of each")
            .WithDescription("The seed is recorded with the sample and in every audit's opening event; sending a recorded seed draws the same strategies again as long as they are the same.")
            .Writes().Problems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditResource>>, ProblemHttpResult>> List(HttpContext context, Guid id, AuditsOfCase handler, CancellationToken cancellationToken)
    {
        var panel = await handler.HandleAsync(new AuditsOfCase.Request(id), context.Actor(), cancellationToken);
        return panel is null ? CaseEndpoints.CaseNotFound() : TypedResults.Ok<IReadOnlyList<AuditResource>>([.. panel.Audits.Select(AuditResource.Of)]);
    }

    private static async Task<Results<Created<CaseCommandResponse>, ProblemHttpResult>> Start(HttpContext context, Guid id, StartAudit handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new StartAudit.Request(id), context.Actor(), cancellationToken);
        if (!result.Succeeded)
        {
            return result.Status == CaseCommandStatus.NotFound ? CaseEndpoints.CaseNotFound() : CaseEndpoints.Refusal(result);
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(result.Case!.Version);
        return TypedResults.Created($"/api/v1/cases/{result.Case.Id}", new CaseCommandResponse(result.Message, CaseResource.Of(result.Case)));
    }

    private static async Task<Results<Created<SampleResponse>, ProblemHttpResult>> Sample(HttpContext context, SampleBody? body, DrawAuditSample handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new DrawAuditSample.Request(body?.Region, body?.From, body?.To, body?.Size, body?.Seed), context.Actor(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiConcurrency.Refusal(result.Status, result.Message, result.FieldErrors);
        }

        var sample = result.Sample!;
        return TypedResults.Created($"/api/v1/audits/samples/{sample.Id}", new SampleResponse(
            result.Message, sample.Id, sample.Seed, [.. result.Drawn.Select(d => new DrawnStrategy(d.Id, d.Reference))], [.. result.Started.Select(CaseResource.Of)], result.Skipped));
    }
}

/// <summary>An audit of a strategy.</summary>
/// <param name="Conclusion">accepted, accepted-with-remarks or rejected once concluded; null while it runs or when cancelled.</param>
internal sealed record AuditResource(
    Guid Id, string Reference, Guid AuditedCaseId, string AuditedReference, string Status, string CurrentStep, string? Conclusion, string? ConclusionLabel,
    string Evaluator, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int Findings, int OpenFindings)
{
    public static AuditResource Of(AuditSummary a) => new(
        a.Id, a.Reference, a.AuditedCaseId, a.AuditedReference, a.Status, a.CurrentStep,
        AuditDefinition.ConclusionLabel(a.CurrentStep) is null ? null : a.CurrentStep, AuditDefinition.ConclusionLabel(a.CurrentStep),
        a.OwnerName, a.OpenedAt, a.ClosedAt, a.Findings, a.OpenFindings);
}

/// <param name="Region">The region whose completed strategies are drawn, e.g. LV008.</param>
/// <param name="From">First day of the period the strategies were closed in.</param>
/// <param name="To">Last day of that period.</param>
/// <param name="Size">How many strategies to draw, 1 to 50.</param>
/// <param name="Seed">A recorded seed to draw the same sample again; a new one when empty.</param>
internal sealed record SampleBody(string? Region, DateOnly? From, DateOnly? To, int? Size, long? Seed);

internal sealed record DrawnStrategy(Guid Id, string Reference);

/// <param name="Drawn">The strategies drawn, in the order drawn.</param>
/// <param name="Started">The audits started.</param>
/// <param name="Skipped">Why a drawn strategy got no new audit (one is already in progress).</param>
internal sealed record SampleResponse(string Message, Guid SampleId, long Seed, IReadOnlyList<DrawnStrategy> Drawn, IReadOnlyList<CaseResource> Started, IReadOnlyList<string> Skipped);
