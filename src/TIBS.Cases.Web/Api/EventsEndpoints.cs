using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Events;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// An audit event as the feed delivers it. <c>data</c> is the event's JSON exactly as it was hashed, so that a receiver
/// can recompute <c>hash</c> = SHA-256(<c>prevHash</c> + "\n" + the canonical JSON of the event) (decision 0015).
/// </summary>
internal sealed record FeedEventResponse(
    string Cursor,
    Guid CaseId,
    string CaseReference,
    int Seq,
    Guid Id,
    string Kind,
    string Title,
    string? StepKey,
    Guid? ActorId,
    string ActorName,
    DateTimeOffset OccurredAt,
    string Data,
    string PrevHash,
    string Hash)
{
    internal static FeedEventResponse From(FeedEvent e) =>
        new(e.Cursor, e.CaseId, e.CaseReference, e.Seq, e.Id, e.Kind, e.Title, e.StepKey, e.ActorId, e.ActorName, e.OccurredAt, e.Data, e.PrevHash, e.Hash);
}

/// <summary>A page of the events feed: pass <c>next</c> as <c>after</c> to continue; <c>more</c> says whether to ask again at once.</summary>
internal sealed record EventFeedResponse(IReadOnlyList<FeedEventResponse> Events, string? Next, bool More);

internal static class EventsEndpoints
{
    public static RouteGroupBuilder MapEventFeed(this RouteGroupBuilder group)
    {
        group.MapGet("/events", ReadAsync)
            .WithTags("Events")
            .WithName("ReadEventFeed")
            .Problems(StatusCodes.Status400BadRequest)
            .WithSummary("The audit events of the cases the caller may read, in commit order")
            .WithDescription(
                "after: the 'next' cursor of the previous page (or an event's 'cursor'); leave it out to start from the first event. " +
                "limit: 1 to 500 (default 100). The cursor never skips an event that commits later; events of cases the caller may not read are passed over. " +
                "Each event carries prevHash and hash of its case's public SHA-256 chain.");
        return group;
    }

    private static async Task<Results<Ok<EventFeedResponse>, ValidationProblem>> ReadAsync(
        HttpContext context, ReadEventFeed handler, string? after, int? limit, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ReadEventFeed.Request(after, limit), context.User.ToActor(), cancellationToken);
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(
                result.FieldErrors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                detail: "The request has errors; see 'errors'.");
        }

        return TypedResults.Ok(new EventFeedResponse([.. result.Events.Select(FeedEventResponse.From)], result.Next, result.More));
    }
}
