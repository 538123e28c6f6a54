using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Partners.Tracks;

/// <summary>
/// Decides the join of a step's partner tracks, exactly once. After every change of a track, the case is read again and
/// the step's join rules are checked in order on the tracks as they are now; the first that holds makes the step take
/// its outcome as the system (audited), cancelling the tracks still open. That change is guarded by the case's version
/// and by the version of every open track it cancels, so it is written only if nothing it decided on has changed: of two
/// tracks ending at the same moment, both changes commit (they touch different rows), each then settles the join, and
/// exactly one settling commits; the other finds the step left (or conflicts and reads again).
/// </summary>
public sealed class TrackJoin(CaseReader cases, CaseCommandContext context)
{
    private const int Attempts = 5;

    /// <summary>Takes the step's outcome if a join rule holds now; returns what happened in words, or null when nothing did.</summary>
    public async Task<string?> SettleAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var details = await cases.GetCommandDetailsWithTracksAsync(caseId, cancellationToken);
            if (details is null || details.Case.IsClosed || details.CurrentStep is not { Tracks: { } tracks } step)
            {
                return null;
            }

            var record = details.Steps.LastOrDefault(s => s.StepKey == step.Key && s.CompletedAt is null);
            var states = details.Tracks.Where(t => t.CaseStepId == record?.Id && t.Status != TrackStatus.Cancelled).Select(t => t.State).ToList();
            if (record is null || tracks.FirstJoinThatHolds(states, WorkflowExpressions.Engine) is not { } rule)
            {
                return null;
            }

            var evaluator = await context.EvaluatorAsync(details, new Dictionary<string, TIBS.Cases.Workflows.Forms.FieldValue>(), cancellationToken);
            var result = await new WorkflowRuntime(details.Plan).CompleteStepAsync(details.Snapshot, rule.Outcome, evaluator, null, cancellationToken);
            if (!result.Succeeded)
            {
                return null;
            }

            var now = context.Now();
            var outcome = step.Outcome(rule.Outcome)!;
            var summary = $"{tracks.Summary(states)}, so the step takes '{outcome.Label}'.";
            var c = details.Case;
            var (advanced, joined) = c.Record(now, Actor.System, CaseEventKinds.TracksJoined, step.Key,
                new JsonObject { ["rule"] = rule.When, ["outcome"] = outcome.Key, ["summary"] = summary }.ToJsonString());
            var (completed, evt) = advanced.Record(now, Actor.System, CaseEventKinds.StepCompleted, step.Key,
                new JsonObject { ["step"] = step.Key, ["outcome"] = outcome.Key, ["outcomeLabel"] = outcome.Label, ["to"] = result.After.State, ["form"] = new JsonObject() }.ToJsonString());
            var write = new CaseWrite
            {
                Case = completed with { Version = c.Version + 1 },
                Before = c,
                ExpectedVersion = c.Version,
                CompletedSteps = [record with { CompletedAt = now, CompletedBy = null, Outcome = outcome.Key, FormData = "{}" }],
                Events = [joined, evt],
                CancelReminders = CaseSteps.PendingReminderIds(details, record.Id),
            };
            write = CaseSteps.MoveTo(write, details, result.After.State, Actor.System, now, $"the partner tracks joined: '{outcome.Label}'");
            var committed = await context.CommitAsync(write, summary, cancellationToken);
            if (committed.Status == CaseCommandStatus.Done)
            {
                return summary;
            }
        }

        return null;
    }
}
