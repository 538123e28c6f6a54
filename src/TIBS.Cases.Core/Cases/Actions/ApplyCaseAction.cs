using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Applies a case-wide action of the definition: hold (reminders paused), resume (due dates moved by the time held),
/// withdraw (a reason; the case closes and its reminders are cancelled) or reassign (to another broker).
/// </summary>
public sealed class ApplyCaseAction(CaseCommandContext context, Partners.Tracks.TrackJoin join)
{
    /// <param name="NewOwnerUserId">The broker who takes the case over; required for a reassignment.</param>
    public sealed record Request(Guid CaseId, int ExpectedVersion, string ActionKey, string? Reason = null, Guid? NewOwnerUserId = null);

    public Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return context.ExecuteAsync(request.CaseId, request.ExpectedVersion, actor, opening => DecideAsync(opening, request, actor, cancellationToken), cancellationToken);
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        var details = opening.Details!;
        var c = details.Case;
        var action = details.Plan.GetCaseAction(request.ActionKey);
        if (action is null)
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Format("There is no case action “{0}”.", request.ActionKey));
        }

        if (!action.Roles.Any(CaseRoles.Of(actor, c, details.Participants).Contains))
        {
            return opening.Refuse(CaseCommandStatus.Forbidden, Localized.Format("“{0}” is done by: {1}.", action.Label, string.Join(", ", action.Roles.Select(Display.Words.Role))));
        }

        if (TextRules.Problem(Localized.Text("The reason"), request.Reason, TextRules.MaxReasonLength) is { } reasonProblem)
        {
            return opening.Invalid("reason", reasonProblem);
        }

        if (action.Kind == CaseActionKind.Reassign && request.NewOwnerUserId is null)
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Text("Choose the broker who takes the case over."));
        }

        var result = await new WorkflowRuntime(details.Plan).ApplyCaseActionAsync(details.Snapshot, request.ActionKey, request.Reason, cancellationToken);
        if (!result.Succeeded)
        {
            return opening.Refuse(CaseCommandStatus.Refused, result.Message);
        }

        var now = context.Now();
        var data = new JsonObject { ["action"] = action.Key, ["label"] = action.Label, ["reason"] = request.Reason?.Trim() };
        var updated = c;
        var current = details.CurrentStep is null ? null : CaseSteps.CurrentStepRecord(details);
        var write = new CaseWrite { Case = updated, ExpectedVersion = request.ExpectedVersion };
        switch (action.Kind)
        {
            case CaseActionKind.Hold:
                updated = updated with { Status = CaseStatus.OnHold, HoldStartedAt = now };
                write = write with
                {
                    UpdateReminders = [.. details.Reminders.Where(r => r.Status == ReminderStatus.Pending).Select(r => (r.Id, ReminderStatus.Paused, r.DueAt))],
                };
                break;
            case CaseActionKind.Resume:
                var held = now - (c.HoldStartedAt ?? now);
                data["heldFor"] = held.ToString("c", CultureInfo.InvariantCulture);
                updated = updated with { Status = CaseStatus.Active, HoldStartedAt = null, StepDueAt = c.StepDueAt + held };
                write = write with
                {
                    UpdateReminders = [.. details.Reminders.Where(r => r.Status == ReminderStatus.Paused).Select(r => (r.Id, ReminderStatus.Pending, r.DueAt + held))],
                };
                break;
            case CaseActionKind.Withdraw:
                updated = updated with { Status = CaseStatus.Closed, CurrentStep = result.After.State, CurrentStage = null, ClosedAt = now, StepDueAt = null, HoldStartedAt = null };
                data["from"] = c.CurrentStep;
                data["to"] = result.After.State;
                write = write with
                {
                    CancelReminders = [.. details.Reminders.Where(r => r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id)],
                    CompletedSteps = current is null ? [] : [current with { CompletedAt = now, CompletedBy = actor.AuditId, Outcome = action.Key }],
                };
                break;
            case CaseActionKind.Reassign:
                data["from"] = c.OwnerUserId.ToString();
                data["to"] = request.NewOwnerUserId!.Value.ToString();
                updated = updated with { OwnerUserId = request.NewOwnerUserId.Value };
                break;
        }

        var (advanced, evt) = c.Record(now, actor, "case-" + action.Kind.ToName(), c.CurrentStep, data.ToJsonString());
        write = write with { Case = updated with { Version = advanced.Version, UpdatedAt = advanced.UpdatedAt, AuditHeadHash = advanced.AuditHeadHash, AuditCount = advanced.AuditCount }, Events = [evt] };
        if (action.Kind == CaseActionKind.Withdraw)
        {
            // The partner tracks still open in the step are cancelled with it (recorded while the case is still open).
            var closing = write.Case;
            write = Partners.Tracks.PartnerTracks.CancelOpen(write with { Case = closing with { Status = c.Status, ClosedAt = c.ClosedAt } }, details, actor, now, "the case was withdrawn");
            write = write with { Case = write.Case with { Status = closing.Status, ClosedAt = closing.ClosedAt } };
        }

        var committed = await context.CommitAsync(write, result.Message, cancellationToken);
        if (action.Kind == CaseActionKind.Resume && committed.Status == CaseCommandStatus.Done && details.CurrentStep?.Tracks is not null
            && await join.SettleAsync(c.Id, cancellationToken) is { } joined)
        {
            // Tracks may have ended while the case was on hold; a join that holds now fires on resume.
            return committed with { Message = $"{committed.Message} {joined}", Case = (await context.ReadForSystemAsync(c.Id, cancellationToken))?.Case ?? committed.Case };
        }

        return committed;
    }
}
