using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Workflows.Forms;

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
    public const string TrackConflict =
        "Someone else has moved this partner's track since you opened it. Nothing was saved; review the track and choose again.";

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
            return CaseCommandResult.NotFound("The partner track");
        }

        if (PartnerCommand.Refusal(c, actor, PartnerAccess.MayMove(actor, c, details.Participants, partner), TrackRefusal) is { } refused)
        {
            return refused;
        }

        if (track.Version != request.Version)
        {
            return new CaseCommandResult(CaseCommandStatus.Conflict, TrackConflict) { Case = c };
        }

        if (!track.IsOpen)
        {
            return new CaseCommandResult(CaseCommandStatus.Refused,
                $"The track of {partner.CompanyName} has {(track.Status == TrackStatus.Ended ? $"ended ({tracks.NameOf(track.State)})" : "been cancelled")}; it takes no more outcomes.")
            { Case = c };
        }

        var state = tracks.State(track.State)!;
        if (state.Outcome(request.OutcomeKey ?? "") is not { } outcome)
        {
            var given = request.OutcomeKey is { Length: > 0 } key
                ? $"'{new string([.. key.Take(60).Select(ch => char.IsControl(ch) ? '?' : ch)])}{(key.Length > 60 ? "…" : "")}' is not an outcome the track can take now. "
                : "No outcome was given. ";
            var problem = given + $"From '{state.Name}' the track of {partner.CompanyName} can go: {string.Join(", ", state.Outcomes.Select(o => o.Label))}.";
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem) { FieldErrors = [new FieldError("outcome", problem)], Case = c };
        }

        var now = context.Now();
        var ended = tracks.IsEnd(outcome.Target);
        var moved = track with
        {
            State = outcome.Target,
            Status = ended ? TrackStatus.Ended : TrackStatus.Open,
            Version = track.Version + 1,
            EndedAt = ended ? now : null,
            UpdatedAt = now,
        };
        var summary = $"{partner.CompanyName}: {state.Name} → {tracks.NameOf(outcome.Target)} ('{outcome.Label}').";
        var write = PartnerTracks.Append(new CaseWrite
        {
            Case = c,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            UpdatedTracks = [moved],
            UpdatedParticipants = [partner with { PipelineStatus = PartnerTracks.PipelineStatusOf(tracks, moved.State), UpdatedAt = now }],
            CancelReminders = ended ? [.. details.Reminders.Where(r => r.CaseTrackId == track.Id).Select(r => r.Id)] : [],
        }, actor, now, step.Key, [(CaseEventKinds.TrackMoved, PartnerTracks.Data(moved, partner, track.State, moved.State, outcome.Key, summary))]);
        var result = await context.CommitAsync(write, summary, cancellationToken);
        if (result.Status == CaseCommandStatus.Conflict)
        {
            // Moved by someone else, or cancelled because the step went on meanwhile (its join fired): say which.
            var current = await cases.GetDetailsAsync(c.Id, cancellationToken);
            return current?.Tracks.FirstOrDefault(t => t.Id == track.Id) is { Status: TrackStatus.Cancelled }
                ? new CaseCommandResult(CaseCommandStatus.Refused, $"The track of {partner.CompanyName} was cancelled meanwhile: the step went on. Nothing was saved.") { Case = current.Case }
                : result with { Message = TrackConflict };
        }

        if (result.Status == CaseCommandStatus.Done && await join.SettleAsync(c.Id, cancellationToken) is { } joined)
        {
            return new CaseCommandResult(CaseCommandStatus.Done, $"{summary} {joined}") { Case = await cases.GetDetailsAsync(c.Id, cancellationToken) is { } after ? after.Case : result.Case };
        }

        return result;
    }

    public const string TrackRefusal = "The broker of the partner's region or the case's broker works on a partner's track.";
}
