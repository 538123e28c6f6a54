using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Completes the current step with its form and an outcome: the step record, the case row (next step or end state),
/// the audit event, cancelled and new reminders, the files uploaded in the form's file fields as attachments, and
/// the user's draft discarded — in one transaction guarded by the case's version. An outcome that requires a reason
/// (ending a follow-up early) is refused without one. Every file must keep the attachment rules
/// (<see cref="AttachmentPolicy"/>), each problem named in its field; files of a command that writes nothing are removed.
/// </summary>
/// <remarks>Counts each completion (by definition and outcome) and each conflict in <see cref="Observability.TibsMetrics"/>.</remarks>
public sealed class CompleteStep(CaseCommandContext context, IAttachmentStorage storage, AttachmentOptions attachments, ITaxonomyLookup? taxonomies = null, Observability.TibsMetrics? metrics = null)
{
    /// <param name="Files">Files uploaded in the step's file fields (<see cref="UploadedFile.FieldKey"/>); their references join <paramref name="Input"/>.</param>
    public sealed record Request(Guid CaseId, int ExpectedVersion, string? OutcomeKey, FormInput Input, string? Reason = null, IReadOnlyList<UploadedFile>? Files = null);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? definition = null;
        var result = await context.ExecuteAsync(request.CaseId, request.ExpectedVersion, actor, opening =>
        {
            definition = opening.Details?.Plan.Key;
            return DecideAsync(opening, request, actor, cancellationToken);
        }, cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done when definition is not null:
                metrics?.StepCompleted(definition, request.OutcomeKey!);
                break;
            case CaseCommandStatus.Conflict:
                metrics?.StepConflict();
                break;
        }

        return result;
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        var details = opening.Details!;
        var c = details.Case;
        if (details.CurrentStep is not { } step)
        {
            return opening.Refuse(CaseCommandStatus.Refused, Localized.Format("The case has ended ({0}); nothing more can be done.", c.CurrentStep));
        }

        if (!CaseRoles.Of(actor, c, details.Participants).Contains(step.Role))
        {
            return opening.Refuse(CaseCommandStatus.Forbidden, Localized.Format("“{0}” is done by the case's {1}.", step.Name, Display.Words.Role(step.Role)));
        }

        if (string.IsNullOrEmpty(request.OutcomeKey))
        {
            return opening.Invalid("outcome", Localized.Text("Choose an outcome to complete the step."));
        }

        if (step.Tracks?.Join.Any(j => j.Outcome == request.OutcomeKey) == true)
        {
            return opening.Refuse(CaseCommandStatus.Refused,
                Localized.Format("“{0}” is taken by the system when the partner tracks' rule holds ({1}), not by hand.", step.Outcome(request.OutcomeKey)?.Label, step.Tracks.Summary(OpenTrackStates(details, step))));
        }

        var files = request.Files ?? [];
        var fileFields = step.Fields.Where(f => f.Type == FieldType.File).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        if (files.FirstOrDefault(f => f.FieldKey is null || !fileFields.Contains(f.FieldKey)) is { } stray)
        {
            return opening.Invalid(stray.FieldKey ?? "file", Localized.Format("{0} was not sent in a file field of “{1}”.", AttachmentNames.BaseName(stray.FileName), step.Name));
        }

        var (refused, fileErrors) = AttachmentPolicy.Check(files, attachments, "file");
        if (refused is not null)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, Localized.Text("Some fields need attention; nothing was saved."))
            {
                FieldErrors = fileErrors,
                FileProblem = refused.Kind,
                Case = details.Case,
            };
        }

        var now = context.Now();
        var stored = new List<CaseAttachmentRecord>();
        return await AttachmentUploads.KeepOnlyIfDoneAsync(storage, stored, async () =>
        {
            var input = request.Input;
            foreach (var group in files.GroupBy(f => f.FieldKey!, StringComparer.Ordinal))
            {
                var refs = new List<FileReference>();
                foreach (var file in group)
                {
                    var saved = await AttachmentUploads.StoreAsync(storage, c.Id, file, now, cancellationToken);
                    stored.Add(saved);
                    refs.Add(new FileReference(saved.Id.ToString(), saved.FileName));
                }

                input = input.With(group.Key, new FileValue(refs));
            }

            return await CompleteAsync(opening, step, request with { Input = input }, stored, actor, now, cancellationToken);
        });
    }

    private async Task<CaseCommandResult> CompleteAsync(CaseOpening opening, PlanStep step, Request request, IReadOnlyList<CaseAttachmentRecord> uploads, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var details = opening.Details!;
        var c = details.Case;
        var outcomeKey = request.OutcomeKey!;
        var form = FormValidator.Validate(step, request.Input, taxonomies);
        if (!form.IsValid)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, Localized.Text("Some fields need attention; nothing was saved.")) { FieldErrors = form.Errors, Case = c };
        }

        if (step.Outcome(outcomeKey) is { RequiresReason: true } && TextRules.Problem(Localized.Text("The reason"), request.Reason, TextRules.MaxReasonLength) is { } reasonProblem)
        {
            return opening.Invalid("reason", reasonProblem);
        }

        var evaluator = await context.EvaluatorAsync(details, form.Values, cancellationToken);
        var result = await new WorkflowRuntime(details.Plan).CompleteStepAsync(details.Snapshot, outcomeKey, evaluator, request.Reason, cancellationToken);
        if (!result.Succeeded)
        {
            return new CaseCommandResult(result.Status == TransitionStatus.ConditionsNotMet ? CaseCommandStatus.ConditionsNotMet : CaseCommandStatus.Refused, result.Message)
            {
                Unmet = result.Unmet,
                Case = c,
            };
        }

        var outcome = step.Outcome(outcomeKey)!;
        var formJson = FormDataJson.Serialize(form.Values);
        var data = EventData(step.Key, outcome, result.After.State, formJson, outcome.RequiresReason ? request.Reason!.Trim() : null, uploads);
        var write = Advance(details, step, outcome, result.After.State, actor, now, formJson, data, request.ExpectedVersion) with
        {
            NewAttachments = [.. uploads.Select(a => a with { CaseId = c.Id, StepKey = step.Key, UploadedBy = actor.AuditId, UploadedAt = now })],
            DiscardDrafts = details.HasDrafts ? [new DraftDiscard(c.Id, actor.UserId, DraftForm.Step(step.Key).Key)] : [],
        };
        return await context.CommitAsync(write, result.Message, cancellationToken);
    }

    /// <summary>
    /// The write that leaves the current step by <paramref name="outcome"/> (whoever takes it, a user or a timer): the
    /// step record completed, the event, the step's pending reminders and timers cancelled, and the next step with its
    /// reminders and timers (due on the calendar of the case's region), or the end state that closes the case.
    /// </summary>
    internal static CaseWrite Advance(CaseDetails details, PlanStep step, PlanOutcome outcome, string to, Actor actor, DateTimeOffset now, string formJson, string eventData, int expectedVersion)
    {
        var c = details.Case;
        var current = CaseSteps.CurrentStepRecord(details);
        var (advanced, evt) = c.Record(now, actor, CaseEventKinds.StepCompleted, step.Key, eventData);
        var updated = advanced with { Data = CaseData.WithForm(c.Data, step.Key, formJson) };
        var write = new CaseWrite
        {
            Case = updated,
            Before = c,
            ExpectedVersion = expectedVersion,
            CompletedSteps = [current with { CompletedAt = now, CompletedBy = actor.AuditId, Outcome = outcome.Key, FormData = formJson }],
            Events = [evt],
            CancelReminders = CaseSteps.PendingReminderIds(details, current.Id),
        };
        return CaseSteps.MoveTo(write, details, to, actor, now, $"'{outcome.Label}' was chosen");
    }

    private static string[] OpenTrackStates(CaseDetails details, PlanStep step)
    {
        var record = details.Steps.LastOrDefault(s => s.StepKey == step.Key && s.CompletedAt is null);
        return [.. details.Tracks.Where(t => t.CaseStepId == record?.Id && t.Status != Partners.Tracks.TrackStatus.Cancelled).Select(t => t.State)];
    }

    /// <summary>
    /// The event's data: the step, the outcome, where it led, the form as stored, the reason and the files if any;
    /// <paramref name="timer"/> names the timer that took the outcome.
    /// </summary>
    internal static string EventData(string stepKey, PlanOutcome outcome, string to, string formJson, string? reason, IReadOnlyList<CaseAttachmentRecord> uploads, PlanTimer? timer = null)
    {
        using var lease = JsonScratch.Rent();
        var w = lease.Writer;
        {
            w.WriteStartObject();
            w.WriteString("step", stepKey);
            w.WriteString("outcome", outcome.Key);
            w.WriteString("outcomeLabel", outcome.Label);
            w.WriteString("to", to);
            w.WritePropertyName("form");
            w.WriteRawValue(formJson, skipInputValidation: true);
            if (reason is not null)
            {
                w.WriteString("reason", reason);
            }

            if (timer is not null)
            {
                w.WriteString("timer", timer.Key);
                w.WriteString("by", CaseTimers.ActorName);
            }

            if (uploads.Count > 0)
            {
                w.WriteStartArray("attachments");
                foreach (var a in uploads)
                {
                    w.WriteStartObject();
                    w.WriteString("attachmentId", a.Id.ToString());
                    w.WriteString("fileName", a.FileName);
                    w.WriteNumber("size", a.SizeBytes);
                    w.WriteString("sha256", a.Sha256);
                    w.WriteString("field", a.FieldKey);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return lease.Text();
    }
}
