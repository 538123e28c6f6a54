using TIBS.Cases.Workflows.Conditions;
namespace TIBS.Cases.Core.Cases;

/// <summary>Case status: working, paused, or ended (the end state is in <see cref="CaseRecord.CurrentStep"/>).</summary>
public static class CaseStatus
{
    public const string Active = "active";
    public const string OnHold = "on-hold";
    public const string Closed = "closed";
}

/// <summary>A row of <c>cases</c>: one SME Joint Smart Strategy, pinned to the workflow version it started on.</summary>
public sealed record CaseRecord
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public required string Title { get; init; }
    public required Guid DefinitionVersionId { get; init; }
    public required Guid LeadCompanyId { get; init; }
    public required string RegionCode { get; init; }
    public required Guid OwnerUserId { get; init; }
    public required string Status { get; init; }
    public string? CurrentStage { get; init; }

    /// <summary>The current step key, or the end state key once the case is closed.</summary>
    public required string CurrentStep { get; init; }
    public DateTimeOffset StepStartedAt { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public DateTimeOffset? HoldStartedAt { get; init; }

    /// <summary>JSON: the latest form values of every step (see <see cref="CaseData"/>).</summary>
    public string Data { get; init; } = "{}";

    /// <summary>Optimistic concurrency: every write checks and increments it.</summary>
    public int Version { get; init; }
    public required string AuditHeadHash { get; init; }
    public int AuditCount { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>For an audit case, the strategy it audits (<see cref="Audits.StartAudit"/>); null for every other case.</summary>
    public Guid? AuditedCaseId { get; init; }

    /// <summary>An audit of a strategy: evaluators act on it, the broker of its region answers its findings.</summary>
    public bool IsAudit => AuditedCaseId is not null;

    public bool IsOnHold => Status == CaseStatus.OnHold;

    public bool IsClosed => Status == CaseStatus.Closed;
}

/// <summary>A step a case went through: started, and (unless current) completed with an outcome and its form data.</summary>
public sealed record CaseStepRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required string StepKey { get; init; }
    public string? StageKey { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public Guid? CompletedBy { get; init; }
    public string? Outcome { get; init; }
    public string? FormData { get; init; }
}

/// <summary>An append-only audit event, chained by hash to the one before it.</summary>
public sealed record CaseEventRecord
{
    public required Guid CaseId { get; init; }
    public required int Seq { get; init; }
    public required Guid Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public Guid? ActorUserId { get; init; }
    public required string Kind { get; init; }
    public string? StepKey { get; init; }

    /// <summary>JSON object with the event's details (form data, outcome, reason, …).</summary>
    public required string Data { get; init; }
    public required string PrevHash { get; init; }
    public required string Hash { get; init; }
}

/// <summary>Reminder rows: the outbox of time-driven notices of a step.</summary>
internal static class ReminderStatus
{
    public const string Pending = "pending";
    public const string Claimed = "claimed";
    public const string Sent = "sent";
    public const string Cancelled = "cancelled";
    public const string Paused = "paused";
}

public sealed record ReminderRecord
{
    public required Guid Id { get; init; }

    /// <summary>The case the reminder belongs to; null for a reminder that belongs to a user (<see cref="SubjectKind"/>).</summary>
    public Guid? CaseId { get; init; }
    public Guid? CaseStepId { get; init; }
    public required string StepKey { get; init; }
    public required string NoticeKey { get; init; }
    public required string Kind { get; init; }
    public required string RecipientRole { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required string Status { get; init; }
    public string? Description { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The partner track the reminder is for (its performer receives it); null for a step's reminders.</summary>
    public Guid? CaseTrackId { get; init; }

    /// <summary>What the reminder is about (<see cref="ReminderSubjects"/>): a case's step, or a user's training.</summary>
    public string SubjectKind { get; init; } = ReminderSubjects.Case;

    /// <summary>For a training reminder, the completion whose expiry it announces.</summary>
    public Guid? SubjectId { get; init; }
}

/// <summary>What a reminder row is about.</summary>
internal static class ReminderSubjects
{
    public const string Case = "case";
    public const string Training = "training";
}

/// <summary>Partner pipeline of a case: shortlisted → contacted → interested / declined → agreed.</summary>
public static class PipelineStatus
{
    public const string Lead = PartnerStatuses.Lead;
    public const string Shortlisted = PartnerStatuses.Shortlisted;
    public const string Contacted = PartnerStatuses.Contacted;
    public const string Interested = PartnerStatuses.Interested;
    public const string Declined = PartnerStatuses.Declined;
    public const string Agreed = PartnerStatuses.Agreed;

    public static IReadOnlyList<string> All { get; } = [Lead, Shortlisted, Contacted, Interested, Declined, Agreed];
}

public static class ParticipantRole
{
    public const string Lead = "lead";
    public const string Partner = "partner";
}

public sealed record CaseParticipantRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required Guid CompanyId { get; init; }
    public required string RegionCode { get; init; }
    public required string Role { get; init; }
    public required string PipelineStatus { get; init; }
    public decimal? MatchScore { get; init; }
    public Guid? AddedBy { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Filled by queries that join the company.</summary>
    public string CountryCode { get; init; } = "";

    public string CompanyName { get; init; } = "";
}

public sealed record CaseCheckInRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required Guid CaseStepId { get; init; }
    public required string CheckInKey { get; init; }
    public required int Occurrence { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public Guid? RecordedBy { get; init; }
    public required string FormData { get; init; }
}

/// <summary>
/// Everything one user action writes, committed by <see cref="ICaseStore.CommitAsync"/> in one transaction:
/// the case row (only if its version is still <see cref="ExpectedVersion"/>), step records, audit events and
/// reminder rows. For a new case <see cref="ExpectedVersion"/> is null and the row is inserted.
/// </summary>
public sealed record CaseWrite
{
    public required CaseRecord Case { get; init; }
    public int? ExpectedVersion { get; init; }

    /// <summary>
    /// The case row as the command read it, when it has it: the store then writes only the columns that differ from it
    /// (with the version and the time of the change), instead of every column.
    /// </summary>
    public CaseRecord? Before { get; init; }

    /// <summary>
    /// The write only appends to the case (a note, a message, a record of a parallel track): the case row is not
    /// written and its version is neither checked nor advanced, so it never conflicts with a user's step.
    /// </summary>
    public bool AppendOnly { get; init; }
    public IReadOnlyList<CaseStepRecord> CompletedSteps { get; init; } = [];
    public IReadOnlyList<CaseStepRecord> StartedSteps { get; init; } = [];
    public IReadOnlyList<CaseEventRecord> Events { get; init; } = [];
    public IReadOnlyList<ReminderRecord> NewReminders { get; init; } = [];

    /// <summary>Pending or paused reminders to cancel.</summary>
    public IReadOnlyList<Guid> CancelReminders { get; init; } = [];

    /// <summary>Reminders to set to a new status and due time (hold pauses them, resume shifts them).</summary>
    public IReadOnlyList<(Guid Id, string Status, DateTimeOffset DueAt)> UpdateReminders { get; init; } = [];

    /// <summary>Timer rows that acted in this write (marked sent with it, whether pending, claimed or paused).</summary>
    public IReadOnlyList<(Guid Id, DateTimeOffset SentAt)> FiredTimers { get; init; } = [];
    public IReadOnlyList<CaseParticipantRecord> NewParticipants { get; init; } = [];
    public IReadOnlyList<CaseParticipantRecord> UpdatedParticipants { get; init; } = [];
    public IReadOnlyList<CaseCheckInRecord> NewCheckIns { get; init; } = [];
    public IReadOnlyList<CaseNoteRecord> NewNotes { get; init; } = [];

    /// <summary>Personal data the events of this write carry by reference (decision 0043), stored in the vault in the same transaction.</summary>
    public IReadOnlyList<PersonalData.PersonalDataRecord> NewPersonalData { get; init; } = [];
    public IReadOnlyList<CaseAttachmentRecord> NewAttachments { get; init; } = [];
    public IReadOnlyList<CaseMessageRecord> NewMessages { get; init; } = [];

    /// <summary>Findings recorded in an audit case (<see cref="Audits.RecordFinding"/>).</summary>
    public IReadOnlyList<Audits.AuditFindingRecord> NewFindings { get; init; } = [];

    /// <summary>Findings given their answer (<see cref="Audits.AnswerFinding"/>); only an unanswered finding takes one.</summary>
    public IReadOnlyList<Audits.AuditFindingRecord> AnsweredFindings { get; init; } = [];

    /// <summary>Drafts used up by this change (the form its author just submitted).</summary>
    public IReadOnlyList<Drafts.DraftDiscard> DiscardDrafts { get; init; } = [];

    /// <summary>Removes every draft of the case (it closes: drafts are personal working data, kept no longer than needed).</summary>
    public bool DiscardAllDrafts { get; init; }

    /// <summary>
    /// The command's notifications (the outbox): inserted in the same transaction as the case change, so a change that
    /// fails leaves none and one that commits leaves all of them. Their e-mails are queued by their due time and sent
    /// later by the mail dispatcher. A notification whose delivery key exists already is left out, not an error.
    /// </summary>
    public IReadOnlyList<Notifications.NotificationRecord> Notifications { get; init; } = [];

    /// <summary>Partner tracks started by this change (<see cref="Partners.Tracks.CaseTrackRecord"/>).</summary>
    public IReadOnlyList<Partners.Tracks.CaseTrackRecord> NewTracks { get; init; } = [];

    /// <summary>
    /// Partner tracks changed by this change, each with its new <see cref="Partners.Tracks.CaseTrackRecord.Version"/>: written only if
    /// the row is still at the version before it (one less), otherwise nothing is written and the change is a conflict.
    /// </summary>
    public IReadOnlyList<Partners.Tracks.CaseTrackRecord> UpdatedTracks { get; init; } = [];
}

/// <summary>Persistence of cases. <see cref="CommitAsync"/> is the only way a case changes.</summary>
public interface ICaseStore
{
    Task<CaseRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    Task<CaseRecord?> GetByReferenceAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>What a command's decision needs (see <see cref="CaseCommandState"/>), in one round trip; null when the case does not exist.</summary>
    Task<CaseCommandState?> GetCommandStateAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The command state with the completed step records (their forms left out) and the partner tracks (see
    /// <see cref="CaseCommandStateWithTracks"/>), in one round trip; null when the case does not exist.
    /// </summary>
    Task<CaseCommandStateWithTracks?> GetCommandStateWithTracksAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>The case page's data with one page of the timeline (see <see cref="CasePageData"/>), in one round trip; null when the case does not exist.</summary>
    Task<CasePageData?> GetViewAsync(Guid caseId, EventPage page, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseStepRecord>> GetStepsAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The cases of <paramref name="caseIds"/> with their steps (ordered as <see cref="GetStepsAsync"/>), in two statements
    /// whatever their number; a case that does not exist is left out.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, (CaseRecord Case, IReadOnlyList<CaseStepRecord> Steps)>> GetWithStepsAsync(IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseEventRecord>> GetEventsAsync(Guid caseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReminderRecord>> GetRemindersAsync(Guid caseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseParticipantRecord>> GetParticipantsAsync(Guid caseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseCheckInRecord>> GetCheckInsAsync(Guid caseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseNoteRecord>> GetNotesAsync(Guid caseId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseAttachmentRecord>> GetAttachmentsAsync(Guid caseId, CancellationToken cancellationToken = default);

    Task<CaseAttachmentRecord?> GetAttachmentAsync(Guid attachmentId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CaseMessageRecord>> GetMessagesAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>Every partner track of the case, oldest first.</summary>
    Task<IReadOnlyList<Partners.Tracks.CaseTrackRecord>> GetTracksAsync(Guid caseId, CancellationToken cancellationToken = default);

    /// <summary>Open partner tracks whose performer works in <paramref name="regionCode"/> (their My work), oldest due first.</summary>
    Task<IReadOnlyList<Partners.Tracks.CaseTrackRecord>> GetOpenTracksOfRegionAsync(string regionCode, CancellationToken cancellationToken = default);

    /// <summary>Ids of cases on a workflow version that have not ended, oldest first.</summary>
    Task<IReadOnlyList<Guid>> ListOpenCaseIdsAsync(Guid definitionVersionId, CancellationToken cancellationToken = default);

    /// <summary>The next number of the reference sequence of a region and year (its own short transaction).</summary>
    Task<int> NextReferenceNumberAsync(string regionCode, int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes everything in one transaction. Throws <see cref="ConcurrencyConflictException"/> (and writes nothing)
    /// when the case's version is no longer <see cref="CaseWrite.ExpectedVersion"/>.
    /// </summary>
    Task CommitAsync(CaseWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Until disposed, the command reads (<see cref="GetCommandStateAsync"/>, <see cref="GetCommandStateWithTracksAsync"/>)
    /// and <see cref="CommitAsync"/> of this flow share one open connection instead of taking one from the pool each.
    /// </summary>
    IAsyncDisposable ShareConnection();
}
