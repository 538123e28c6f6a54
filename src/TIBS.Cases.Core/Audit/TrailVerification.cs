using System.Globalization;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Audit;

/// <summary>
/// One run of the scheduled verification of every case's whole audit trail (<see cref="VerifyAllTrails"/>): when it
/// started and finished, how far it got (the last case checked: cases are walked in id order) and what it found.
/// </summary>
public sealed record TrailVerificationRun
{
    public required Guid Id { get; init; }

    /// <summary>Who started it, in words: "the schedule" or the administrator's name.</summary>
    public required string StartedBy { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Null while it runs (or after its process stopped: it resumes from <see cref="LastCaseId"/>).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Until when the process running it holds it; a run whose lease ran out is taken over by the next start.</summary>
    public required DateTimeOffset LeaseUntil { get; init; }

    /// <summary>The last case whose verdict is recorded; the walk resumes after it.</summary>
    public Guid? LastCaseId { get; init; }

    public int CasesChecked { get; init; }

    public int EventsChecked { get; init; }

    /// <summary>Cases whose trail failed, and problems of the anchor files themselves (they count one each).</summary>
    public int Failures { get; init; }

    public bool IsFinished => FinishedAt is not null;

    public bool IsIntact => IsFinished && Failures == 0;

    /// <summary>Whether a process is working on it now (not finished, lease not run out).</summary>
    public bool IsRunning(DateTimeOffset now) => !IsFinished && LeaseUntil > now;

    /// <summary>The result in one sentence.</summary>
    public string Describe(DateTimeOffset now)
    {
        var cases = Cases(CasesChecked);
        var events = Events(EventsChecked);
        var started = StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (!IsFinished)
        {
            return IsRunning(now)
                ? Localized.Format("Running since {0} UTC: {1} with {2} checked so far.", started, cases, events)
                : Localized.Format("Stopped before it finished (started {0} UTC, {1} checked); the next run continues where it stopped.", started, cases);
        }

        return Failures == 0
            ? Localized.Format("Every audit trail is intact: {0} with {1} verified from their first event to their recorded head, against the signed checkpoints.", cases, events)
            : Localized.Format("{0} found: {1} with {2} checked. The failing trails are listed below.", Failures == 1 ? Localized.Text("1 problem") : Localized.Format("{0} problems", Failures), cases, events);
    }

    /// <summary>"1 case", "3 cases" in the reader's language.</summary>
    internal static string Cases(int n) => n == 1 ? Localized.Text("1 case") : Localized.Format("{0} cases", n);

    private static string Events(int n) => n == 1 ? Localized.Text("1 event") : Localized.Format("{0} events", n);
}

/// <summary>What a run found wrong: a case's trail (the first problem, in words) or the anchor files (no case).</summary>
public sealed record TrailVerificationFailure(Guid RunId, int Position, Guid? CaseId, string? Reference, string Kind, string Message)
{
    /// <summary>The kind of damage in words (see <see cref="AuditProblem.KindLabel"/>).</summary>
    public string KindLabel => Enum.TryParse<AuditProblemKind>(Kind, ignoreCase: true, out var k)
        ? new AuditProblem(k, CaseId, Reference, Message).KindLabel
        : Kind;
}

/// <summary>The result of asking to run: the run to work on, or the run that another process is working on.</summary>
public sealed record TrailVerificationClaim(TrailVerificationRun? Claimed, TrailVerificationRun? Busy);

/// <summary>A run's progress after a batch: the last case and the totals so far.</summary>
public sealed record TrailVerificationProgress(Guid RunId, string Holder, Guid? LastCaseId, int CasesChecked, int EventsChecked, int Failures);

/// <summary>Where runs, their progress and their findings are kept, and how the walk reads cases and events page by page.</summary>
public interface ITrailVerificationStore
{
    /// <summary>
    /// Takes the unfinished run whose lease ran out (to resume it) or starts a new one, for <paramref name="holder"/>
    /// until <paramref name="leaseUntil"/>; when another process holds a run, returns that run as busy. Two processes
    /// asking at once never both get a run.
    /// </summary>
    Task<TrailVerificationClaim> ClaimAsync(string holder, string startedBy, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="take"/> cases with ids after <paramref name="after"/> (all when null), in id order.</summary>
    Task<IReadOnlyList<CaseRecord>> ListCasesAfterAsync(Guid? after, int take, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="take"/> events of a case after sequence number <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<CaseEventRecord>> ListEventsAsync(Guid caseId, int afterSeq, int take, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="caseIds"/> have no case row.</summary>
    Task<IReadOnlyList<Guid>> FindAbsentCasesAsync(IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a batch's findings and the progress, and renews the lease, in one transaction; false (and nothing
    /// written) when the holder lost the run.
    /// </summary>
    Task<bool> RecordBatchAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the last findings, finishes the run and inserts <paramref name="notifications"/> (the outbox), in one
    /// transaction; false (and nothing written) when the holder lost the run.
    /// </summary>
    Task<bool> FinishAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, DateTimeOffset finishedAt, IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default);

    /// <summary>The latest run (finished or not), or null when there was none.</summary>
    Task<TrailVerificationRun?> GetLatestAsync(CancellationToken cancellationToken = default);

    /// <summary>The run's findings in the order found, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<TrailVerificationFailure>> ListFailuresAsync(Guid runId, int take, CancellationToken cancellationToken = default);
}

/// <summary>Starts a run in the background (the job runner); the run itself is <see cref="VerifyAllTrails"/>.</summary>
public interface ITrailVerificationLauncher
{
    void Launch(string startedBy);
}
