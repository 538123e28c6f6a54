using System.Globalization;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Notifications;

namespace TIBS.Cases.Core.Audit;

/// <summary>How the scheduled verification walks the cases.</summary>
public sealed record TrailVerificationOptions
{
    /// <summary>Cases per batch: each batch's verdicts and the progress are committed together.</summary>
    public int CaseBatch { get; init; } = 100;

    /// <summary>Events read per round trip of one case's trail.</summary>
    public int EventPage { get; init; } = 500;

    /// <summary>How long a run is held without progress before another start takes it over (a process that died).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Verifies every case's whole audit trail — the chain from its first event to the case row's head, and every head the
/// signed checkpoints anchored for it — with the rule of the "Verify the whole audit trail" button
/// (<see cref="AuditTrailJudge"/>, the same as <see cref="AuditEvidence.VerifyCase"/>), plus the anchor files
/// themselves, read again from their first line (<see cref="AuditVerifier.ReadHistoryAgain"/>). Cases are walked in id order in batches, each case's events page
/// by page; each batch's verdicts and the progress are committed together, so a run whose process died is resumed
/// after the last recorded case by the next start and no case is checked twice. One run at a time: the run row is
/// held with a lease. A run that finds problems notifies every active administrator and evaluator (in the
/// transaction that finishes it).
/// </summary>
/// <remarks>The problems a finished run found are counted (<see cref="Observability.TibsMetrics"/>, <c>tibs.audit.chain_failures</c>).</remarks>
public sealed class VerifyAllTrails(AuditVerifier verifier, IAuditLedger ledger, ITrailVerificationStore store, IUserStore users, TrailVerificationOptions options, TimeProvider time, Observability.TibsMetrics? metrics = null)
{
    public const string ScheduleName = "the schedule";

    public sealed record Request(string StartedBy);

    /// <summary>
    /// The run as recorded when this call ended and its first 100 findings; <see cref="Ran"/> false when another process
    /// holds it (or took it over).
    /// </summary>
    public sealed record Result(bool Ran, TrailVerificationRun? Run, IReadOnlyList<TrailVerificationFailure> Failures);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var holder = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");
        var claim = await store.ClaimAsync(holder, request.StartedBy, time.UtcNow(), time.UtcNow() + options.Lease, cancellationToken);
        if (claim.Claimed is not { } run)
        {
            return new Result(false, claim.Busy, []);
        }

        var history = verifier.ReadHistoryAgain();
        var restore = AuditEvidence.FindRestore(history, await ledger.CountEventsAsync(cancellationToken));
        var progress = new TrailVerificationProgress(run.Id, holder, run.LastCaseId, run.CasesChecked, run.EventsChecked, run.Failures);
        while (true)
        {
            var batch = await store.ListCasesAfterAsync(progress.LastCaseId, options.CaseBatch, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var failures = new List<TrailVerificationFailure>();
            var events = 0;
            foreach (var record in batch)
            {
                var result = await JudgeAsync(record.Id, record, history, restore, cancellationToken);
                events += result.EventCount;
                if (result.Problem is { } p)
                {
                    failures.Add(Failure(run.Id, progress.Failures + failures.Count + 1, p));
                }
            }

            progress = progress with
            {
                LastCaseId = batch[^1].Id,
                CasesChecked = progress.CasesChecked + batch.Count,
                EventsChecked = progress.EventsChecked + events,
                Failures = progress.Failures + failures.Count,
            };
            if (!await store.RecordBatchAsync(progress, failures, time.UtcNow() + options.Lease, cancellationToken))
            {
                return new Result(false, await store.GetLatestAsync(cancellationToken), []);
            }
        }

        // What no case row shows: the anchor files themselves, anchored cases that are gone, a restore from a backup.
        var last = new List<AuditProblem>(history.Problems);
        last.AddRange(history.CompareWith(await ledger.ListCheckpointsAsync(cancellationToken)));
        var absentEvents = 0;
        foreach (var id in await store.FindAbsentCasesAsync([.. history.AnchoredCases], cancellationToken))
        {
            var result = await JudgeAsync(id, null, history, restore, cancellationToken);
            absentEvents += result.EventCount;
            if (result.Problem is { } p)
            {
                last.Add(p);
            }
        }

        if (restore is not null)
        {
            last.Insert(0, new AuditProblem(AuditProblemKind.Restored, null, null,
                $"Restored from a backup: {restore.Describe()}. {restore.CasesBehind.Count} case(s) lack events that later checkpoints anchored."));
        }

        var lastFailures = last.Select((p, i) => Failure(run.Id, progress.Failures + i + 1, p)).ToList();
        progress = progress with { EventsChecked = progress.EventsChecked + absentEvents, Failures = progress.Failures + lastFailures.Count };
        var now = time.UtcNow();
        var notifications = progress.Failures == 0 ? [] : await NoticesAsync(run, progress, lastFailures, now, cancellationToken);
        if (!await store.FinishAsync(progress, lastFailures, now, notifications, cancellationToken))
        {
            return new Result(false, await store.GetLatestAsync(cancellationToken), []);
        }

        metrics?.ChainFailures(progress.Failures);
        var finished = await store.GetLatestAsync(cancellationToken);
        return new Result(true, finished, progress.Failures == 0 ? [] : await store.ListFailuresAsync(run.Id, 100, cancellationToken));
    }

    /// <summary>One case's trail read page by page and judged as the button judges it.</summary>
    private async Task<CaseAuditResult> JudgeAsync(Guid caseId, Cases.CaseRecord? record, AnchorHistory history, RestoreFinding? restore, CancellationToken cancellationToken)
    {
        var judge = new AuditTrailJudge(caseId, record, history, restore);
        var after = 0;
        while (judge.NeedsMore)
        {
            var page = await store.ListEventsAsync(caseId, after, options.EventPage, cancellationToken);
            judge.Add(page);
            if (page.Count < options.EventPage)
            {
                break;
            }

            after = page[^1].Seq;
        }

        return judge.Finish();
    }

    private static TrailVerificationFailure Failure(Guid runId, int position, AuditProblem p) =>
        new(runId, position, p.CaseId, p.Reference, p.KindName, p.Message);

    /// <summary>One notification per active administrator and evaluator: how many problems, the first ones in words.</summary>
    private async Task<IReadOnlyList<NotificationRecord>> NoticesAsync(TrailVerificationRun run, TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> lastFailures, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The earlier batches' findings are recorded; the last ones are written with these notifications.
        var shown = (await store.ListFailuresAsync(run.Id, 5, cancellationToken)).Concat(lastFailures).Take(5).ToList();
        var lines = shown.Take(5).Select(f => TemplateArg.Text($"{f.Reference ?? "Anchor files"}: {f.Message}")).ToList();
        if (progress.Failures > 5)
        {
            lines.Add(TemplateArg.Of(TextTemplate.Of("… and {0} more.", TemplateArg.Number(progress.Failures - 5))));
        }

        lines.Add(TemplateArg.Of(TextTemplate.Of("See Audit verification for the full list.")));

        var text = new NotificationTemplate(
            progress.Failures == 1
                ? TextTemplate.Of("Audit verification found a damaged audit trail")
                : TextTemplate.Of("Audit verification found {0} problems in the audit trails", TemplateArg.Number(progress.Failures)),
            TextTemplate.Of(
                "The verification of every audit trail started {0} checked {1} and found {2}:{3}",
                TemplateArg.Time(run.StartedAt),
                TemplateArg.Of(progress.CasesChecked == 1 ? TextTemplate.Of("1 case") : TextTemplate.Of("{0} cases", TemplateArg.Number(progress.CasesChecked))),
                TemplateArg.Of(progress.Failures == 1 ? TextTemplate.Of("1 problem") : TextTemplate.Of("{0} problems", TemplateArg.Number(progress.Failures))),
                TemplateArg.Lines(lines)));
        var recipients = (await users.ListInRoleAsync(Roles.Administrator, cancellationToken: cancellationToken))
            .Concat(await users.ListInRoleAsync(Roles.Evaluator, cancellationToken: cancellationToken))
            .DistinctBy(u => u.Id);
        var onlyCase = shown.Select(f => f.CaseId).Distinct().ToList() is [{ } single] && progress.Failures == 1 ? single : (Guid?)null;
        return [.. recipients.Select(u => text.ApplyTo(new NotificationRecord
        {
            Id = Guid.NewGuid(),
            UserId = u.Id,
            CaseId = onlyCase,
            Kind = NotificationKinds.AuditTrailFailed,
            Title = "",
            Body = "",
            DeliveryKey = string.Create(CultureInfo.InvariantCulture, $"audit-verification:{run.Id:N}:{u.Id:N}"),
            CreatedAt = now,
            EmailDueAt = now,
        }))];
    }
}
