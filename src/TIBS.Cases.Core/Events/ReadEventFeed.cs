using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Events;

/// <summary>
/// An audit event as the feed delivers it: the case, what happened in words, who and when, the event's data, and its
/// place in the case's hash chain (<see cref="PrevHash"/>, <see cref="Hash"/>) so that a receiver can verify it with
/// the public SHA-256 chain (<see cref="AuditChain"/>). <see cref="Data"/> is the stored JSON text, exactly as it was
/// hashed. <see cref="Cursor"/> resumes the feed right after this event.
/// </summary>
public sealed record FeedEvent(
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
    string Hash);

/// <summary>
/// The events feed: the audit events of every case the actor may read (<see cref="CaseAccess.CanRead"/>, the rule of
/// the case pages), in commit order, after a cursor. Events the actor may not read are passed over, and the cursor
/// moves past them too, so that a caller who sees few cases never pages in place. A page holds at most
/// <see cref="Request.Limit"/> events and looks at no more than <see cref="ScanPages"/> times as many.
/// </summary>
public sealed class ReadEventFeed(IEventFeedQueries feed)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>How many pages of events one request looks through, at most, to fill a page of readable ones.</summary>
    public const int ScanPages = 10;

    /// <param name="After">The cursor of the last event received (<see cref="Result.Next"/> or an event's own); null from the start.</param>
    /// <param name="Limit">Events per page: 1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when null.</param>
    public sealed record Request(string? After, int? Limit);

    /// <summary>
    /// A page of the feed. <see cref="Next"/> is the cursor to ask with next (null only when the feed is empty and no
    /// cursor was given); it moves past events the actor may not read too. <see cref="More"/> is true when the page
    /// ended before the feed did (ask again at once), false when it has caught up with what is committed.
    /// </summary>
    public sealed record Result(IReadOnlyList<FeedEvent> Events, string? Next, bool More)
    {
        public IReadOnlyList<FieldError> FieldErrors { get; init; } = [];

        public bool Succeeded => FieldErrors.Count == 0;

        public static Result Invalid(params FieldError[] errors) => new([], null, false) { FieldErrors = errors };
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new List<FieldError>();
        EventFeedPosition? after = null;
        if (request.After is not null)
        {
            if (EventFeedPosition.TryParse(request.After, out var position))
            {
                after = position;
            }
            else
            {
                errors.Add(new FieldError("after", Localized.Text("This is not a cursor of the events feed. Pass the \"next\" value of the previous page (or an event's \"cursor\") unchanged, or leave \"after\" out to start from the first event.")));
            }
        }

        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add(new FieldError("limit", Localized.Format("Ask for 1 to {0} events per page (the default is {1}).", MaxLimit, DefaultLimit)));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid([.. errors]);
        }

        var delivered = new List<FeedEvent>();
        var more = false;
        for (var scanned = 0; scanned < ScanPages; scanned++)
        {
            var page = await feed.ReadAsync(after, limit, cancellationToken);
            var cases = page.Cases.ToDictionary(c => c.Id);
            var participants = page.Participants.ToLookup(p => p.CaseId);
            var readable = new Dictionary<Guid, bool>();
            foreach (var row in page.Events)
            {
                var e = row.Event;
                if (!readable.TryGetValue(e.CaseId, out var mayRead))
                {
                    mayRead = cases.TryGetValue(e.CaseId, out var @case) && CaseAccess.CanRead(actor, @case, [.. participants[e.CaseId]]);
                    readable[e.CaseId] = mayRead;
                }

                after = row.Position;
                if (mayRead)
                {
                    delivered.Add(Describe(row, cases[e.CaseId]));
                    if (delivered.Count == limit)
                    {
                        // Stopped inside a page: whatever follows this event waits for the next request.
                        return new Result(delivered, after.Value.ToCursor(), true);
                    }
                }
            }

            more = page.Events.Count == limit;
            if (!more)
            {
                break;
            }
        }

        return new Result(delivered, after?.ToCursor(), more);
    }

    private static FeedEvent Describe(EventFeedRow row, CaseRecord @case)
    {
        var e = row.Event;
        return new FeedEvent(
            row.Position.ToCursor(),
            e.CaseId,
            @case.Reference,
            e.Seq,
            e.Id,
            e.Kind,
            CaseEventDisplay.Title(e.Kind),
            e.StepKey,
            e.ActorUserId,
            e.ActorUserId is null ? "System" : row.ActorName ?? "A former user",
            e.OccurredAt,
            e.Data,
            e.PrevHash,
            e.Hash);
    }
}
