namespace TIBS.Cases.Core.Partners.Tracks;

/// <summary>Whether a track still runs (<c>open</c>), reached one of its ends (<c>ended</c>) or was stopped (<c>cancelled</c>).</summary>
public static class TrackStatus
{
    public const string Open = "open";
    public const string Ended = "ended";
    public const string Cancelled = "cancelled";
}

/// <summary>Kinds of the outbox rows a track writes for its performer besides its reminders and timers.</summary>
internal static class TrackNotices
{
    /// <summary>A track started: its performer (the brokers of the partner's region) is told that the case wants their answer.</summary>
    public const string Contacted = "track-contacted";
}

/// <summary>
/// A row of <c>case_tracks</c>: the track of one partner in one run of a step that runs tracks. Each track action is
/// its own transaction guarded by <see cref="Version"/>, so two partner brokers on two tracks never conflict.
/// </summary>
public sealed record CaseTrackRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }

    /// <summary>The step record (one run of the step) the track belongs to.</summary>
    public required Guid CaseStepId { get; init; }

    /// <summary>The partner (a <c>case_participants</c> row) the track is for.</summary>
    public required Guid ParticipantId { get; init; }
    public required string StepKey { get; init; }

    /// <summary>The state or end of the definition's tracks the track is in.</summary>
    public required string State { get; init; }
    public required string Status { get; init; }
    public int Version { get; init; }

    /// <summary>Who works on the track: the role (e.g. <c>partner-broker</c>) in <see cref="RegionCode"/>, the partner's region.</summary>
    public required string PerformerRole { get; init; }
    public required string RegionCode { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public bool IsOpen => Status == TrackStatus.Open;
}
