using System.Reflection;

namespace TIBS.Cases.Core.Cases;

/// <summary>The kinds of audit events a case records (the <c>kind</c> column of <c>case_events</c>).</summary>
internal static class CaseEventKinds
{
    public const string CaseOpened = "case-opened";
    public const string StepCompleted = "step-completed";
    public const string CaseHold = "case-hold";
    public const string CaseResume = "case-resume";
    public const string CaseWithdraw = "case-withdraw";
    public const string CaseReassign = "case-reassign";
    public const string CaseMigrated = "case-migrated";
    public const string CheckInRecorded = "check-in-recorded";
    public const string PartnerShortlisted = "partner-shortlisted";
    public const string PartnerStatusChanged = "partner-status-changed";
    public const string NoteAdded = "note-added";
    public const string AttachmentAdded = "attachment-added";
    public const string MessagePosted = "message-posted";
    public const string FindingRecorded = "finding-recorded";
    public const string FindingAnswered = "finding-answered";
    public const string CompanyMerged = "company-merged";
    public const string TrackStarted = "track-started";
    public const string TrackMoved = "track-moved";
    public const string TrackCancelled = "track-cancelled";
    public const string TracksJoined = "tracks-joined";

    /// <summary>A timer came to act but could not (an outcome's conditions unmet, nobody in the role to reassign to).</summary>
    public const string TimerNotActed = "timer-not-acted";
    public const string PersonalDataErased = "personal-data-erased";

    /// <summary>Every kind declared above (read by reflection, so a new constant is listed without more code).</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(CaseEventKinds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)];
}
