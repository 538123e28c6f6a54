using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
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
    /// <paramref name="step"/>: the track rows, their reminders, the partners' new pipeline status and an audit event each.
    /// </summary>
    public static CaseWrite Start(CaseWrite write, PlanStep step, Guid stepRecordId, IEnumerable<CaseParticipantRecord> partners, Actor actor, DateTimeOffset now)
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
                DueAt = tracks.Due is { } due ? Timestamps.Normalize(due.AddTo(now)) : null,
                UpdatedAt = now,
            };
            started.Add(track);
            reminders.AddRange(Reminders(tracks, step, track, partner));
            participants.Add(partner with { PipelineStatus = PipelineStatusOf(tracks, track.State), UpdatedAt = now });
            events.Add((CaseEventKinds.TrackStarted, Data(track, partner, null, track.State, null,
                $"{partner.CompanyName}: track started in '{tracks.NameOf(track.State)}', with the {Display.Words.Role(tracks.Role)} of {partner.RegionCode}" +
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

    /// <summary>The event data of a track change: the track, the partner, from and to, the outcome and the sentence people read.</summary>
    public static string Data(CaseTrackRecord track, CaseParticipantRecord? partner, string? from, string to, string? outcome, string summary) => new JsonObject
    {
        ["trackId"] = track.Id.ToString(),
        ["participantId"] = track.ParticipantId.ToString(),
        ["companyId"] = partner?.CompanyId.ToString(),
        ["from"] = from,
        ["to"] = to,
        ["outcome"] = outcome,
        ["summary"] = summary,
    }.ToJsonString();

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
        var notices = tracks.Reminders.Select((r, i) => (Key: $"track:{track.Id}:reminder-{i + 1}", Kind: "reminder", At: r.After.AddTo(track.StartedAt), To: r.To,
                Description: $"Reminder: the track of {partner.CompanyName} in '{step.Name}' is still open."))
            .Concat(tracks.Due is { } due
                ? [(Key: $"track:{track.Id}:due", Kind: "due", At: due.AddTo(track.StartedAt), To: tracks.Role, Description: $"The track of {partner.CompanyName} in '{step.Name}' is due.")]
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
