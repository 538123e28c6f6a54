using System.Globalization;
using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Partners.Tracks;

/// <summary>
/// The rules of partner tracks that several commands share, written once: which partners get a track, the rows a
/// track brings when it starts (its reminders), how a track's state shows on the partner's pipeline status, and the
/// cancelling of the tracks still open when their step is left. Each adds its rows and audit events to the command's write.
/// </summary>
internal static class PartnerTracks
{
    /// <summary>
    /// The partner's pipeline status while its track is in <paramref name="state"/>: the state's own key when it is a
    /// pipeline status (contacted, interested, agreed, declined); otherwise an end of kind success counts as agreed, an
    /// end of kind failure (e.g. no answer) as declined, and any other state as contacted. Indicators so keep counting
    /// agreed partners as before.
    /// </summary>
    public static string PipelineStatusOf(PlanTracks tracks, string state)
    {
        if (state is PipelineStatus.Contacted or PipelineStatus.Interested or PipelineStatus.Agreed or PipelineStatus.Declined)
        {
            return state;
        }

        return tracks.End(state) is { } end
            ? end.Kind == EndStateKind.Success ? PipelineStatus.Agreed : PipelineStatus.Declined
            : PipelineStatus.Contacted;
    }

    /// <summary>A partner gets a track unless its pipeline has already ended (agreed or declined in an earlier run).</summary>
    public static bool Gets(CaseParticipantRecord participant) =>
        participant.Role == ParticipantRole.Partner && participant.PipelineStatus is not (PipelineStatus.Agreed or PipelineStatus.Declined);

    /// <summary>The state a partner's track starts in (<see cref="PlanTracks.StartStateFor"/>).</summary>
    public static string StartState(PlanTracks tracks, CaseParticipantRecord partner) => tracks.StartStateFor(partner.PipelineStatus);

    /// <summary>
    /// Starts a track for each of <paramref name="partners"/> in the step record <paramref name="stepRecordId"/> of
    /// <paramref name="step"/>: the track rows, their reminders and the timers of their first state (business days on
    /// the calendar of the partner's country), the partners' new pipeline status and an audit event each. Unless
    /// <paramref name="notify"/> is false (the command already told the partner's brokers), the track's performer is told
    /// by an outbox row delivered at once that the case wants their answer.
    /// </summary>
    public static CaseWrite Start(CaseWrite write, PlanStep step, Guid stepRecordId, IEnumerable<CaseParticipantRecord> partners, Actor actor, DateTimeOffset now, bool notify = true)
    {
        var tracks = step.Tracks!;
        var started = new List<CaseTrackRecord>();
        var participants = new List<CaseParticipantRecord>();
        var reminders = new List<ReminderRecord>();
        var events = new List<(string, string)>();
        foreach (var partner in partners.Where(Gets))
        {
            var track = new CaseTrackRecord
            {
                Id = Guid.CreateVersion7(now),
                CaseId = write.Case.Id,
                CaseStepId = stepRecordId,
                ParticipantId = partner.Id,
                StepKey = step.Key,
                State = StartState(tracks, partner),
                Status = TrackStatus.Open,
                Version = 1,
                PerformerRole = tracks.Role.ToName(),
                RegionCode = partner.RegionCode,
                StartedAt = now,
                DueAt = tracks.Due is { } due ? Timestamps.Normalize(due.AddTo(now, WorkingCalendars.ForRegion(partner.RegionCode))) : null,
                UpdatedAt = now,
            };
            started.Add(track);
            reminders.AddRange(Reminders(tracks, step, track, partner));
            reminders.AddRange(StateTimers(tracks, step, track, partner));
            if (notify)
            {
                reminders.Add(Contacted(tracks, step, track, partner, write.Case));
            }

            participants.Add(partner with { PipelineStatus = PipelineStatusOf(tracks, track.State), UpdatedAt = now });
            events.Add((CaseEventKinds.TrackStarted, Data(track, partner, null, track.State, null,
                $"{partner.CompanyName}: track started in '{tracks.NameOf(track.State)}', with the {Display.Words.RoleInEnglish(tracks.Role)} of {partner.RegionCode}" +
                (track.DueAt is { } at ? $", due {at:yyyy-MM-dd}." : "."))));
        }

        return Append(write with
        {
            NewTracks = [.. write.NewTracks, .. started],
            NewReminders = [.. write.NewReminders, .. reminders],
            UpdatedParticipants = Merge(write.UpdatedParticipants, participants),
        }, actor, now, step.Key, events);
    }

    /// <summary>Cancels every open track of the current step record (the step is being left), with an event each.</summary>
    public static CaseWrite CancelOpen(CaseWrite write, CaseDetails details, Actor actor, DateTimeOffset now, string why)
    {
        if (details.CurrentStep is not { Tracks: { } tracks } step)
        {
            return write;
        }

        var record = details.Steps.LastOrDefault(s => s.StepKey == step.Key && s.CompletedAt is null);
        var open = details.Tracks.Where(t => t.IsOpen && t.CaseStepId == record?.Id).ToList();
        if (open.Count == 0)
        {
            return write;
        }

        var cancelled = open.Select(t => t with { Status = TrackStatus.Cancelled, Version = t.Version + 1, EndedAt = now, UpdatedAt = now }).ToList();
        var events = open.Select(t =>
        {
            var partner = details.Participants.FirstOrDefault(p => p.Id == t.ParticipantId);
            var name = partner?.CompanyName ?? "A partner";
            return (CaseEventKinds.TrackCancelled, Data(t, partner, t.State, t.State, null, $"{name}: track cancelled in '{tracks.NameOf(t.State)}' ({why})."));
        }).ToList();
        var ids = open.Select(t => t.Id).ToHashSet();
        return Append(write with
        {
            UpdatedTracks = [.. write.UpdatedTracks, .. cancelled],
            CancelReminders = [.. write.CancelReminders.Union(details.Reminders.Where(r => r.CaseTrackId is { } id && ids.Contains(id)).Select(r => r.Id))],
        }, actor, now, step.Key, events);
    }

    /// <summary>
    /// The event data of a track change: the track, the partner, from and to, the outcome, the region and due time of
    /// the track (the timeline says the change in the reader's language from these) and the sentence recorded in English;
    /// for a change a timer made, the timer and who the timeline names ("TIBS (timer)").
    /// </summary>
    public static string Data(CaseTrackRecord track, CaseParticipantRecord? partner, string? from, string to, string? outcome, string summary, PlanTimer? timer = null)
    {
        var data = new JsonObject
        {
            ["trackId"] = track.Id.ToString(),
            ["participantId"] = track.ParticipantId.ToString(),
            ["companyId"] = partner?.CompanyId.ToString(),
            ["from"] = from,
            ["to"] = to,
            ["outcome"] = outcome,
            ["region"] = track.RegionCode,
            ["due"] = track.DueAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["summary"] = summary,
        };
        if (timer is not null)
        {
            data["timer"] = timer.Key;
            data["by"] = CaseTimers.ActorName;
            data["action"] = timer.Action.ToName();
            data["after"] = timer.After.ToString();
        }

        return data.ToJsonString();
    }

    /// <summary>The prefix of the notice keys of a track's timer rows: <c>track:&lt;id&gt;:v&lt;version&gt;:timer-&lt;n&gt;</c>.</summary>
    private static string TimerKeyPrefix(CaseTrackRecord track) => string.Create(CultureInfo.InvariantCulture, $"track:{track.Id}:v{track.Version}:");

    /// <summary>
    /// The timer rows of a track that has just entered its state (at <see cref="CaseTrackRecord.UpdatedAt"/>): one per
    /// timer of the state, tied to the track, to the timer's role (the track's performer by default), business days
    /// counted on the calendar of the partner's country (the track's region). The key names the track's version, so a
    /// row fires only while the track is still where it was when the row was written.
    /// </summary>
    public static IEnumerable<ReminderRecord> StateTimers(PlanTracks tracks, PlanStep step, CaseTrackRecord track, CaseParticipantRecord? partner)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(track);
        if (!track.IsOpen || tracks.State(track.State) is not { } state)
        {
            return [];
        }

        var calendar = WorkingCalendars.ForRegion(track.RegionCode);
        var name = partner?.CompanyName ?? "a partner";
        return state.Acting.Select(t => new ReminderRecord
        {
            Id = Guid.CreateVersion7(track.UpdatedAt),
            CaseId = track.CaseId,
            CaseStepId = track.CaseStepId,
            CaseTrackId = track.Id,
            StepKey = step.Key,
            NoticeKey = TimerKeyPrefix(track) + t.Key,
            Kind = CaseSteps.TimerKind,
            RecipientRole = (t.To ?? tracks.Role).ToName(),
            DueAt = Timestamps.Normalize(t.After.AddTo(track.UpdatedAt, calendar)),
            Status = ReminderStatus.Pending,
            Description = Describe(tracks, state, t, name, step),
            CreatedAt = track.UpdatedAt,
        });
    }

    /// <summary>The timer of the track's current state a timer row is for; null when the track has moved on since the row was written.</summary>
    public static PlanTimer? TimerOf(PlanTracks tracks, CaseTrackRecord track, ReminderRecord row)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(row);
        var prefix = TimerKeyPrefix(track);
        return track.IsOpen && row.CaseTrackId == track.Id && row.NoticeKey.StartsWith(prefix, StringComparison.Ordinal)
            ? tracks.State(track.State)?.Timer(row.NoticeKey[prefix.Length..])
            : null;
    }

    /// <summary>The pending (or paused) timer rows of a track's state, cancelled when the track leaves it.</summary>
    public static IEnumerable<Guid> PendingTimers(CaseDetails details, CaseTrackRecord track) =>
        details.Reminders.Where(r => r.CaseTrackId == track.Id && r.Kind == CaseSteps.TimerKind && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id);

    /// <summary>"No answer after 20 business days": what an outcome timer did, in the words of the timeline.</summary>
    public static string TimerWords(PlanTracks tracks, PlanTrackState state, PlanTimer timer)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(timer);
        var target = tracks.TimerTarget(state, timer);
        var label = state.Outcome(timer.OutcomeKey ?? "")?.Label ?? (target is null ? timer.OutcomeKey : tracks.NameOf(target));
        return $"{label} after {timer.After.ToEnglishWords()}";
    }

    private static string Describe(PlanTracks tracks, PlanTrackState state, PlanTimer t, string partner, PlanStep step) => t.Action switch
    {
        TimerAction.Outcome => $"The track of {partner} in '{step.Name}': '{TimerWords(tracks, state, t)}' if it is still {state.Name.ToLowerInvariant()} then",
        TimerAction.Escalate => $"Escalation: the track of {partner} in '{step.Name}' is still {state.Name.ToLowerInvariant()} after {t.After.ToEnglishWords()}",
        _ => $"Reminder: the track of {partner} in '{step.Name}' is still {state.Name.ToLowerInvariant()} after {t.After.ToEnglishWords()}",
    };

    /// <summary>The outbox row that tells the track's performer (the brokers of the partner's region) that the case wants their answer.</summary>
    private static ReminderRecord Contacted(PlanTracks tracks, PlanStep step, CaseTrackRecord track, CaseParticipantRecord partner, CaseRecord c) => new()
    {
        Id = Guid.CreateVersion7(track.StartedAt),
        CaseId = track.CaseId,
        CaseStepId = track.CaseStepId,
        CaseTrackId = track.Id,
        StepKey = step.Key,
        NoticeKey = $"track:{track.Id}:contacted",
        Kind = TrackNotices.Contacted,
        RecipientRole = tracks.Role.ToName(),
        DueAt = Timestamps.Normalize(track.StartedAt),
        Status = ReminderStatus.Pending,
        Description = $"Case {c.Reference} ({c.Title}) wants the answer of {partner.CompanyName}, a partner of your region, in '{step.Name}'" +
            (track.DueAt is { } due ? string.Create(CultureInfo.InvariantCulture, $", by {due:yyyy-MM-dd}") : "") + ".",
        CreatedAt = track.StartedAt,
    };

    /// <summary>
    /// Chains <paramref name="events"/> onto the write's case after the events it has: the case's version moves by one per
    /// command (or stays, for a write that only appends), however many events the command records.
    /// </summary>
    public static CaseWrite Append(CaseWrite write, Actor actor, DateTimeOffset now, string stepKey, IEnumerable<(string Kind, string Data)> events)
    {
        var c = write.Case;
        var added = new List<CaseEventRecord>();
        foreach (var (kind, data) in events)
        {
            (c, var evt) = c.Record(now, actor, kind, stepKey, data);
            added.Add(evt);
        }

        return added.Count == 0 ? write : write with { Case = c with { Version = write.Case.Version, UpdatedAt = write.Case.UpdatedAt }, Events = [.. write.Events, .. added] };
    }

    private static IEnumerable<ReminderRecord> Reminders(PlanTracks tracks, PlanStep step, CaseTrackRecord track, CaseParticipantRecord partner)
    {
        var calendar = WorkingCalendars.ForRegion(partner.RegionCode);
        var notices = tracks.Reminders.Select((r, i) => (Key: $"track:{track.Id}:reminder-{i + 1}", Kind: "reminder", At: r.After.AddTo(track.StartedAt, calendar), To: r.To,
                Description: $"Reminder: the track of {partner.CompanyName} in '{step.Name}' is still open."))
            .Concat(tracks.Due is { } due
                ? [(Key: $"track:{track.Id}:due", Kind: "due", At: due.AddTo(track.StartedAt, calendar), To: tracks.Role, Description: $"The track of {partner.CompanyName} in '{step.Name}' is due.")]
                : []);
        return notices.Select(n => new ReminderRecord
        {
            Id = Guid.CreateVersion7(track.StartedAt),
            CaseId = track.CaseId,
            CaseStepId = track.CaseStepId,
            CaseTrackId = track.Id,
            StepKey = step.Key,
            NoticeKey = n.Key,
            Kind = n.Kind,
            RecipientRole = n.To.ToName(),
            DueAt = Timestamps.Normalize(n.At),
            Status = ReminderStatus.Pending,
            Description = n.Description,
            CreatedAt = track.StartedAt,
        });
    }

    private static IReadOnlyList<CaseParticipantRecord> Merge(IReadOnlyList<CaseParticipantRecord> earlier, IReadOnlyList<CaseParticipantRecord> later) =>
        [.. earlier.Where(e => later.All(l => l.Id != e.Id)), .. later];
}
