using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Cases;

/// <summary>Someone named on a case page (an actor of the timeline, an author, the owner, a broker who could take the case over).</summary>
public sealed record CasePerson
{
    public required Guid Id { get; init; }

    public required string DisplayName { get; init; }

    public required string Role { get; init; }

    public string? RegionCode { get; init; }

    public bool IsActive { get; init; }

    /// <summary>Whether the case's region is one of the regions the person covers (user_regions).</summary>
    public bool CoversCaseRegion { get; init; }
}

/// <summary>
/// The case page's data, read in one round trip: the case and its workspace, and one page of its timeline (the latest
/// <see cref="EventPage.Take"/> events, or those before <see cref="EventPage.Before"/>), so that the page costs the
/// same for a case with ten events and one with a thousand.
/// </summary>
public sealed record CasePageData(
    CaseRecord Case,
    IReadOnlyList<CaseStepRecord> Steps,
    IReadOnlyList<CaseEventRecord> Events,
    IReadOnlyList<CaseParticipantRecord> Participants,
    IReadOnlyList<ReminderRecord> Reminders,
    IReadOnlyList<CaseCheckInRecord> CheckIns,
    IReadOnlyList<CaseNoteRecord> Notes,
    IReadOnlyList<CaseAttachmentRecord> Attachments,
    IReadOnlyList<CaseMessageRecord> Messages,
    IReadOnlyList<CasePerson> People)
{
    /// <summary>The case's partner tracks, read in the same round trip (null when the store did not read them).</summary>
    public IReadOnlyList<Partners.Tracks.CaseTrackRecord>? Tracks { get; init; }

    /// <summary>The sequence number to ask for the page before this one (null when the first event is shown).</summary>
    public int? EarlierBefore => Events.Count > 0 && Events[0].Seq > 1 ? Events[0].Seq : null;
}

/// <summary>Which events of the timeline to show: the <see cref="Take"/> latest ones before sequence number <see cref="Before"/> (all when null).</summary>
public sealed record EventPage(int Take = EventPage.DefaultTake, int? Before = null)
{
    public const int DefaultTake = 50;

    public const int MaxTake = 500;

    public static EventPage Latest { get; } = new();

    /// <summary>Whether this is the latest page (no <see cref="Before"/>): its newest event is the case's head.</summary>
    public bool IsLatest => Before is null;

    /// <summary>What is wrong with this page as asked for, in words; null when it can be shown.</summary>
    public string? Problem() =>
        Before is < 2 ? Localized.Text("Earlier events are asked for by the sequence number of the oldest event shown so far, 2 or more.")
        : Take is < 1 or > MaxTake ? Localized.Format("A page shows from 1 to {0} events.", MaxTake)
        : null;
}
