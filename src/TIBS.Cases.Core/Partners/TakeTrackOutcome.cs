using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// Takes an outcome of a partner's track (e.g. Interested, Declined, Agreed): the track moves to the outcome's state or
/// end, the partner's pipeline status follows it, and an audit event is appended — in one transaction guarded by the
/// track's own version, appending to the case's chain without touching the case's version, so two partner brokers on two
/// tracks never conflict. The broker of the partner's region or the case's broker acts (<see cref="PartnerAccess.MayMove"/>).
/// Then the step's join is settled (<see cref="TrackJoin"/>): if a join rule holds, the step takes its outcome, once.
/// </summary>
public sealed class TakeTrackOutcome(CaseReader cases, CaseCommandContext context, TrackJoin join)
{
    /// <summary>The answer when someone else moved the track first.</summary>
    public static string TrackConflict =>
        Localized.Text("Someone else has moved this partner's track since you opened it. Nothing was saved; review the track and choose again.");

    /// <summary>Take <paramref name="OutcomeKey"/> on the track <paramref name="TrackId"/>, as seen at its <paramref name="Version"/>.</summary>
    public sealed record Request(Guid CaseId, Guid TrackId, int Version, string? OutcomeKey);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (details, notFound) = await PartnerCommand.OpenAsync(cases, request.CaseId, actor, cancellationToken);
        if (details is null)
        {
            return notFound!;
        }

        var c = details.Case;
        var track = details.Tracks.FirstOrDefault(t => t.Id == request.TrackId);
        var partner = track is null ? null : details.Participants.FirstOrDefault(p => p.Id == track.ParticipantId);
        if (track is null || partner is null || !details.Plan.TryGetStep(track.StepKey, out var step) || step.Tracks is not { } tracks)
        {
            return CaseCommandResult.Missing(Localized.Text("The partner track was not found."));
        }

        if (PartnerCommand.Refusal(c, actor, PartnerAccess.MayMove(actor, c, details.Participants, partner), TrackRefusal) is { } refused)
        {
            return refused;
        }

        if (track.Version != request.Version)
        {
            return Stale(c, track, partner);
        }

        if (!track.IsOpen)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused,
                track.Status == TrackStatus.Ended
                    ? Localized.Format("The track of {0} has ended ({1}); it takes no more outcomes.", partner.CompanyName, tracks.NameOf(track.State))
                    : Localized.Format("The track of {0} has been cancelled; it takes no more outcomes.", partner.CompanyName))
            { Case = c };
        }

        var state = tracks.State(track.State)!;
        if (state.Outcome(request.OutcomeKey ?? "") is not { } outcome)
        {
            var choices = string.Join(", ", state.Outcomes.Select(o => o.Label));
            var problem = request.OutcomeKey is { Length: > 0 } key
                ? Localized.Format("'{0}' is not an outcome the track can take now. From '{1}' the track of {2} can go: {3}.",
                    new string([.. key.Take(60).Select(ch => char.IsControl(ch) ? '?' : ch)]) + (key.Length > 60 ? "…" : ""), state.Name, partner.CompanyName, choices)
                : Localized.Format("No outcome was given. From '{0}' the track of {1} can go: {2}.", state.Name, partner.CompanyName, choices);
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem) { FieldErrors = [new FieldError("outcome", problem)], Case = c };
        }

        return await MoveAsync(new Move(details, step, track, partner, outcome.Key, outcome.Label, outcome.Target, null), actor, cancellationToken);
    }

    /// <summary>A track to move: from its state by the outcome <see cref="OutcomeKey"/> to <see cref="Target"/>; by its timer when <see cref="Timer"/> is set.</summary>
    internal sealed record Move(CaseDetails Details, PlanStep Step, CaseTrackRecord Track, CaseParticipantRecord Partner, string OutcomeKey, string Label, string Target, TimerFiring? Timer);

    /// <summary>The timer that moves a track: the typed timer and its outbox row (marked sent in the move's transaction).</summary>
    internal sealed record TimerFiring(PlanTimer Timer, Guid RowId);

    /// <summary>
    /// The timer of a track's state takes its outcome as the system ("TIBS (timer)"), through the same door as a person:
    /// guarded by the track's version, the row marked sent in the same transaction, then the join settled.
    /// </summary>
    internal Task<CaseCommandResult> TakeByTimerAsync(CaseDetails details, PlanStep step, CaseTrackRecord track, CaseParticipantRecord partner, PlanTimer timer, Guid rowId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(timer);
        var tracks = step.Tracks!;
        var state = tracks.State(track.State)!;
        var target = tracks.TimerTarget(state, timer)!;
        var label = state.Outcome(timer.OutcomeKey ?? "")?.Label ?? tracks.NameOf(target);
        return MoveAsync(new Move(details, step, track, partner, timer.OutcomeKey ?? target, label, target, new TimerFiring(timer, rowId)), Actor.System, cancellationToken);
    }

    /// <summary>
    /// The one door for moving a track: the track's new state and version, the partner's pipeline status, the timers of the
    /// state left cancelled and those of the state entered written (or, at an end, every reminder of the track cancelled),
    /// an audit event; one transaction appending to the case's chain, guarded by the track's version. Then the join.
    /// </summary>
    private async Task<CaseCommandResult> MoveAsync(Move m, Actor actor, CancellationToken cancellationToken)
    {
        var (details, step, track, partner) = (m.Details, m.Step, m.Track, m.Partner);
        var c = details.Case;
        var tracks = step.Tracks!;
        var state = tracks.State(track.State)!;
        var now = context.Now();
        var ended = tracks.IsEnd(m.Target);
        var moved = track with
        {
            State = m.Target,
            Status = ended ? TrackStatus.Ended : TrackStatus.Open,
            Version = track.Version + 1,
            EndedAt = ended ? now : null,
            UpdatedAt = now,
        };
        var summary = m.Timer is { } firing
            ? $"{partner.CompanyName}: {PartnerTracks.TimerWords(tracks, state, firing.Timer)} — {state.Name} → {tracks.NameOf(m.Target)}."
            : $"{partner.CompanyName}: {state.Name} → {tracks.NameOf(m.Target)} ('{m.Label}').";
        var cancel = ended
            ? details.Reminders.Where(r => r.CaseTrackId == track.Id && r.Status is ReminderStatus.Pending or ReminderStatus.Paused).Select(r => r.Id)
            : PartnerTracks.PendingTimers(details, track);
        var write = PartnerTracks.Append(new CaseWrite
        {
            Case = c,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            UpdatedTracks = [moved],
            UpdatedParticipants = [partner with { PipelineStatus = PartnerTracks.PipelineStatusOf(tracks, moved.State), UpdatedAt = now }],
            CancelReminders = [.. cancel.Where(id => id != m.Timer?.RowId)],
            NewReminders = [.. PartnerTracks.StateTimers(tracks, step, moved, partner)],
            FiredTimers = m.Timer is { } fired ? [(fired.RowId, now)] : [],
        }, actor, now, step.Key, [(CaseEventKinds.TrackMoved, PartnerTracks.Data(moved, partner, track.State, moved.State, m.OutcomeKey, summary, m.Timer?.Timer))]);
        var result = await context.CommitAsync(write, summary, cancellationToken);
        if (result.Status == CaseCommandStatus.Conflict)
        {
            // Moved by someone else, or cancelled because the step went on meanwhile (its join fired): say which.
            var current = await cases.GetCommandDetailsWithTracksAsync(c.Id, cancellationToken);
            return Stale(current?.Case ?? result.Case, current?.Tracks.FirstOrDefault(t => t.Id == track.Id), partner);
        }

        if (result.Status == CaseCommandStatus.Done && await join.SettleAsync(c.Id, cancellationToken) is { } joined)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, $"{summary} {joined}") { Case = await cases.GetCommandDetailsWithTracksAsync(c.Id, cancellationToken) is { } after ? after.Case : result.Case };
        }

        return result;
    }

    /// <summary>
    /// The answer when the track is no longer at the version the person (or the command's read) saw. A track cancelled
    /// because its step went on (the join fired on another partner's answer, or the step was left) was not moved by
    /// anyone on this track: that is a refusal in words, whenever the cancelling happened — before the person's command
    /// read the track or between that read and its write. Any other change of the track is the normal conflict.
    /// </summary>
    private static CaseCommandResult Stale(CaseRecord? c, CaseTrackRecord? current, CaseParticipantRecord partner) =>
        current is { Status: TrackStatus.Cancelled }
            ? new CaseCommandResult(CaseCommandStatus.Refused, Localized.Format("The track of {0} was cancelled meanwhile: the step went on. Nothing was saved.", partner.CompanyName)) { Case = c }
            : new CaseCommandResult(CaseCommandStatus.Conflict, TrackConflict) { Case = c };

    /// <summary>The refusal for a person who may not move a partner's track.</summary>
    public static string TrackRefusal => Localized.Text("The broker of the partner's region or the case's broker works on a partner's track.");
}
