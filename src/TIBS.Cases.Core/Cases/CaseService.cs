using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.FollowUp;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;


namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The use cases of a case: open it, list what may be done, complete a step, apply a case-wide action, record a
/// check-in, manage the partner pipeline. Every command reads the case, decides with the workflow engine, and
/// writes the case row, step records, audit event and reminder rows in one transaction guarded by the case's
/// version; a concurrent change makes it fail with <see cref="CaseCommandStatus.Conflict"/> and write nothing.
/// </summary>
public sealed class CaseService(ICaseStore cases, ICompanyStore companies, WorkflowCatalog catalog, TimeProvider time, ITaxonomyLookup? taxonomies = null)
{
    public const string DefaultDefinitionKey = "joint-smart-strategy";

    public async Task<CaseCommandResult> OpenCaseAsync(Guid leadCompanyId, string? title, Actor actor, string definitionKey = DefaultDefinitionKey, CancellationToken cancellationToken = default)
    {
        if (TextRules.Problem("The title", title, TextRules.MaxTitleLength) is { } titleProblem)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, titleProblem) { FieldErrors = [new FieldError("title", titleProblem)] };
        }

        var company = await companies.GetAsync(leadCompanyId, cancellationToken);
        if (company is null)
        {
            return CaseCommandResult.NotFound("The lead company");
        }

        var (version, plan) = await catalog.GetPublishedAsync(definitionKey, cancellationToken);
        var now = time.UtcNow();
        var number = await cases.NextReferenceNumberAsync(company.RegionCode, now.Year, cancellationToken);
        var caseId = Guid.CreateVersion7(now);
        var reference = string.Create(CultureInfo.InvariantCulture, $"{company.RegionCode}-{now.Year}-{number:0000}");
        var start = new WorkflowRuntime(plan).Start();
        var step = plan.GetStep(start.State);
        var stepRecord = NewStep(caseId, step, now);
        var data = new JsonObject
        {
            ["reference"] = reference,
            ["definition"] = plan.Key,
            ["version"] = plan.Version,
            ["leadCompanyId"] = company.Id.ToString(),
            ["leadCompany"] = company.Name,
            ["region"] = company.RegionCode,
            ["owner"] = actor.UserId.ToString(),
            ["step"] = step.Key,
        };
        var opened = AuditChain.Append(caseId, 1, AuditChain.GenesisHash, now, actor.AuditId, "case-opened", step.Key, data.ToJsonString());
        var record = new CaseRecord
        {
            Id = caseId,
            Reference = reference,
            Title = string.IsNullOrWhiteSpace(title) ? $"{company.Name}: joint smart strategy" : title.Trim(),
            DefinitionVersionId = version.Id,
            LeadCompanyId = company.Id,
            RegionCode = company.RegionCode,
            OwnerUserId = actor.UserId,
            Status = CaseStatus.Active,
            CurrentStage = step.StageKey,
            CurrentStep = step.Key,
            StepStartedAt = now,
            StepDueAt = stepRecord.DueAt,
            Data = "{}",
            Version = 1,
            AuditHeadHash = opened.Hash,
            AuditCount = 1,
            OpenedAt = now,
            UpdatedAt = now,
        };
        var lead = new CaseParticipantRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = caseId,
            CompanyId = company.Id,
            RegionCode = company.RegionCode,
            Role = ParticipantRole.Lead,
            PipelineStatus = PipelineStatus.Lead,
            AddedBy = actor.AuditId,
            AddedAt = now,
            UpdatedAt = now,
        };
        await cases.CommitAsync(new CaseWrite
        {
            Case = record,
            StartedSteps = [stepRecord],
            Events = [opened],
            NewReminders = Schedule(plan, step, stepRecord, now),
            NewParticipants = [lead],
        }, cancellationToken);
        return new CaseCommandResult(CaseCommandStatus.Done, $"Case {reference} opened at '{step.Name}'.") { Case = record };
    }

    public async Task<CaseDetails?> GetDetailsAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var plan = await catalog.GetPlanAsync(record.DefinitionVersionId, cancellationToken);
        return new CaseDetails(
            record,
            plan,
            await cases.GetStepsAsync(caseId, cancellationToken),
            await cases.GetEventsAsync(caseId, cancellationToken),
            await cases.GetParticipantsAsync(caseId, cancellationToken),
            await cases.GetRemindersAsync(caseId, cancellationToken),
            await cases.GetCheckInsAsync(caseId, cancellationToken))
        {
            Notes = await cases.GetNotesAsync(caseId, cancellationToken),
            Attachments = await cases.GetAttachmentsAsync(caseId, cancellationToken),
            Messages = await cases.GetMessagesAsync(caseId, cancellationToken),
        };
    }

    /// <summary>
    /// Every outcome of the current step and every case action, each with whether it is possible now (and why
    /// not), and whether <paramref name="actor"/> may take it. Conditions that depend on the form are judged on
    /// the values saved so far (or <paramref name="draft"/>).
    /// </summary>
    public async Task<IReadOnlyList<CaseAction>> GetActionsAsync(CaseDetails details, Actor actor, IReadOnlyDictionary<string, FieldValue>? draft = null, CancellationToken cancellationToken = default)
    {
        var runtime = new WorkflowRuntime(details.Plan);
        var values = draft ?? (details.CurrentStep is { } s ? details.ValuesOf(s.Key) : new Dictionary<string, FieldValue>());
        var evaluator = await EvaluatorAsync(details, values, cancellationToken);
        var actions = await runtime.GetActionsAsync(details.Snapshot, evaluator, cancellationToken);
        var roles = CaseRoles.Of(actor, details.Case, details.Participants);
        return [.. actions.Select(a => new CaseAction(a, a.Roles.Any(roles.Contains)))];
    }

    private async Task<CaseCommandResult> CompleteStepCoreAsync(Guid caseId, int expectedVersion, string outcomeKey, FormInput input, Actor actor, IReadOnlyList<CaseAttachmentRecord> uploads, string? reason, CancellationToken cancellationToken)
    {
        var details = await SubjectAsync(caseId, cancellationToken);
        if (details is null)
        {
            return CaseCommandResult.NotFound("The case");
        }

        var c = details.Case;
        if (c.Version != expectedVersion)
        {
            return CaseCommandResult.Conflict(c);
        }

        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return closed;
        }

        if (details.CurrentStep is not { } step)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"The case has ended ({c.CurrentStep}); nothing more can be done.") { Case = c };
        }

        if (!CaseRoles.Of(actor, c, details.Participants).Contains(step.Role))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, $"'{step.Name}' is done by the {step.Role.ToName()} of the case.") { Case = c };
        }

        var form = FormValidator.Validate(step, input, taxonomies);
        if (!form.IsValid)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, "Some fields need attention; nothing was saved.") { FieldErrors = form.Errors, Case = c };
        }

        if (step.Outcome(outcomeKey) is { RequiresReason: true } && TextRules.Problem("The reason", reason, TextRules.MaxReasonLength) is { } reasonProblem)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, reasonProblem) { FieldErrors = [new FieldError("reason", reasonProblem)], Case = c };
        }

        var runtime = new WorkflowRuntime(details.Plan);
        var evaluator = details.Evaluator(form.Values, time.UtcNow());
        var result = await runtime.CompleteStepAsync(details.Snapshot, outcomeKey, evaluator, reason, cancellationToken);
        if (!result.Succeeded)
        {
            return new CaseCommandResult(result.Status == TransitionStatus.ConditionsNotMet ? CaseCommandStatus.ConditionsNotMet : CaseCommandStatus.Refused, result.Message)
            {
                Unmet = result.Unmet,
                Case = c,
            };
        }

        var now = time.UtcNow();
        var outcome = step.Outcome(outcomeKey)!;
        var formJson = FormDataJson.Serialize(form.Values);
        var current = details.CurrentStepRecord();
        var completed = current with { CompletedAt = now, CompletedBy = actor.AuditId, Outcome = outcome.Key, FormData = formJson };
        var cancel = PendingReminderIds(details, current.Id);
        var data = new JsonObject
        {
            ["step"] = step.Key,
            ["outcome"] = outcome.Key,
            ["outcomeLabel"] = outcome.Label,
            ["to"] = result.After.State,
            ["form"] = JsonNode.Parse(formJson),
        };
        if (outcome.RequiresReason)
        {
            data["reason"] = reason!.Trim();
        }

        if (uploads.Count > 0)
        {
            data["attachments"] = new JsonArray([.. uploads.Select(a => (JsonNode)new JsonObject
            {
                ["attachmentId"] = a.Id.ToString(), ["fileName"] = a.FileName, ["size"] = a.SizeBytes, ["sha256"] = a.Sha256, ["field"] = a.FieldKey,
            })]);
        }

        var (advanced, evt) = c.Record(now, actor, "step-completed", step.Key, data.ToJsonString());
        var updated = advanced with { Data = CaseData.With(c.Data, step.Key, form.Values) };

        var write = new CaseWrite
        {
            Case = updated,
            ExpectedVersion = expectedVersion,
            CompletedSteps = [completed],
            Events = [evt],
            CancelReminders = cancel,
            NewAttachments = [.. uploads.Select(a => a with { CaseId = c.Id, StepKey = step.Key, UploadedBy = actor.AuditId, UploadedAt = now })],
            DiscardDrafts = [new Drafts.DraftDiscard(c.Id, actor.UserId, Drafts.DraftForm.Step(step.Key).Key)],
        };
        if (details.Plan.TryGetStep(result.After.State, out var next))
        {
            var nextRecord = NewStep(c.Id, next, now);
            write = write with
            {
                Case = updated with { CurrentStep = next.Key, CurrentStage = next.StageKey, StepStartedAt = now, StepDueAt = nextRecord.DueAt },
                StartedSteps = [nextRecord],
                NewReminders = Schedule(details.Plan, next, nextRecord, now),
            };
        }
        else
        {
            write = write with
            {
                Case = updated with { CurrentStep = result.After.State, CurrentStage = null, Status = CaseStatus.Closed, ClosedAt = now, StepStartedAt = now, StepDueAt = null },
            };
        }

        return await CommitAsync(write, result.Message, cancellationToken);
    }

    private async Task<CaseCommandResult> ApplyCaseActionCoreAsync(
        Guid caseId, int expectedVersion, string actionKey, string? reason, Actor actor, Guid? newOwnerUserId, CancellationToken cancellationToken)
    {
        var details = await SubjectAsync(caseId, cancellationToken);
        if (details is null)
        {
            return CaseCommandResult.NotFound("The case");
        }

        var c = details.Case;
        if (c.Version != expectedVersion)
        {
            return CaseCommandResult.Conflict(c);
        }

        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return closed;
        }

        var action = details.Plan.GetCaseAction(actionKey);
        if (action is null)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"There is no case action '{actionKey}'.") { Case = c };
        }

        if (!action.Roles.Any(CaseRoles.Of(actor, c, details.Participants).Contains))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, $"'{action.Label}' is done by: {string.Join(", ", action.Roles.Select(r => r.ToName()))}.") { Case = c };
        }

        if (TextRules.Problem("The reason", reason, TextRules.MaxReasonLength) is { } reasonProblem)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, reasonProblem) { FieldErrors = [new FieldError("reason", reasonProblem)], Case = c };
        }

        if (action.Kind == CaseActionKind.Reassign && newOwnerUserId is null)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, "Choose the broker who takes the case over.") { Case = c };
        }

        var result = await new WorkflowRuntime(details.Plan).ApplyCaseActionAsync(details.Snapshot, actionKey, reason, cancellationToken);
        if (!result.Succeeded)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, result.Message) { Case = c };
        }

        var now = time.UtcNow();
        var data = new JsonObject { ["action"] = action.Key, ["label"] = action.Label, ["reason"] = reason?.Trim() };
        var updated = c;
        var current = details.CurrentStep is null ? null : details.CurrentStepRecord();
        var write = new CaseWrite { Case = updated, ExpectedVersion = expectedVersion };
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
                data["to"] = newOwnerUserId!.Value.ToString();
                updated = updated with { OwnerUserId = newOwnerUserId.Value };
                break;
        }

        var (advanced, evt) = c.Record(now, actor, "case-" + action.Kind.ToName(), c.CurrentStep, data.ToJsonString());
        write = write with { Case = updated with { Version = advanced.Version, UpdatedAt = advanced.UpdatedAt, AuditHeadHash = advanced.AuditHeadHash, AuditCount = advanced.AuditCount }, Events = [evt] };
        return await CommitAsync(write, result.Message, cancellationToken);
    }

    private async Task<CaseCommandResult> RecordCheckInCoreAsync(Guid caseId, int expectedVersion, string checkInKey, int occurrence, FormInput input, Actor actor, CancellationToken cancellationToken)
    {
        var details = await SubjectAsync(caseId, cancellationToken);
        if (details is null)
        {
            return CaseCommandResult.NotFound("The case");
        }

        var c = details.Case;
        if (c.Version != expectedVersion)
        {
            return CaseCommandResult.Conflict(c);
        }

        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return closed;
        }

        var checkIn = details.CurrentStep is { } step ? details.Plan.CheckInsFor(step.Key).FirstOrDefault(x => x.Key == checkInKey) : null;
        if (checkIn is null)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"The case is not in a step with the check-in '{checkInKey}'.") { Case = c };
        }

        if (!CaseRoles.Of(actor, c, details.Participants).Contains(checkIn.Role))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, $"{checkIn.Name} is recorded by the {checkIn.Role.ToName()} of the case.") { Case = c };
        }

        var schedule = checkIn.Occurrences(c.StepStartedAt);
        if (occurrence < 1 || occurrence > schedule.Count)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{checkIn.Name} has occurrences 1 to {schedule.Count}.") { Case = c };
        }

        if (TimeRules.CheckInNotYetOpen(checkIn, occurrence, c.StepStartedAt, time.UtcNow()) is { } notYetOpen)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, notYetOpen) { Case = c };
        }

        if (details.CheckIns.Any(x => x.CheckInKey == checkInKey && x.Occurrence == occurrence && x.CaseStepId == details.CurrentStepRecord().Id))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{checkIn.Name} {occurrence} is already recorded.") { Case = c };
        }

        var form = FormValidator.Validate(checkIn, input, taxonomies);
        if (!form.IsValid)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, "Some fields need attention; nothing was saved.") { FieldErrors = form.Errors, Case = c };
        }

        var now = time.UtcNow();
        var formJson = FormDataJson.Serialize(form.Values);
        var record = new CaseCheckInRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = c.Id,
            CaseStepId = details.CurrentStepRecord().Id,
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
        return await CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = expectedVersion,
            Events = [evt],
            NewCheckIns = [record],
            DiscardDrafts = [new Drafts.DraftDiscard(c.Id, actor.UserId, Drafts.DraftForm.CheckIn(c.CurrentStep, checkInKey, occurrence).Key)],
            CancelReminders = [.. details.Reminders.Where(r => r.NoticeKey == noticeKey && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id)],
        }, $"{checkIn.Name} {occurrence} recorded.", cancellationToken);
    }

    /// <summary>Completes the current step with its form data and an outcome.</summary>
    public async Task<CaseCommandResult> CompleteStepAsync(Guid caseId, int expectedVersion, string outcomeKey, FormInput input, Actor actor, CancellationToken cancellationToken = default) =>
        await CompleteStepAsync(caseId, expectedVersion, outcomeKey, input, actor, [], cancellationToken);

    /// <summary>
    /// Completes the current step; <paramref name="uploads"/> are files uploaded with the form (already stored), written
    /// as attachments in the same transaction and referenced by the form's file fields.
    /// </summary>
    public async Task<CaseCommandResult> CompleteStepAsync(Guid caseId, int expectedVersion, string outcomeKey, FormInput input, Actor actor, IReadOnlyList<CaseAttachmentRecord> uploads, CancellationToken cancellationToken = default) =>
        await CompleteStepAsync(caseId, expectedVersion, outcomeKey, input, actor, uploads, null, cancellationToken);

    /// <summary>
    /// Completes the current step; an outcome that requires a reason (ending a follow-up early) is refused without
    /// <paramref name="reason"/>, which is recorded in the audit event.
    /// </summary>
    public async Task<CaseCommandResult> CompleteStepAsync(Guid caseId, int expectedVersion, string outcomeKey, FormInput input, Actor actor, IReadOnlyList<CaseAttachmentRecord> uploads, string? reason, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CompleteStepCoreAsync(caseId, expectedVersion, outcomeKey, input, actor, uploads, reason, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(caseId, cancellationToken));
        }
    }

    /// <summary>Records occurrence <paramref name="occurrence"/> of a follow-up check-in of the current step.</summary>
    public async Task<CaseCommandResult> RecordCheckInAsync(Guid caseId, int expectedVersion, string checkInKey, int occurrence, FormInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RecordCheckInCoreAsync(caseId, expectedVersion, checkInKey, occurrence, input, actor, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(caseId, cancellationToken));
        }
    }

    /// <summary>Applies a case-wide action: hold, resume, withdraw (with a reason) or reassign (to <paramref name="newOwnerUserId"/>).</summary>
    public async Task<CaseCommandResult> ApplyCaseActionAsync(
        Guid caseId, int expectedVersion, string actionKey, string? reason, Actor actor, Guid? newOwnerUserId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ApplyCaseActionCoreAsync(caseId, expectedVersion, actionKey, reason, actor, newOwnerUserId, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(caseId, cancellationToken));
        }
    }

    /// <summary>Adds a partner company to the case's pipeline as shortlisted.</summary>
    public async Task<CaseCommandResult> AddPartnerAsync(Guid caseId, int expectedVersion, Guid companyId, decimal? score, Actor actor, CancellationToken cancellationToken = default)
    {
        var details = await SubjectAsync(caseId, cancellationToken);
        if (details is null)
        {
            return CaseCommandResult.NotFound("The case");
        }

        var c = details.Case;
        if (c.Version != expectedVersion)
        {
            return CaseCommandResult.Conflict(c);
        }

        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return closed;
        }

        if (!CaseRoles.Of(actor, c, details.Participants).Contains(WorkflowRole.Broker))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "Only the broker of the case shortlists partners.") { Case = c };
        }

        var company = await companies.GetAsync(companyId, cancellationToken);
        if (company is null)
        {
            return CaseCommandResult.NotFound("The company");
        }

        if (details.Participants.Any(p => p.CompanyId == companyId))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{company.Name} is already on the case.") { Case = c };
        }

        var now = time.UtcNow();
        var participant = new CaseParticipantRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = c.Id,
            CompanyId = company.Id,
            RegionCode = company.RegionCode,
            Role = ParticipantRole.Partner,
            PipelineStatus = PipelineStatus.Shortlisted,
            MatchScore = score,
            AddedBy = actor.AuditId,
            AddedAt = now,
            UpdatedAt = now,
            CountryCode = company.CountryCode,
            CompanyName = company.Name,
        };
        var data = new JsonObject { ["companyId"] = company.Id.ToString(), ["company"] = company.Name, ["region"] = company.RegionCode, ["status"] = PipelineStatus.Shortlisted };
        var (advanced, evt) = c.Record(now, actor, "partner-shortlisted", c.CurrentStep, data.ToJsonString());
        return await CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = expectedVersion,
            Events = [evt],
            NewParticipants = [participant],
        }, $"{company.Name} shortlisted.", cancellationToken);
    }

    /// <summary>Moves a partner along the pipeline (contacted, interested, declined, agreed).</summary>
    public async Task<CaseCommandResult> SetPartnerStatusAsync(Guid caseId, int expectedVersion, Guid participantId, string status, Actor actor, CancellationToken cancellationToken = default)
    {
        var details = await SubjectAsync(caseId, cancellationToken);
        if (details is null)
        {
            return CaseCommandResult.NotFound("The case");
        }

        var c = details.Case;
        if (c.Version != expectedVersion)
        {
            return CaseCommandResult.Conflict(c);
        }

        var participant = details.Participants.FirstOrDefault(p => p.Id == participantId && p.Role == ParticipantRole.Partner);
        if (participant is null)
        {
            return CaseCommandResult.NotFound("The partner");
        }

        if (status is not (PipelineStatus.Shortlisted or PipelineStatus.Contacted or PipelineStatus.Interested or PipelineStatus.Declined or PipelineStatus.Agreed))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"'{status}' is not a pipeline status.") { Case = c };
        }

        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return closed;
        }

        var roles = CaseRoles.Of(actor, c, details.Participants);
        var partnersBroker = actor.RegionCode == participant.RegionCode && roles.Contains(WorkflowRole.PartnerBroker);
        if (!roles.Contains(WorkflowRole.Broker) && !partnersBroker)
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "The case's broker or the partner's regional broker updates the pipeline.") { Case = c };
        }

        var now = time.UtcNow();
        var data = new JsonObject { ["participantId"] = participant.Id.ToString(), ["companyId"] = participant.CompanyId.ToString(), ["from"] = participant.PipelineStatus, ["to"] = status };
        var (advanced, evt) = c.Record(now, actor, "partner-status-changed", c.CurrentStep, data.ToJsonString());
        return await CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = expectedVersion,
            Events = [evt],
            UpdatedParticipants = [participant with { PipelineStatus = status, UpdatedAt = now }],
        }, $"Partner status: {status}.", cancellationToken);
    }

    /// <summary>
    /// Adds a note to the case (an audit event records who wrote what, when). A note changes nothing of the case's
    /// state, so it is appended after the latest event whatever the user saw: it never conflicts with someone's step.
    /// </summary>
    public async Task<CaseCommandResult> AddNoteAsync(Guid caseId, string body, Actor actor, CancellationToken cancellationToken = default)
    {
        var (c, refusal) = await WritableAsync(caseId, null, actor, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, "Write the note first.") { FieldErrors = [new FieldError("body", "Write the note first.")], Case = c };
        }

        if (TextRules.Problem("The note", body, TextRules.MaxNoteLength) is { } noteProblem)
        {
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, noteProblem) { FieldErrors = [new FieldError("body", noteProblem)], Case = c };
        }

        var now = time.UtcNow();
        var note = new CaseNoteRecord { Id = Guid.CreateVersion7(now), CaseId = c!.Id, AuthorUserId = actor.UserId, Body = body.Trim(), CreatedAt = now };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, "note-added", c.CurrentStep,
            new JsonObject { ["noteId"] = note.Id.ToString(), ["body"] = note.Body }.ToJsonString());
        return await CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewNotes = [note],
        }, "Note added.", cancellationToken);
    }

    /// <summary>Records a stored file as an attachment of the case; its SHA-256 goes into the audit trail.</summary>
    public async Task<CaseCommandResult> AddAttachmentAsync(Guid caseId, int expectedVersion, CaseAttachmentRecord attachment, Actor actor, CancellationToken cancellationToken = default)
    {
        var (c, refusal) = await WritableAsync(caseId, expectedVersion, actor, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = time.UtcNow();
        attachment = attachment with { CaseId = c!.Id, UploadedBy = actor.AuditId, UploadedAt = now };
        var (advanced, evt) = c.Record(now, actor, "attachment-added", attachment.StepKey ?? c.CurrentStep,
            new JsonObject
            {
                ["attachmentId"] = attachment.Id.ToString(),
                ["fileName"] = attachment.FileName,
                ["contentType"] = attachment.ContentType,
                ["size"] = attachment.SizeBytes,
                ["sha256"] = attachment.Sha256,
                ["field"] = attachment.FieldKey,
            }.ToJsonString());
        return await CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = expectedVersion,
            Events = [evt],
            NewAttachments = [attachment],
        }, $"{attachment.FileName} attached.", cancellationToken);
    }

    /// <summary>Posts a message between the brokers of the case, optionally about one partner; like a note, it never conflicts.</summary>
    public async Task<CaseCommandResult> AddMessageAsync(Guid caseId, Guid? participantId, string body, Actor actor, CancellationToken cancellationToken = default)
    {
        var (c, participants, refusal) = await WritableStateAsync(caseId, null, actor, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(body) || TextRules.Problem("The message", body, TextRules.MaxMessageLength) is not null)
        {
            var message = string.IsNullOrWhiteSpace(body) ? "Write the message first." : TextRules.Problem("The message", body, TextRules.MaxMessageLength)!;
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, message) { FieldErrors = [new FieldError("body", message)], Case = c };
        }

        if (participantId is { } pid && !participants.Any(p => p.Id == pid))
        {
            return CaseCommandResult.NotFound("The partner");
        }

        var now = time.UtcNow();
        var record = new CaseMessageRecord { Id = Guid.CreateVersion7(now), CaseId = c!.Id, ParticipantId = participantId, AuthorUserId = actor.UserId, Body = body.Trim(), CreatedAt = now };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, "message-posted", c.CurrentStep,
            new JsonObject { ["messageId"] = record.Id.ToString(), ["participantId"] = participantId?.ToString(), ["body"] = record.Body }.ToJsonString());
        return await CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewMessages = [record],
        }, "Message sent.", cancellationToken);
    }

    /// <summary>The case, if <paramref name="actor"/> may change it; <paramref name="expectedVersion"/> null for a write that only appends.</summary>
    private async Task<(CaseRecord? Case, CaseCommandResult? Refusal)> WritableAsync(Guid caseId, int? expectedVersion, Actor actor, CancellationToken cancellationToken)
    {
        var (c, _, refusal) = await WritableStateAsync(caseId, expectedVersion, actor, cancellationToken);
        return (c, refusal);
    }

    /// <summary>Like <see cref="WritableAsync"/>, with the participants read in the same round trip.</summary>
    private async Task<(CaseRecord? Case, IReadOnlyList<CaseParticipantRecord> Participants, CaseCommandResult? Refusal)> WritableStateAsync(
        Guid caseId, int? expectedVersion, Actor actor, CancellationToken cancellationToken)
    {
        var state = await cases.GetCommandStateAsync(caseId, cancellationToken);
        if (state is null)
        {
            return (null, [], CaseCommandResult.NotFound("The case"));
        }

        var (c, participants) = (state.Case, state.Participants);
        return (c, participants, Refusal(c, participants, expectedVersion, actor));
    }

    private static CaseCommandResult? Refusal(CaseRecord c, IReadOnlyList<CaseParticipantRecord> participants, int? expectedVersion, Actor actor)
    {
        if (CaseClosure.Refusal(c, actor) is { } closed)
        {
            return closed;
        }

        if (!CaseAccess.CanWrite(actor, c, participants))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "You may not change this case.") { Case = c };
        }

        if (expectedVersion is { } expected && c.Version != expected)
        {
            return CaseCommandResult.Conflict(c);
        }

        return null;
    }

    /// <summary>Checks the case's audit chain.</summary>
    public async Task<AuditVerification?> VerifyAuditAsync(Guid caseId, CancellationToken cancellationToken = default)
    {
        var record = await cases.GetAsync(caseId, cancellationToken);
        return record is null ? null : AuditChain.Verify(record, await cases.GetEventsAsync(caseId, cancellationToken));
    }

    /// <summary>The reminder rows of a step started at <paramref name="startedAt"/>.</summary>
    public static IReadOnlyList<ReminderRecord> Schedule(WorkflowPlan plan, PlanStep step, CaseStepRecord stepRecord, DateTimeOffset startedAt) =>
        [.. plan.ScheduleFor(step.Key, startedAt).Select(n => new ReminderRecord
        {
            Id = Guid.CreateVersion7(startedAt),
            CaseId = stepRecord.CaseId,
            CaseStepId = stepRecord.Id,
            StepKey = step.Key,
            NoticeKey = n.Key,
            Kind = NoticeKindName(n.Kind),
            RecipientRole = n.To.ToName(),
            DueAt = Timestamps.Normalize(n.At),
            Status = ReminderStatus.Pending,
            Description = n.Description,
            CreatedAt = startedAt,
        })];

    public static string NoticeKindName(NoticeKind kind) => kind switch
    {
        NoticeKind.Reminder => "reminder",
        NoticeKind.Due => "due",
        NoticeKind.Escalation => "escalation",
        NoticeKind.ContributorDue => "contributor-due",
        _ => "check-in",
    };

    public static CaseStepRecord NewStep(Guid caseId, PlanStep step, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        CaseId = caseId,
        StepKey = step.Key,
        StageKey = step.StageKey,
        StartedAt = now,
        DueAt = step.Due is { } due ? Timestamps.Normalize(due.AddTo(now)) : null,
    };

    private static IReadOnlyList<Guid> PendingReminderIds(CaseCommandSubject details, Guid stepRecordId) =>
        [.. details.Reminders.Where(r => r.CaseStepId == stepRecordId && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id)];

    private async Task<CaseConditionEvaluator> EvaluatorAsync(CaseDetails details, IReadOnlyDictionary<string, FieldValue> values, CancellationToken cancellationToken)
    {
        var lead = await companies.GetAsync(details.Case.LeadCompanyId, cancellationToken);
        return new CaseConditionEvaluator(lead?.CountryCode ?? "", details.Participants, values, details.CheckIns, details.Case.StepStartedAt, time.UtcNow());
    }

    /// <summary>The case and what a command decides on, in one round trip; null when there is no such case.</summary>
    private async Task<CaseCommandSubject?> SubjectAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var state = await cases.GetCommandStateAsync(caseId, cancellationToken);
        return state is null ? null : new CaseCommandSubject(state, await catalog.GetPlanAsync(state.Case.DefinitionVersionId, cancellationToken));
    }

    private async Task<CaseCommandResult> CommitAsync(CaseWrite write, string message, CancellationToken cancellationToken)
    {
        try
        {
            // A case that closes takes its drafts with it: they are personal working data, needed only while it runs.
            await cases.CommitAsync(write.Case.IsClosed ? write with { DiscardAllDrafts = true } : write, cancellationToken);
            return new CaseCommandResult(CaseCommandStatus.Done, message) { Case = write.Case };
        }
        catch (ConcurrencyConflictException)
        {
            return CaseCommandResult.Conflict(await cases.GetAsync(write.Case.Id, cancellationToken));
        }
    }
}
