// Over 400 lines: the rows of one case are made in one place, in the order their random draws are taken (that order
// is what makes the same seed give the same rows).
using System.Globalization;
using System.Text.Json.Nodes;
using Bogus;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Testing.Seeding;

/// <summary>A seeded user the cases refer to (owner, actor of steps).</summary>
internal sealed record SeedUser(Guid Id, string Role, string? Region);

/// <summary>
/// Makes the rows of one case from a walk (<see cref="SeedWalk"/>): its fate (open, on hold, overdue, withdrawn or
/// closed at the walk's end), its timeline, participants, partner tracks, reminders, check-ins, notes and attachments,
/// and its audit events chained with the product's hashing (<see cref="AuditChain"/>). Everything is drawn from a
/// random generator seeded by the run's seed and the case's number, so case n is the same whatever else is seeded.
/// </summary>
internal sealed class CaseSeeder(
    SeedOptions options,
    IReadOnlyList<SeedWalk> walks,
    IReadOnlyList<SeedCompany> companies,
    IReadOnlyDictionary<string, IReadOnlyList<SeedUser>> brokers,
    IReadOnlyDictionary<(int Version, string CheckIn), string> checkInForms)
{
    private readonly IReadOnlyList<SeedCompany> leads = [.. companies.Where(c => c.SizeClass is "micro" or "small" or "medium")];
    private readonly Dictionary<string, IReadOnlyList<SeedCompany>> byCountry = companies.GroupBy(c => c.Country).ToDictionary(g => g.Key, g => (IReadOnlyList<SeedCompany>)[.. g]);
    private readonly Dictionary<(string Region, int Year), int> references = [];
    private readonly Faker faker = new();
    private readonly IReadOnlyList<(int Version, int Weight)> versionWeights = [.. walks.Select(w => w.Version).Distinct().Order().Select((v, i) => (v, i + 2))];
    private readonly Dictionary<int, SeedWalk[]> walksByVersion = walks.GroupBy(w => w.Version).ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The last reference number used per region and year (<c>case_sequences</c>).</summary>
    public IReadOnlyDictionary<(string Region, int Year), int> References => references;

    private static readonly string[] NoteBodies =
    [
        "Called the managing director; they will send last year's financial statements next week.",
        "Met the company at their premises. Strong interest in the Nordic market, little export experience so far.",
        "The company asked for a short list of research partners working on the same technology.",
        "Agreed to meet again after the trade fair.",
        "Partner broker confirmed that two companies in their region fit the profile.",
        "The company prefers to start with a pilot project before a long-term agreement.",
        "Sent the cooperation profile draft for comments.",
        "Reminded the company of the de minimis declaration.",
    ];

    private static readonly (string Name, string Type, int Min, int Max)[] Files =
    [
        ("cooperation-profile.pdf", "application/pdf", 40_000, 900_000),
        ("meeting-notes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 12_000, 120_000),
        ("financial-statements-2025.pdf", "application/pdf", 90_000, 2_500_000),
        ("product-photos.zip", "application/zip", 500_000, 9_000_000),
    ];

    /// <summary>
    /// The first part of case <paramref name="index"/>: its lead, owner, walk, fate and timeline, up to the moment it
    /// opened. Safe to call from several threads (each with its own <paramref name="f"/>): it reads only what the seeder
    /// was made with. The case's reference number is taken next, in case order (<see cref="Number"/>).
    /// </summary>
    public CaseStart Begin(Faker f, int index)
    {
        f.Random = new Randomizer(unchecked((options.Seed * 1_000_003) + index + 17));
        var ids = new SeedIds(f.Random);
        var lead = leads[f.Random.Int(0, leads.Count - 1)];
        var owners = brokers[lead.Region];
        var owner = owners[f.Random.Int(0, owners.Count - 1)];
        var walk = PickWalk(f);
        var plan = walk.Plan;

        // Fate: closed at the walk's end, withdrawn, on hold, or open at a step of the walk.
        var fate = f.Random.Double();
        var closed = walk.EndState is not null && fate < 0.36;
        var withdrawn = !closed && fate < 0.46 && plan.GetCaseAction(CaseActionKind.Withdraw)?.Target is not null;
        var onHold = !closed && !withdrawn && fate < 0.54 && plan.GetCaseAction(CaseActionKind.Hold) is not null;
        var overdue = !closed && !withdrawn && f.Random.Bool(0.3f);
        var taken = closed ? walk.Transitions.Count : f.Random.Int(0, Math.Max(0, walk.Transitions.Count - (walk.EndState is null ? 0 : 1)));

        // The timeline: time in each step (within its due period mostly), then when the case opened.
        var durations = new TimeSpan[taken];
        for (var i = 0; i < taken; i++)
        {
            durations[i] = TimeIn(f, walk.Transitions[i].Step, plan, late: f.Random.Bool(0.15f));
        }

        var currentStep = taken < walk.Transitions.Count ? walk.Transitions[taken].Step : null;
        TimeSpan tail;
        if (currentStep is not null && !withdrawn)
        {
            var due = DueSpan(currentStep);
            tail = overdue ? due + TimeSpan.FromDays(f.Random.Double(1, 45)) : TimeSpan.FromDays(f.Random.Double(0.05, Math.Max(0.1, due.TotalDays * 0.9)));
        }
        else
        {
            tail = TimeSpan.FromDays(f.Random.Double(1, 400) + ((5 - walk.Version) * 120));
        }

        var opened = Second(options.Now - durations.Aggregate(TimeSpan.Zero, (a, d) => a + d) - tail - (withdrawn ? TimeSpan.FromDays(f.Random.Double(1, 200)) : TimeSpan.Zero));
        return new CaseStart(f.Random, ids, lead, owner, walk, closed, withdrawn, onHold, taken, durations, currentStep, opened);
    }

    /// <summary>The case's reference number in its region and year: called in case order, on one thread.</summary>
    public int Number(CaseStart start) =>
        references[(start.Lead.Region, start.Opened.Year)] = references.GetValueOrDefault((start.Lead.Region, start.Opened.Year)) + 1;

    /// <summary>Case <paramref name="index"/> in one go (<see cref="Begin"/>, <see cref="Number"/>, <see cref="Finish"/>).</summary>
    public void Add(SeedBatch batch, int index)
    {
        var start = Begin(faker, index);
        Finish(faker, start, Number(start), batch);
    }

    /// <summary>
    /// The rest of the case from where <see cref="Begin"/> stopped, drawing on from the same generator: its rows and its
    /// audit chain. Safe to call from several threads, each with its own <paramref name="f"/> and batch.
    /// </summary>
    public void Finish(Faker f, CaseStart start, int number, SeedBatch batch)
    {
        f.Random = start.Random;
        var (_, ids, lead, owner, walk, closed, withdrawn, onHold, taken, durations, currentStep, opened) = start;
        var plan = walk.Plan;
        var calendar = WorkingCalendars.ForRegion(lead.Region);
        var year = opened.Year;
        var reference = string.Create(CultureInfo.InvariantCulture, $"{lead.Region}-{year}-{number:0000}");
        var title = f.Random.Bool(0.7f) ? $"{lead.Name}: joint smart strategy" : $"{lead.Name}: {SeedPeople.NeedFor(f)}";
        var caseId = ids.Next(opened);
        var events = new List<PendingEvent>();
        var partners = new List<(Guid Id, SeedCompany Company, string Status, DateTimeOffset At)>();
        var reachedMatching = walk.Transitions.Take(taken + 1).Any(t => t.Step.StageKey != walk.Transitions[0].Step.StageKey);

        // Participants: the lead, and partners abroad once the search started.
        var leadParticipant = ids.Next(opened);
        batch.Add(SeedTables.Participants, leadParticipant, caseId, lead.Id, lead.Region, ParticipantRole.Lead, PipelineStatus.Lead, null, owner.Id, opened, opened);
        var openedData = new JsonObject
        {
            ["reference"] = reference,
            ["definition"] = plan.Key,
            ["version"] = plan.Version,
            ["leadCompanyId"] = lead.Id.ToString(),
            ["leadCompany"] = lead.Name,
            ["region"] = lead.Region,
            ["owner"] = owner.Id.ToString(),
            ["step"] = plan.StartStep.Key,
        }.ToJsonString();
        events.Add(new(opened, owner.Id, CaseEventKinds.CaseOpened, plan.StartStep.Key, openedData, true));

        var at = opened;
        var stepRecords = new List<(Guid Id, PlanStep Step, DateTimeOffset Start, DateTimeOffset? End)>();
        var data = "{}";
        for (var i = 0; i < taken; i++)
        {
            var t = walk.Transitions[i];
            var end = Second(at + durations[i]);
            var stepId = ids.Next(at);
            stepRecords.Add((stepId, t.Step, at, end));
            if (partners.Count == 0 && reachedMatching && i + 1 < walk.Transitions.Count && walk.Transitions[i + 1].Step.StageKey != walk.Transitions[0].Step.StageKey)
            {
                AddPartners(f, ids, lead, partners, Second(at + (durations[i] / 2)), closed);
            }

            var company = partners.Count > 0 ? partners[0].Company.Id : lead.Id;
            var uploads = new List<CaseAttachmentRecord>();
            var formJson = t.FormJson.Replace(CaseTemplates.CompanyPlaceholder.ToString(), company.ToString(), StringComparison.Ordinal);
            for (var n = 0; n < t.FileFields.Count; n++)
            {
                var attachment = Attachment(f, ids, caseId, t.Step.Key, t.FileFields[n], end, owner.Id, "signed-agreement.pdf", "application/pdf");
                uploads.Add(attachment);
                formJson = formJson.Replace(CaseTemplates.FilePlaceholder(n).ToString(), attachment.Id.ToString(), StringComparison.Ordinal);
            }

            AddCheckIns(f, ids, batch, walk, caseId, stepId, t.Step, at, end, owner.Id, events);
            batch.Add(SeedTables.Steps, stepId, caseId, t.Step.Key, t.Step.StageKey, at, Due(t.Step, at, calendar), end, owner.Id, t.Outcome.Key, formJson);
            AddReminders(batch, ids, plan, t.Step, caseId, stepId, at, end, lead.Region, paused: false);
            AddTracks(batch, ids, f, t.Step, caseId, stepId, at, end, partners, events, owner.Id);
            events.Add(new(end, owner.Id, CaseEventKinds.StepCompleted, t.Step.Key, CompleteStep.EventData(t.Step.Key, t.Outcome, t.To, formJson, t.Reason, uploads), true));
            foreach (var a in uploads)
            {
                AddAttachmentRow(batch, a);
            }

            data = t.DataAfter;
            at = end;
        }

        data = data.Replace(CaseTemplates.CompanyPlaceholder.ToString(), (partners.Count > 0 ? partners[0].Company.Id : lead.Id).ToString(), StringComparison.Ordinal);
        string status;
        string? stage = null;
        string current;
        DateTimeOffset stepStarted = at;
        DateTimeOffset? stepDue = null;
        DateTimeOffset? holdStarted = null;
        DateTimeOffset? closedAt = null;
        var last = at;
        if (currentStep is null)
        {
            status = CaseStatus.Closed;
            current = walk.EndState!;
            closedAt = at;
        }
        else if (withdrawn)
        {
            var withdraw = plan.GetCaseAction(CaseActionKind.Withdraw)!;
            var when = Second(at + TimeSpan.FromDays(f.Random.Double(0.5, 20)));
            var stepId = ids.Next(at);
            batch.Add(SeedTables.Steps, stepId, caseId, currentStep.Key, currentStep.StageKey, at, Due(currentStep, at, calendar), when, owner.Id, withdraw.Key, null);
            AddReminders(batch, ids, plan, currentStep, caseId, stepId, at, when, lead.Region, paused: false);
            var reason = f.PickRandom("The company withdrew: no resources this year.", "The company was sold and the new owner stopped the project.", "The company found a partner on its own.");
            events.Add(new(when, owner.Id, "case-withdraw", currentStep.Key,
                new JsonObject { ["action"] = withdraw.Key, ["label"] = withdraw.Label, ["reason"] = reason, ["from"] = currentStep.Key, ["to"] = withdraw.Target }.ToJsonString(), true));
            status = CaseStatus.Closed;
            current = withdraw.Target!;
            closedAt = when;
            stepStarted = when;
            last = when;
        }
        else
        {
            status = CaseStatus.Active;
            current = currentStep.Key;
            stage = currentStep.StageKey;
            stepDue = Due(currentStep, at, calendar);
            var stepId = ids.Next(at);
            if (partners.Count == 0 && currentStep.StageKey != walk.Transitions[0].Step.StageKey)
            {
                AddPartners(f, ids, lead, partners, at, agreed: false);
            }

            batch.Add(SeedTables.Steps, stepId, caseId, currentStep.Key, currentStep.StageKey, at, stepDue, null, null, null, null);
            AddCheckIns(f, ids, batch, walk, caseId, stepId, currentStep, at, options.Now, owner.Id, events);
            if (onHold)
            {
                var hold = plan.GetCaseAction(CaseActionKind.Hold)!;
                holdStarted = Second(at + ((options.Now - at) * f.Random.Double(0.2, 0.9)));
                events.Add(new(holdStarted.Value, owner.Id, "case-hold", currentStep.Key,
                    new JsonObject { ["action"] = hold.Key, ["label"] = hold.Label, ["reason"] = "The company asked to pause until its funding is decided." }.ToJsonString(), true));
                status = CaseStatus.OnHold;
            }

            AddReminders(batch, ids, plan, currentStep, caseId, stepId, at, holdStarted ?? options.Now, lead.Region, paused: onHold, open: true);
            AddTracks(batch, ids, f, currentStep, caseId, stepId, at, null, partners, events, owner.Id);
            last = holdStarted ?? at;
        }

        foreach (var p in partners)
        {
            batch.Add(SeedTables.Participants, p.Id, caseId, p.Company.Id, p.Company.Region, ParticipantRole.Partner, p.Status,
                Math.Round(f.Random.Decimal(0.35m, 0.95m), 4), owner.Id, p.At, p.At);
        }

        // Notes and loose attachments at moments of the case's life.
        var lifeEnd = closedAt ?? options.Now;
        for (var n = f.Random.Int(0, 3); n > 0; n--)
        {
            var when = Second(opened + ((lifeEnd - opened) * f.Random.Double(0.05, 0.95)));
            var noteId = ids.Next(when);
            var body = f.PickRandom(NoteBodies);
            batch.Add(SeedTables.Notes, noteId, caseId, owner.Id, body, when);
            events.Add(new(when, owner.Id, "note-added", null, new JsonObject { ["noteId"] = noteId.ToString(), ["body"] = body }.ToJsonString(), false));
        }

        for (var n = f.Random.Int(0, 2) - 1; n > 0; n--)
        {
            var file = f.PickRandom(Files);
            var when = Second(opened + ((lifeEnd - opened) * f.Random.Double(0.05, 0.95)));
            var attachment = Attachment(f, ids, caseId, null, null, when, owner.Id, file.Name, file.Type, file.Min, file.Max);
            AddAttachmentRow(batch, attachment);
            events.Add(new(when, owner.Id, "attachment-added", null, new JsonObject
            {
                ["attachmentId"] = attachment.Id.ToString(),
                ["fileName"] = attachment.FileName,
                ["contentType"] = attachment.ContentType,
                ["size"] = attachment.SizeBytes,
                ["sha256"] = attachment.Sha256,
                ["field"] = null,
            }.ToJsonString(), true));
        }

        // The audit chain, in time order, hashed by the product's own code.
        var prev = AuditChain.GenesisHash;
        var seq = 0;
        var version = 1;
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToList();
        var lastStep = (string?)null;
        foreach (var e in ordered)
        {
            seq++;
            var id = ids.Next(e.At);
            var stepKey = e.StepKey ?? lastStep ?? plan.StartStep.Key;
            var hash = AuditChain.HashOf(prev, caseId, seq, id, e.At, e.Actor, e.Kind, stepKey, e.Data);
            batch.Add(SeedTables.Events, caseId, seq, id, e.At, e.Actor, e.Kind, stepKey, e.Data, prev, hash);
            prev = hash;
            lastStep = e.Kind == CaseEventKinds.StepCompleted ? null : stepKey;
            version += e.AdvancesVersion ? 1 : 0;
            last = e.At > last ? e.At : last;
        }

        batch.Add(SeedTables.Cases, caseId, reference, title, walk.VersionId, lead.Id, lead.Region, owner.Id, status, stage, current, stepStarted, stepDue,
            holdStarted, data, version, prev, seq, opened, last, closedAt, SearchText.Case(reference, title));
    }

    private SeedWalk PickWalk(Faker f)
    {
        // Newer versions carry more cases: v1 10 %, v2 15 %, v3 20 %, v4 25 %, v5 30 % (older ones as they are shipped).
        var candidates = walksByVersion[SeedPeople.Weighted(f, versionWeights)];
        return candidates[f.Random.Int(0, candidates.Length - 1)];
    }

    private void AddPartners(Faker f, SeedIds ids, SeedCompany lead, List<(Guid, SeedCompany, string, DateTimeOffset)> partners, DateTimeOffset at, bool agreed)
    {
        var countries = byCountry.Keys.Where(c => c != lead.Country).Order(StringComparer.Ordinal).ToList();
        var count = f.Random.Int(agreed ? 2 : 1, 4);
        var used = new HashSet<Guid> { lead.Id };
        for (var i = 0; i < count; i++)
        {
            var pool = byCountry[countries[f.Random.Int(0, countries.Count - 1)]];
            var company = pool[f.Random.Int(0, pool.Count - 1)];
            if (!used.Add(company.Id))
            {
                continue;
            }

            var status = agreed && i < 2 ? PipelineStatus.Agreed : f.PickRandom(PipelineStatus.Shortlisted, PipelineStatus.Contacted, PipelineStatus.Interested, PipelineStatus.Declined);
            partners.Add((ids.Next(at), company, status, at));
        }
    }

    private void AddCheckIns(Faker f, SeedIds ids, SeedBatch batch, SeedWalk walk, Guid caseId, Guid stepId, PlanStep step, DateTimeOffset start, DateTimeOffset end, Guid actor, List<PendingEvent> events)
    {
        foreach (var checkIn in walk.Plan.CheckInsFor(step.Key))
        {
            var occurrences = checkIn.Occurrences(start);
            for (var k = 0; k < occurrences.Count; k++)
            {
                var recorded = Second(occurrences[k] + TimeSpan.FromDays(f.Random.Double(-3, 3)));
                if (recorded > end || f.Random.Bool(0.1f))
                {
                    continue;
                }

                var form = checkInForms.TryGetValue((walk.Version, checkIn.Key), out var json) ? json : "{}";
                batch.Add(SeedTables.CheckIns, ids.Next(recorded), caseId, stepId, checkIn.Key, k + 1, Timestamps.Normalize(occurrences[k]), recorded, actor, form);
                events.Add(new(recorded, actor, "check-in-recorded", step.Key,
                    new JsonObject { ["checkIn"] = checkIn.Key, ["occurrence"] = k + 1, ["form"] = JsonNode.Parse(form) }.ToJsonString(), true));
            }
        }
    }

    private static void AddReminders(SeedBatch batch, SeedIds ids, WorkflowPlan plan, PlanStep step, Guid caseId, Guid stepId, DateTimeOffset start, DateTimeOffset until, string region, bool paused, bool open = false)
    {
        foreach (var n in plan.ScheduleFor(step.Key, start, WorkingCalendars.ForRegion(region)))
        {
            var due = Timestamps.Normalize(n.At);
            var sent = due <= until;
            var status = sent ? "sent" : open ? (paused ? "paused" : "pending") : "cancelled";
            batch.Add(SeedTables.Reminders, ids.Next(start), caseId, stepId, step.Key, n.Key, CaseSteps.NoticeKindName(n.Kind), n.To.ToName(), due, status,
                n.Description, sent ? 1 : 0, sent ? due : null, start, null);
        }
    }

    private static void AddTracks(SeedBatch batch, SeedIds ids, Faker f, PlanStep step, Guid caseId, Guid stepId, DateTimeOffset start, DateTimeOffset? end,
        List<(Guid Id, SeedCompany Company, string Status, DateTimeOffset At)> partners, List<PendingEvent> events, Guid actor)
    {
        if (step.Tracks is not { } tracks)
        {
            return;
        }

        foreach (var p in partners.Where(p => end is not null || p.Status is not (PipelineStatus.Agreed or PipelineStatus.Declined)))
        {
            var state = end is null ? tracks.StartStateFor(p.Status) : p.Status == PipelineStatus.Agreed ? "agreed" : f.PickRandom(tracks.Ends.Select(e => e.Key).ToArray());
            var track = new CaseTrackRecord
            {
                Id = ids.Next(start),
                CaseId = caseId,
                CaseStepId = stepId,
                ParticipantId = p.Id,
                StepKey = step.Key,
                State = end is null ? state : tracks.Start,
                Status = TrackStatus.Open,
                Version = 1,
                PerformerRole = tracks.Role.ToName(),
                RegionCode = p.Company.Region,
                StartedAt = start,
                DueAt = tracks.Due is { } due ? Timestamps.Normalize(due.AddTo(start, WorkingCalendars.ForRegion(p.Company.Region))) : null,
                UpdatedAt = start,
            };
            var participant = new CaseParticipantRecord
            {
                Id = p.Id,
                CaseId = caseId,
                CompanyId = p.Company.Id,
                RegionCode = p.Company.Region,
                Role = ParticipantRole.Partner,
                PipelineStatus = p.Status,
                CompanyName = p.Company.Name,
            };
            events.Add(new(start, actor, CaseEventKinds.TrackStarted, step.Key, PartnerTracks.Data(track, participant, null, track.State, null,
                $"{p.Company.Name}: track started in '{tracks.NameOf(track.State)}', with the partner broker of {p.Company.Region}" +
                (track.DueAt is { } d ? string.Create(CultureInfo.InvariantCulture, $", due {d:yyyy-MM-dd}.") : ".")), true));
            if (end is { } ended)
            {
                track = track with { State = state, Status = TrackStatus.Ended, Version = 2, EndedAt = ended, UpdatedAt = ended };
            }

            batch.Add(SeedTables.Tracks, track.Id, caseId, stepId, p.Id, step.Key, track.State, track.Status, track.Version, track.PerformerRole, track.RegionCode,
                track.StartedAt, track.DueAt, track.EndedAt, track.UpdatedAt);
        }
    }

    private static CaseAttachmentRecord Attachment(Faker f, SeedIds ids, Guid caseId, string? step, string? field, DateTimeOffset at, Guid actor, string name, string type, int min = 60_000, int max = 600_000)
    {
        var id = ids.Next(at);
        return new CaseAttachmentRecord
        {
            Id = id,
            CaseId = caseId,
            StepKey = step,
            FieldKey = field,
            FileName = name,
            ContentType = type,
            SizeBytes = f.Random.Int(min, max),
            Sha256 = Convert.ToHexStringLower(f.Random.Bytes(32)),
            StorageKey = $"{caseId:N}/{id:N}",
            UploadedBy = actor,
            UploadedAt = at,
        };
    }

    private static void AddAttachmentRow(SeedBatch batch, CaseAttachmentRecord a) =>
        batch.Add(SeedTables.Attachments, a.Id, a.CaseId, a.StepKey, a.FieldKey, a.FileName, a.ContentType, a.SizeBytes, a.Sha256, a.StorageKey, a.UploadedBy, a.UploadedAt);

    private static TimeSpan DueSpan(PlanStep step)
    {
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        return step.Due is { } due ? due.AddTo(start) - start : TimeSpan.FromDays(14);
    }

    private static TimeSpan TimeIn(Faker f, PlanStep step, WorkflowPlan plan, bool late)
    {
        var due = DueSpan(step);
        var checkIns = plan.CheckInsFor(step.Key).Select(c => c.Occurrences(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)).LastOrDefault() - new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero))
            .DefaultIfEmpty(TimeSpan.Zero).Max();
        var days = late ? f.Random.Double(due.TotalDays, due.TotalDays * 2) : f.Random.Double(Math.Min(0.2, due.TotalDays), Math.Max(0.3, due.TotalDays));
        return TimeSpan.FromDays(days) + (checkIns > TimeSpan.Zero ? checkIns + TimeSpan.FromDays(4) : TimeSpan.Zero);
    }

    private static DateTimeOffset? Due(PlanStep step, DateTimeOffset start, WorkingCalendar calendar) =>
        step.Due is { } due ? Timestamps.Normalize(due.AddTo(start, calendar)) : null;

    private static DateTimeOffset Second(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private sealed record PendingEvent(DateTimeOffset At, Guid Actor, string Kind, string? StepKey, string Data, bool AdvancesVersion);
}

/// <summary>What <see cref="CaseSeeder.Begin"/> drew for a case, and the generator to draw the rest from.</summary>
internal sealed record CaseStart(
    Randomizer Random, SeedIds Ids, SeedCompany Lead, SeedUser Owner, SeedWalk Walk, bool Closed, bool Withdrawn, bool OnHold, int Taken,
    TimeSpan[] Durations, PlanStep? CurrentStep, DateTimeOffset Opened);

/// <summary>Version 7 ids whose time is the row's time and whose random part comes from the case's seeded generator.</summary>
internal sealed class SeedIds(Randomizer random)
{
    public Guid Next(DateTimeOffset at)
    {
        Span<byte> b = stackalloc byte[16];
        random.Bytes(16).CopyTo(b);
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            b[i] = (byte)(ms >> (8 * (5 - i)));
        }

        b[6] = (byte)(0x70 | (b[6] & 0x0F));
        b[8] = (byte)(0x80 | (b[8] & 0x3F));
        return new Guid(b, bigEndian: true);
    }
}
