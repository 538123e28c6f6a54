using System.Text.Json.Nodes;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Cases;

/// <summary>What happened to one case when a migration ran.</summary>
public sealed record CaseMigrationOutcome(Guid CaseId, string Reference, bool Moved, string Message);

/// <summary>The result of a migration run; when <see cref="Plan"/> is invalid nothing moved.</summary>
public sealed record MigrationRun(MigrationPlan Plan, IReadOnlyList<CaseMigrationOutcome> Cases)
{
    public int Moved => Cases.Count(c => c.Moved);
}

/// <summary>A plan made over the cases as they were read, ready to run; made only by <see cref="CaseMigrationService.PrepareAsync"/>.</summary>
public sealed class PreparedMigration
{
    internal PreparedMigration(string key, WorkflowPlan fromPlan, WorkflowPlan toPlan, WorkflowVersionRecord target, IReadOnlyDictionary<string, string> mappings, MigrationPlan plan, IReadOnlyDictionary<string, CaseDetails> details)
    {
        (Key, FromPlan, ToPlan, Target, Mappings, Plan, Details) = (key, fromPlan, toPlan, target, mappings, plan, details);
    }

    public string Key { get; }

    public WorkflowPlan FromPlan { get; }

    public WorkflowPlan ToPlan { get; }

    public WorkflowVersionRecord Target { get; }

    /// <summary>The mappings as the coordinator gave them.</summary>
    public IReadOnlyDictionary<string, string> Mappings { get; }

    public MigrationPlan Plan { get; }

    /// <summary>Case id (as the planner writes it) → the case as read for the plan.</summary>
    public IReadOnlyDictionary<string, CaseDetails> Details { get; }
}

/// <summary>
/// Moves running cases from one published version of a definition to another, as an explicit plan: same-key steps
/// map automatically, every other live step needs a mapping or the plan is rejected; a dry run reports per case what
/// would happen; the run moves each case in its own transaction with an audit event, and never sends a case back to
/// the beginning.
/// </summary>
public sealed class CaseMigrationService(ICaseStore cases, IWorkflowStore versions, WorkflowCatalog catalog, TimeProvider time)
{
    /// <summary>The dry run: nothing is written.</summary>
    public async Task<MigrationPlan> DryRunAsync(string key, int fromNumber, int toNumber, IReadOnlyDictionary<string, string> mappings, CancellationToken cancellationToken = default) =>
        (await PrepareAsync(key, fromNumber, toNumber, mappings, cancellationToken)).Plan;

    /// <summary>
    /// Plans the migration over the cases as they are now. Only a prepared plan can be run (see
    /// <see cref="Migration.ExecuteMigration"/>, which runs it only when it is the plan the coordinator reviewed).
    /// </summary>
    public async Task<PreparedMigration> PrepareAsync(string key, int fromNumber, int toNumber, IReadOnlyDictionary<string, string> mappings, CancellationToken cancellationToken = default)
    {
        var from = await versions.GetVersionAsync(key, fromNumber, cancellationToken) ?? throw new KeyNotFoundException($"'{key}' has no version {fromNumber}.");
        var to = await versions.GetVersionAsync(key, toNumber, cancellationToken) ?? throw new KeyNotFoundException($"'{key}' has no version {toNumber}.");
        if (!to.IsPublished)
        {
            throw new InvalidOperationException($"Version {toNumber} of '{key}' is a draft; publish it before moving cases onto it.");
        }

        var fromPlan = await catalog.GetPlanAsync(from.Id, cancellationToken);
        var toPlan = await catalog.GetPlanAsync(to.Id, cancellationToken);
        var details = new Dictionary<string, CaseDetails>(StringComparer.Ordinal);
        var running = new List<RunningCase>();
        foreach (var id in await cases.ListOpenCaseIdsAsync(from.Id, cancellationToken))
        {
            var c = await cases.GetAsync(id, cancellationToken);
            if (c is null)
            {
                continue;
            }

            var events = await cases.GetEventsAsync(id, cancellationToken);
            // Partners and their tracks are read only when a version has partner tracks (they may go on, start or be cancelled).
            var withTracks = toPlan.Steps.Concat(fromPlan.Steps).Any(s => s.Tracks is not null);
            var d = new CaseDetails(c, fromPlan, await cases.GetStepsAsync(id, cancellationToken), events,
                withTracks ? await cases.GetParticipantsAsync(id, cancellationToken) : [], await cases.GetRemindersAsync(id, cancellationToken), [])
            {
                Tracks = withTracks ? await cases.GetTracksAsync(id, cancellationToken) : [],
            };
            details[id.ToString()] = d;
            IReadOnlyDictionary<string, FieldValue> values = d.ValuesOf(c.CurrentStep);
            running.Add(new RunningCase(
                id.ToString(),
                c.CurrentStep,
                [.. values.Keys],
                [.. d.Reminders.Where(r => r.CaseTrackId is null && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => new PendingReminder(r.Id.ToString(), r.StepKey, r.DueAt, r.NoticeKey))],
                c.StepStartedAt,
                c.IsOnHold)
            {
                HeldFor = HoldTime.OfCurrentStep(c, events),
                RegionCode = c.RegionCode,
                HoldStartedAt = c.IsOnHold ? c.HoldStartedAt : null,
                OpenTracks = [.. OpenTracks(d).Select(t => new RunningTrack(t.Id.ToString(), PartnerName(d, t.ParticipantId), t.State))],
                Partners = [.. d.Participants.Where(PartnerTracks.Gets).Select(p => new RunningPartner(p.CompanyName, p.PipelineStatus))],
            });
        }

        var plan = MigrationPlanner.Plan(new MigrationRequest(fromPlan, toPlan, mappings, running, time.UtcNow()));
        return new PreparedMigration(key, fromPlan, toPlan, to, mappings, plan, details);
    }

    private static IEnumerable<CaseTrackRecord> OpenTracks(CaseDetails d)
    {
        var record = d.Steps.LastOrDefault(s => s.StepKey == d.Case.CurrentStep && s.CompletedAt is null);
        return d.Tracks.Where(t => t.IsOpen && t.CaseStepId == record?.Id);
    }

    private static string PartnerName(CaseDetails d, Guid participantId) =>
        d.Participants.FirstOrDefault(p => p.Id == participantId)?.CompanyName is { Length: > 0 } name ? name : "A partner";

    /// <summary>Runs a prepared plan: each case moves in its own transaction; a case changed meanwhile is left where it is and reported.</summary>
    public async Task<MigrationRun> ExecuteAsync(PreparedMigration prepared, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (!prepared.Plan.IsValid)
        {
            return new MigrationRun(prepared.Plan, []);
        }

        var outcomes = new List<CaseMigrationOutcome>();
        foreach (var m in prepared.Plan.Cases)
        {
            outcomes.Add(await MoveAsync(prepared.Details[m.CaseId], m, prepared.Target, prepared.ToPlan, actor, cancellationToken));
        }

        return new MigrationRun(prepared.Plan, outcomes);
    }

    /// <summary>
    /// Does to the case's partner tracks what the plan said: open tracks go on (moved to a mapped state where the plan
    /// says so), are cancelled, and/or the target step's tracks start in the state each partner's pipeline status names.
    /// </summary>
    private static CaseWrite MigrateTracks(CaseWrite write, CaseDetails d, CaseMigration m, PlanStep toStep, int version, Guid stepRecordId, Actor actor, DateTimeOffset now)
    {
        var plan = m.Tracks;
        if (plan.Decision is TrackDecision.Cancel or TrackDecision.CancelAndStart)
        {
            write = PartnerTracks.CancelOpen(write, d, actor, now, toStep.Tracks is null ? $"the case moved to version {version}, where '{toStep.Key}' runs no tracks" : $"the case moved to step '{toStep.Key}' of version {version}");
        }

        if (plan.Decision is TrackDecision.Start or TrackDecision.CancelAndStart)
        {
            write = PartnerTracks.Start(write, toStep, stepRecordId, d.Participants, actor, now);
        }

        if (plan.Decision == TrackDecision.Continue && toStep.Tracks is { } tracks)
        {
            var moved = new List<CaseTrackRecord>();
            var partners = new List<CaseParticipantRecord>();
            var events = new List<(string, string)>();
            foreach (var move in plan.Continued.Where(x => x.Mapped))
            {
                var track = d.Tracks.First(t => t.Id.ToString() == move.TrackId);
                var partner = d.Participants.FirstOrDefault(p => p.Id == track.ParticipantId);
                var next = track with { State = move.ToState, Version = track.Version + 1, UpdatedAt = now };
                moved.Add(next);
                if (partner is not null)
                {
                    partners.Add(partner with { PipelineStatus = PartnerTracks.PipelineStatusOf(tracks, move.ToState), UpdatedAt = now });
                }

                events.Add((CaseEventKinds.TrackMoved, PartnerTracks.Data(next, partner, move.FromState, move.ToState, null,
                    $"{move.Partner}: track moved from '{d.Plan.GetStep(m.FromStep).Tracks?.NameOf(move.FromState) ?? move.FromState}' to '{tracks.NameOf(move.ToState)}' by the migration to version {version}.")));
            }

            write = PartnerTracks.Append(write with
            {
                UpdatedTracks = [.. write.UpdatedTracks, .. moved],
                UpdatedParticipants = [.. write.UpdatedParticipants, .. partners],
            }, actor, now, toStep.Key, events);
        }

        return write;
    }

    private async Task<CaseMigrationOutcome> MoveAsync(CaseDetails d, CaseMigration m, WorkflowVersionRecord target, WorkflowPlan toPlan, Actor actor, CancellationToken cancellationToken)
    {
        var c = d.Case;
        var now = time.UtcNow();
        var toStep = toPlan.GetStep(m.ToStep);
        var values = d.ValuesOf(m.FromStep);
        var carried = values.Where(v => m.CarriedFields.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var data = new JsonObject
        {
            ["definition"] = toPlan.Key,
            ["fromVersion"] = d.Plan.Version,
            ["toVersion"] = toPlan.Version,
            ["fromStep"] = m.FromStep,
            ["toStep"] = m.ToStep,
            ["mappedExplicitly"] = m.MappedExplicitly,
            ["carriedFields"] = new JsonArray([.. m.CarriedFields.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["droppedFields"] = new JsonArray([.. m.DroppedFields.Select(f => (JsonNode)JsonValue.Create(f))]),
            ["reminders"] = m.Reminders.ToString().ToLowerInvariant(),
        };
        var (advanced, evt) = c.Record(now, actor, "case-migrated", m.ToStep, data.ToJsonString());
        var current = d.Steps.Last(s => s.StepKey == c.CurrentStep && s.CompletedAt is null);
        var caseData = carried.Count > 0 ? CaseData.With(c.Data, m.ToStep, carried) : c.Data;
        var updated = advanced with
        {
            DefinitionVersionId = target.Id,
            CurrentStep = m.ToStep,
            CurrentStage = toStep.StageKey,
            StepDueAt = toStep.Due is { } due ? Timestamps.Normalize(due.AddTo(c.StepStartedAt, WorkingCalendars.ForRegion(c.RegionCode)) + m.HeldFor) : null,
            Data = caseData,
        };
        var write = new CaseWrite { Case = updated, ExpectedVersion = c.Version, Events = [evt] };
        var stepRecordId = current.Id;
        if (m.FromStep != m.ToStep)
        {
            var next = CaseSteps.NewStep(c.Id, toStep, c.StepStartedAt, c.RegionCode) with { Id = Guid.CreateVersion7(now) };
            stepRecordId = next.Id;
            write = write with
            {
                CompletedSteps = [current with { CompletedAt = now, CompletedBy = actor.AuditId, Outcome = "migrated", FormData = FormDataJson.Serialize(values) }],
                StartedSteps = [next],
            };
        }

        if (m.Reminders == ReminderDecision.Recreated)
        {
            var status = c.IsOnHold ? ReminderStatus.Paused : ReminderStatus.Pending;
            var notices = m.NewReminders;
            // A track's reminders belong to its track: they go on with it, or go when it is cancelled.
            var stepReminders = d.Reminders.Where(r => r.CaseTrackId is null).ToList();
            var cancel = stepReminders.Where(r => r.CaseStepId == current.Id && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id).ToList();
            IReadOnlyList<(Guid Id, string Status, DateTimeOffset DueAt)> moved = [];
            if (stepRecordId == current.Id)
            {
                // The case stays in the same step record, where a notice key is unique: a notice still waiting is moved
                // to its new time, one already sent or cancelled (a check-in recorded) is not sent again.
                var existing = stepReminders.Where(r => r.CaseStepId == current.Id).GroupBy(r => r.NoticeKey, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
                moved = [.. notices.Where(n => existing.TryGetValue(n.Key, out var r) && r.Status is ReminderStatus.Pending or ReminderStatus.Paused)
                    .Select(n => (existing[n.Key].Id, status, Timestamps.Normalize(n.At)))];
                cancel.RemoveAll(id => moved.Any(x => x.Id == id));
                notices = [.. notices.Where(n => !existing.ContainsKey(n.Key))];
            }

            write = write with
            {
                CancelReminders = cancel,
                UpdateReminders = moved,
                NewReminders = [.. notices.Select(n => new ReminderRecord
                {
                    Id = Guid.CreateVersion7(now), CaseId = c.Id, CaseStepId = stepRecordId, StepKey = toStep.Key, NoticeKey = n.Key,
                    Kind = CaseSteps.NoticeKindName(n.Kind), RecipientRole = n.To.ToName(), DueAt = Timestamps.Normalize(n.At), Status = status,
                    Description = n.Description, CreatedAt = now,
                })],
            };
        }
        else if (m.FromStep != m.ToStep)
        {
            // Kept reminders follow the case to its new step record.
            write = write with { CancelReminders = [] };
        }

        write = MigrateTracks(write, d, m, toStep, toPlan.Version, stepRecordId, actor, now);

        try
        {
            await cases.CommitAsync(write, cancellationToken);
            return new CaseMigrationOutcome(c.Id, c.Reference, true, m.Summary.Replace(m.CaseId, c.Reference, StringComparison.Ordinal));
        }
        catch (ConcurrencyConflictException)
        {
            return new CaseMigrationOutcome(c.Id, c.Reference, false, Localized.Format("{0} changed while the migration ran; it stays on version {1}. Run the migration again to move it.", c.Reference, d.Plan.Version));
        }
    }
}
