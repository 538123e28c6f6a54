using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Migration;

/// <summary>
/// Run the migration the coordinator reviewed: <paramref name="ReviewToken"/> is the review's token and
/// <paramref name="Confirmed"/> says they confirmed it explicitly.
/// </summary>
public sealed record ExecuteMigrationRequest(string Key, string? ReviewToken, bool Confirmed, Actor Actor);

public enum MigrationExecutionStatus
{
    /// <summary>The reviewed plan ran; see <see cref="ExecuteMigrationResult.Run"/> for each case.</summary>
    Executed,

    /// <summary>Cases changed since the review: nothing ran, <see cref="ExecuteMigrationResult.Review"/> is the new plan to review.</summary>
    Changed,

    /// <summary>The confirmation was not given: nothing ran, the same review is shown again.</summary>
    NotConfirmed,

    /// <summary>The reviewed plan is rejected (it has errors): nothing ran.</summary>
    Rejected,
    Invalid,
    Forbidden,
}

public sealed record ExecuteMigrationResult(MigrationExecutionStatus Status, string Message)
{
    public MigrationReview? Review { get; init; }

    public MigrationRun? Run { get; init; }

    /// <summary>Per changed case, what changed since the review, in words.</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];
}

/// <summary>
/// Runs exactly the plan the coordinator reviewed. The cases are planned again; when the fingerprint differs from the
/// review's (a case moved on, was put on hold, ended, or a new case started on the version), nothing runs: the result
/// says which case changed and how, and carries the new plan for a new review.
/// </summary>
public sealed class ExecuteMigration(CaseMigrationService migrations, ICaseStore cases)
{
    public async Task<ExecuteMigrationResult> HandleAsync(ExecuteMigrationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MigrationAccess.Refusal(request.Actor) is { } refusal)
        {
            return new ExecuteMigrationResult(MigrationExecutionStatus.Forbidden, refusal);
        }

        if (MigrationReview.Read(request.ReviewToken) is not { } reviewed || reviewed.Key != request.Key)
        {
            return new ExecuteMigrationResult(MigrationExecutionStatus.Invalid, Localized.Text("The reviewed plan did not come with the confirmation; run the dry run again and confirm from its review."));
        }

        PreparedMigration prepared;
        try
        {
            prepared = await migrations.PrepareAsync(reviewed.Key, reviewed.From, reviewed.To, reviewed.Mappings, cancellationToken);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            return new ExecuteMigrationResult(MigrationExecutionStatus.Invalid, ex.Message);
        }

        var review = MigrationReview.Of(prepared, reviewed.From, reviewed.To);
        if (review.Fingerprint != reviewed.Fingerprint)
        {
            var changes = await DescribeChangesAsync(reviewed.Cases, review, prepared.FromPlan, cancellationToken);
            return new ExecuteMigrationResult(MigrationExecutionStatus.Changed,
                Localized.Format("Nothing was migrated: {0} case(s) changed since your review. Review the new plan below and confirm again.", changes.Count))
            { Review = review, Changes = changes };
        }

        if (!prepared.Plan.IsValid)
        {
            return new ExecuteMigrationResult(MigrationExecutionStatus.Rejected, Localized.Text("The plan is rejected; no case moved.")) { Review = review };
        }

        if (!request.Confirmed)
        {
            return new ExecuteMigrationResult(MigrationExecutionStatus.NotConfirmed,
                Localized.Format("Confirm that you have reviewed what happens to the {0} case(s) before migrating them; nothing was migrated.", review.Cases.Count))
            { Review = review };
        }

        var run = await migrations.ExecuteAsync(prepared, request.Actor, cancellationToken);
        return new ExecuteMigrationResult(MigrationExecutionStatus.Executed, Localized.Format("{0} of {1} case(s) moved to version {2}.", run.Moved, run.Cases.Count, reviewed.To)) { Review = review, Run = run };
    }

    private async Task<List<string>> DescribeChangesAsync(IReadOnlyList<ReviewedCase> before, MigrationReview now, WorkflowPlan fromPlan, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        var current = now.Cases.ToDictionary(c => c.CaseId);
        foreach (var was in before)
        {
            if (current.TryGetValue(was.CaseId, out var still) && still with { Reference = was.Reference, AuditCount = was.AuditCount } == was)
            {
                continue;
            }

            var events = await cases.GetEventsAsync(was.CaseId, cancellationToken);
            var what = events.Where(e => e.Seq > was.AuditCount).Select(e => Describe(e, fromPlan)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (what.Count == 0)
            {
                what.Add(still is null ? Localized.Format("it is no longer a running case on version {0}", now.From) : Localized.Text("it was changed"));
            }

            changes.Add(Localized.Format("Case {0} changed since your review: {1}.", was.Reference, string.Join("; ", what)));
        }

        foreach (var added in now.Cases.Where(c => before.All(b => b.CaseId != c.CaseId)))
        {
            changes.Add(Localized.Format("Case {0} is new on version {1} since your review: it is at {2}.", added.Reference, now.From, StepName(fromPlan, added.FromStep)));
        }

        return changes;
    }

    /// <summary>An event in words, or null for those that do not change where the case is (notes, messages, anchoring).</summary>
    private static string? Describe(CaseEventRecord e, WorkflowPlan plan) => e.Kind switch
    {
        "step-completed" => Localized.Format("{0} was completed", StepName(plan, e.StepKey)),
        "case-hold" => Localized.Text("it was put on hold"),
        HoldTime.ResumeEventKind => Localized.Text("it was resumed"),
        "case-withdraw" => Localized.Text("it was withdrawn"),
        "case-reassign" => Localized.Text("it was handed to another broker"),
        "case-migrated" => Localized.Format("it was moved to version {0}", JsonNode.Parse(e.Data)?["toVersion"]?.ToString()),
        "check-in-recorded" => Localized.Text("a check-in was recorded"),
        "partner-shortlisted" => Localized.Text("a partner was added to the shortlist"),
        "partner-status-changed" => Localized.Text("a partner's status changed"),
        "attachment-added" => Localized.Text("a file was attached"),
        "note-added" or "message-posted" or "audit-anchored" => null,
        _ => Localized.Text("it was changed"),
    };

    private static string StepName(WorkflowPlan plan, string? stepKey) =>
        stepKey is not null && plan.TryGetStep(stepKey, out var step) ? step.Name : stepKey ?? "a step";
}
