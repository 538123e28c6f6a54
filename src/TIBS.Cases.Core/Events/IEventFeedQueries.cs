using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Events;

/// <summary>An audit event as the feed reads it: the stored event, where it stands in the feed, and its actor's name.</summary>
public sealed record EventFeedRow(CaseEventRecord Event, EventFeedPosition Position, string? ActorName);

/// <summary>
/// The next committed events after a position, in feed order, with what deciding who may read them needs: the cases
/// they belong to and those cases' participants (as they stand now).
/// </summary>
public sealed record EventFeedPage(IReadOnlyList<EventFeedRow> Events, IReadOnlyList<CaseRecord> Cases, IReadOnlyList<CaseParticipantRecord> Participants);

/// <summary>
/// Reads case events in commit order. An implementation returns only events that are final: no event that commits
/// later may ever appear before the last one it returned (decision 0015 tells how each database does it).
/// </summary>
public interface IEventFeedQueries
{
    /// <summary>At most <paramref name="take"/> events after <paramref name="after"/> (from the start when null).</summary>
    Task<EventFeedPage> ReadAsync(EventFeedPosition? after, int take, CancellationToken cancellationToken = default);
}
