namespace TIBS.Cases.Core.Cases;

/// <summary>
/// What a command on a case needs for its decision, read in one round trip: the case row (version, chain head and
/// count), the open step records, the reminders still pending or paused, the participants (with their companies'
/// country and name, the lead company's among them), the recorded check-ins and the partner tracks. Never the timeline,
/// notes, attachments or messages: a command's reads do not grow with the case's history.
/// </summary>
public sealed record CaseCommandState(
    CaseRecord Case,
    IReadOnlyList<CaseStepRecord> OpenSteps,
    IReadOnlyList<ReminderRecord> OpenReminders,
    IReadOnlyList<CaseParticipantRecord> Participants,
    IReadOnlyList<CaseCheckInRecord> CheckIns)
{
    /// <summary>
    /// The case's partner tracks, every state; null when the store left them to a query of their own (SQLite, in
    /// process, reads them only for a definition that runs tracks).
    /// </summary>
    public IReadOnlyList<Partners.Tracks.CaseTrackRecord>? Tracks { get; init; }

    /// <summary>
    /// Whether the case had any drafts when it was read; true when the store did not look. A command then discards the
    /// actor's draft of the form it completes only if one can exist (a draft saved meanwhile stays, offered to copy).
    /// </summary>
    public bool HasDrafts { get; init; } = true;
}

/// <summary>
/// What a command on a case's forms or partners decides on, read in one round trip: the command state
/// (<see cref="CaseCommandState"/>), the completed step records without their forms (whether a step was done, for
/// the words of a refusal) and the partner tracks (<see cref="CaseCommandState.Tracks"/>). Still never the timeline,
/// notes, attachments or messages.
/// </summary>
public sealed record CaseCommandStateWithTracks(
    CaseCommandState State,
    IReadOnlyList<CaseStepRecord> CompletedSteps,
    IReadOnlyList<Partners.Tracks.CaseTrackRecord> Tracks);
