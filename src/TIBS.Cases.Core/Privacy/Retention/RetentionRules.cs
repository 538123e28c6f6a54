using TIBS.Cases.Core.Accounts.Administration;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Privacy.Retention;

/// <summary>
/// A dry run of the retention rules: finds what each category has due now and keeps it as a report (ids only).
/// Administrators start one from the retention page; the nightly job makes one every night.
/// </summary>
public sealed class ReportRetention(IRetentionStore store, PrivacyOptions options, ProcessingLifetimes lifetimes, TimeProvider time)
{
    public async Task<RetentionReport?> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Administrator)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var items = await store.FindDueAsync(RetentionCutoffs.For(options.Retention, lifetimes, now), cancellationToken);
        var report = new RetentionReport(Guid.NewGuid(), now, actor.AuditId, items);
        await store.SaveReportAsync(report, cancellationToken);
        return report;
    }
}

/// <summary>
/// Applies one report: exactly its items that are still due now (a case reopened since, or a contact erased by hand,
/// is left), through the same erasure an administrator uses. A report is applied once; two administrators pressing
/// "Apply" together get one application and one "already applied".
/// </summary>
public sealed class ApplyRetentionReport(
    IRetentionStore store, IAttachmentStorage files, PrivacyOptions options, ProcessingLifetimes lifetimes, TimeProvider time, IRetentionErasure erasure)
{
    public sealed record Request(Guid ReportId);

    public sealed record Result(CaseCommandStatus Status, string Message);

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Administrator)
        {
            return new(CaseCommandStatus.Forbidden, Localized.Text("Only administrators apply the retention rules."));
        }

        var report = await store.GetReportAsync(request.ReportId, cancellationToken);
        if (report is null)
        {
            return new(CaseCommandStatus.NotFound, Localized.Text("There is no such retention report."));
        }

        if (report.AppliedAt is not null)
        {
            return new(CaseCommandStatus.Refused, Localized.Format("This report was already applied on {0:g} UTC. Make a new dry run to see what is due now.", report.AppliedAt.Value.UtcDateTime));
        }

        var now = time.GetUtcNow();
        var cutoffs = RetentionCutoffs.For(options.Retention, lifetimes, now);
        var due = report.Items.StillDue(await store.FindDueAsync(cutoffs, cancellationToken));
        if (!await store.ClaimApplicationAsync(report.Id, now, actor.AuditId, cancellationToken))
        {
            return new(CaseCommandStatus.Conflict, Localized.Text("Someone else applied this report at the same moment; its outcome is shown below."));
        }

        var reason = $"retention rule of {now:yyyy-MM-dd}";
        var contacts = 0;
        var strategies = 0;
        foreach (var contact in due.Contacts)
        {
            if (await erasure.EraseContactAsync(contact, $"{reason}: no open case for {RecordOfProcessing.Months(options.Retention.ContactsWithoutOpenCaseMonths)}", cancellationToken))
            {
                contacts++;
            }
        }

        var removed = 0;
        foreach (var attachment in due.Attachments)
        {
            if (await store.MarkAttachmentRemovedAsync(attachment.AttachmentId, now, cancellationToken))
            {
                await files.DeleteAsync(attachment.StorageKey, cancellationToken);
                removed++;
            }
        }

        foreach (var caseId in due.Strategies)
        {
            contacts += await erasure.EraseCaseAsync(caseId, $"{reason}: closed more than {RecordOfProcessing.Months(options.Retention.ClosedStrategiesMonths)} ago", cancellationToken);
            if (await store.MarkCaseErasedAsync(caseId, now, cancellationToken))
            {
                strategies++;
            }
        }

        var sessions = await store.DeleteEndedSessionsAsync(cutoffs.SessionsEndedBefore, cutoffs.SessionsCreatedBefore, cancellationToken);
        var throttle = await store.DeleteForgottenSignInFailuresAsync(cutoffs.ThrottleBefore, cancellationToken);
        var left = report.Items.Contacts.Count - due.Contacts.Count + report.Items.Attachments.Count - due.Attachments.Count + report.Items.Strategies.Count - due.Strategies.Count;
        // The outcome is recorded with the report and in the administration log: evidence, written in English once.
        string outcome;
        using (CultureScope.Of(Languages.Default))
        {
            outcome = Outcome(contacts, removed, strategies, sessions, throttle, left);
        }

        await store.RecordOutcomeAsync(report.Id, outcome, new AdministrationLogEntry
        {
            Id = Guid.NewGuid(),
            OccurredAt = now,
            ActorId = actor.AuditId,
            Action = RetentionActions.Applied,
            Details = $"applied the retention report of {report.CreatedAt:yyyy-MM-dd HH:mm} UTC: {outcome}",
        }, cancellationToken);
        return new(CaseCommandStatus.Done, Localized.Format("Applied. {0}", Outcome(contacts, removed, strategies, sessions, throttle, left)));
    }

    private static string Outcome(int contacts, int files, int strategies, int sessions, int throttle, int left)
    {
        var parts = new List<string>
        {
            contacts == 1 ? Localized.Text("1 contact person erased") : Localized.Format("{0} contact persons erased", contacts),
            files == 1 ? Localized.Text("1 file removed") : Localized.Format("{0} files removed", files),
            strategies == 1 ? Localized.Text("1 closed strategy's personal data erased") : Localized.Format("{0} closed strategies' personal data erased", strategies),
            sessions == 1 ? Localized.Text("1 ended session removed") : Localized.Format("{0} ended sessions removed", sessions),
            throttle == 1 ? Localized.Text("1 forgotten sign-in failure removed") : Localized.Format("{0} forgotten sign-in failures removed", throttle),
        };
        var text = string.Join(", ", parts) + ".";
        if (left > 0)
        {
            text += " " + (left == 1
                ? Localized.Text("1 item of the report was no longer due and left alone.")
                : Localized.Format("{0} items of the report were no longer due and left alone.", left));
        }

        return text;
    }
}

/// <summary>
/// The nightly run: with <see cref="RetentionApplication.Automatically"/> it first applies the newest report not yet
/// applied that is at least <see cref="ReviewTime"/> old (so everything applied was reported the night before), then
/// makes the night's dry run.
/// </summary>
public sealed class RunRetentionNightly(IRetentionStore store, ReportRetention report, ApplyRetentionReport apply, PrivacyOptions options, TimeProvider time)
{
    public static readonly TimeSpan ReviewTime = TimeSpan.FromHours(20);

    public sealed record Outcome(string? Applied, RetentionReport Report);

    public async Task<Outcome> HandleAsync(CancellationToken cancellationToken = default)
    {
        string? applied = null;
        if (options.Retention.Apply == RetentionApplication.Automatically)
        {
            var pending = (await store.RecentReportsAsync(1, cancellationToken)).FirstOrDefault();
            if (pending is { AppliedAt: null } && time.GetUtcNow() - pending.CreatedAt >= ReviewTime)
            {
                applied = (await apply.HandleAsync(new ApplyRetentionReport.Request(pending.Id), Actor.System, cancellationToken)).Message;
            }
        }

        return new Outcome(applied, (await report.HandleAsync(Actor.System, cancellationToken))!);
    }
}

/// <summary>What the retention page shows: the settings in words, the newest report with its items, and earlier runs.</summary>
public sealed class GetRetention(IRetentionStore store)
{
    public const int History = 10;

    public sealed record View(RetentionReport? Latest, IReadOnlyList<RetentionItemView> Items, IReadOnlyList<RetentionReport> Earlier);

    public async Task<View?> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != WorkflowRole.Administrator)
        {
            return null;
        }

        var reports = await store.RecentReportsAsync(History + 1, cancellationToken);
        var latest = reports.Count > 0 ? reports[0] : null;
        var items = latest is null ? [] : await store.DescribeAsync(latest.Items, cancellationToken);
        return new View(latest, items, [.. reports.Skip(1)]);
    }
}

/// <summary>The administration log's action for retention.</summary>
internal static class RetentionActions
{
    public const string Applied = "retention-applied";
}
