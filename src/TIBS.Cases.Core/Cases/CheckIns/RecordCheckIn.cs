using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Core.FollowUp;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Records one occurrence of a follow-up check-in of the current step: once per occurrence, not before its window
/// opens, by the check-in's role; its reminder is cancelled and the user's draft of it discarded.
/// </summary>
public sealed class RecordCheckIn(CaseCommandContext context, ITaxonomyLookup? taxonomies = null)
{
    public sealed record Request(Guid CaseId, int ExpectedVersion, string CheckInKey, int Occurrence, FormInput Input);

    public Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return context.ExecuteAsync(request.CaseId, request.ExpectedVersion, actor, opening => DecideAsync(opening, request, actor, cancellationToken), cancellationToken);
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        var details = opening.Details!;
        var c = details.Case;
        var (checkInKey, occurrence) = (request.CheckInKey, request.Occurrence);
        var checkIn = details.CurrentStep is { } step ? details.Plan.CheckInsFor(step.Key).FirstOrDefault(x => x.Key == checkInKey) : null;
        if (checkIn is null)
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Format("The case is not at a step with the check-in “{0}”.", checkInKey));
        }

        if (!CaseRoles.Of(actor, c, details.Participants).Contains(checkIn.Role))
        {
            return opening.Refuse(CaseCommandStatus.Forbidden, Localized.Format("{0} is recorded by the case's {1}.", checkIn.Name, Display.Words.Role(checkIn.Role)));
        }

        var schedule = checkIn.Occurrences(c.StepStartedAt);
        if (occurrence < 1 || occurrence > schedule.Count)
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Format("{0} has occurrences 1 to {1}.", checkIn.Name, schedule.Count));
        }

        var now = context.Now();
        if (TimeRules.CheckInNotYetOpen(checkIn, occurrence, c.StepStartedAt, now) is { } notYetOpen)
        {
            return opening.Refuse(CaseCommandStatus.Refused, notYetOpen);
        }

        var stepRecord = CaseSteps.CurrentStepRecord(details);
        if (details.CheckIns.Any(x => x.CheckInKey == checkInKey && x.Occurrence == occurrence && x.CaseStepId == stepRecord.Id))
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Format("{0} {1} is already recorded.", checkIn.Name, occurrence));
        }

        var form = FormValidator.Validate(checkIn, request.Input, taxonomies);
        if (!form.IsValid)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = form.Errors, Case = c };
        }

        var formJson = FormDataJson.Serialize(form.Values);
        var record = new CaseCheckInRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = c.Id,
            CaseStepId = stepRecord.Id,
            CheckInKey = checkInKey,
            Occurrence = occurrence,
            DueAt = schedule[occurrence - 1],
            RecordedAt = now,
            RecordedBy = actor.AuditId,
            FormData = formJson,
        };
        var data = new JsonObject { ["checkIn"] = checkInKey, ["occurrence"] = occurrence, ["form"] = JsonNode.Parse(formJson) };
        var (advanced, evt) = c.Record(now, actor, "check-in-recorded", c.CurrentStep, data.ToJsonString());
        var noticeKey = string.Create(CultureInfo.InvariantCulture, $"check-in:{checkInKey}:{occurrence}");
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = request.ExpectedVersion,
            Events = [evt],
            NewCheckIns = [record],
            DiscardDrafts = details.HasDrafts ? [new DraftDiscard(c.Id, actor.UserId, DraftForm.CheckIn(c.CurrentStep, checkInKey, occurrence).Key)] : [],
            CancelReminders = [.. details.Reminders.Where(r => r.NoticeKey == noticeKey && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id)],
        }, Localized.Format("{0} {1} recorded.", checkIn.Name, occurrence), cancellationToken);
    }
}
