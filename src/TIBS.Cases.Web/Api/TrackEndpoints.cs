using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>The partner tracks of a case; each track's <c>version</c> is its own ETag for taking an outcome.</summary>
internal sealed record CaseTracksResponse(Guid CaseId, string? Summary, IReadOnlyList<GetCaseTracks.TrackView> Tracks);

/// <summary>The outcome to take on a track (a key of the outcomes the track lists).</summary>
internal sealed record TrackOutcomeBody(string? Outcome);

/// <summary>What taking a track's outcome did, in words, and the track's version after it (its new ETag).</summary>
internal sealed record TrackCommandResponse(Guid CaseId, Guid TrackId, int Version, string Message);

internal static class TrackEndpoints
{
    public static RouteGroupBuilder MapTracks(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cases/{id:guid}").WithTags("Partners");
        group.MapGet("/tracks", List).WithName("ListCaseTracks")
            .WithSummary("The partner tracks of a case: state, performer, due date, the outcomes the caller may take; each track's version is its ETag")
            .Problems(StatusCodes.Status404NotFound);
        group.MapPost("/tracks/{trackId:guid}/outcomes", Take).WithName("TakeTrackOutcome")
            .WithSummary("Take an outcome of a partner's track (If-Match: the track's version required)")
            .WithDescription("The broker of the partner's region or the case's broker does it. Tracks never conflict with each other; when a join rule of the step holds afterwards, the step takes its outcome.")
            .Writes().Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<Results<Ok<CaseTracksResponse>, ProblemHttpResult>> List(HttpContext context, Guid id, GetCaseTracks handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetCaseTracks.Request(id), context.Actor(), cancellationToken);
        return result.Found ? TypedResults.Ok(new CaseTracksResponse(id, result.Summary, result.Tracks)) : ApiProblems.NotFound("The case");
    }

    private static async Task<Results<Ok<TrackCommandResponse>, ProblemHttpResult>> Take(
        HttpContext context, Guid id, Guid trackId, TrackOutcomeBody body, TakeTrackOutcome handler, CancellationToken cancellationToken)
    {
        var (version, problem) = ApiConcurrency.IfMatch(context.Request, required: true);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body?.Outcome))
        {
            return ApiProblems.Fields([new FieldError("outcome", "Name the outcome to take (one of the track's outcomes).")]);
        }

        var result = await handler.HandleAsync(new TakeTrackOutcome.Request(id, trackId, version!.Value, body.Outcome), context.Actor(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiConcurrency.Refusal(result.Status, result.Message, result.FieldErrors);
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(version.Value + 1);
        return TypedResults.Ok(new TrackCommandResponse(id, trackId, version.Value + 1, result.Message));
    }
}
