using Microsoft.AspNetCore.Mvc;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Web.Infrastructure;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// The partner tracks of the current step on the case page: each partner's state, performer and due date, and the
/// outcomes the viewer may take as plain forms. What is shown comes from <see cref="GetCaseTracks"/> and every outcome
/// goes through <see cref="TakeTrackOutcome"/> with the track's version, which decide who may do what; this only
/// translates. Handlers come from the request's services so that the page's constructor stays as it is.
/// </summary>
internal sealed partial class CaseModel
{
    /// <summary>The tracks of the step the case is in now (none when the step runs no tracks).</summary>
    public IReadOnlyList<GetCaseTracks.TrackView> Tracks { get; private set; } = [];

    /// <summary>The current step's tracks in words ("2 tracks: 1 agreed, 1 contacted").</summary>
    public string? TracksSummary { get; private set; }

    /// <summary>The partner of a track, for its country.</summary>
    public CaseParticipantRecord? PartnerOf(GetCaseTracks.TrackView track) =>
        Details.Participants.FirstOrDefault(p => p.Id == track?.ParticipantId);

    /// <summary>
    /// The name of a track's state in the reader's language: the page's plan is the one translated for display, while
    /// <see cref="GetCaseTracks"/> names states from the version as written.
    /// </summary>
    public string TrackStateName(GetCaseTracks.TrackView track) =>
        Details.Plan.TryGetStep(track.StepKey, out var step) && step.Tracks is { } tracks ? tracks.NameOf(track.State) : track.StateName;

    /// <summary>The label of a track's outcome in the reader's language (see <see cref="TrackStateName"/>).</summary>
    public string TrackOutcomeLabel(GetCaseTracks.TrackView track, GetCaseTracks.TrackOutcomeView outcome) =>
        Details.Plan.TryGetStep(track.StepKey, out var step) && step.Tracks?.State(track.State)?.Outcome(outcome.Key) is { } translated
            ? translated.Label
            : outcome.Label;

    public async Task<IActionResult> OnPostTrackAsync(Guid id, Guid trackId, int trackVersion, string? outcome, CancellationToken cancellationToken)
    {
        var handler = HttpContext.RequestServices.GetRequiredService<TakeTrackOutcome>();
        var result = await handler.HandleAsync(new TakeTrackOutcome.Request(id, trackId, trackVersion, outcome), User.ToActor(), cancellationToken);
        PostedForm = "track:" + trackId;

        // A conflict or a refusal shows the case as it is now with the reason in words (409 or 422).
        return await AfterAsync(id, result, cancellationToken);
    }

    private async Task LoadTracksAsync(CancellationToken cancellationToken)
    {
        if (Details.CurrentStep is not { Tracks: not null } step)
        {
            Tracks = [];
            TracksSummary = null;
            return;
        }

        var view = await HttpContext.RequestServices.GetRequiredService<GetCaseTracks>().HandleAsync(new GetCaseTracks.Request(Details.Case.Id), Me, cancellationToken);
        var record = Details.Steps.LastOrDefault(s => s.StepKey == step.Key && s.CompletedAt is null);
        var current = Details.Tracks.Where(t => t.CaseStepId == record?.Id).Select(t => t.Id).ToHashSet();
        Tracks = [.. view.Tracks.Where(t => current.Contains(t.Id)).OrderBy(t => t.CompanyName, StringComparer.CurrentCulture)];
        TracksSummary = view.Summary;
    }
}
