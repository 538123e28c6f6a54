using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Partners.Tracks;

/// <summary>
/// A pipeline status asked for a partner that has an open track: the track's outcome that leads to it (its state's
/// outcome whose target shows as that status), or why there is none, in words.
/// </summary>
internal sealed record TrackStatusChange(CaseTrackRecord Track, string? Outcome, string? Refusal)
{
    /// <summary>Null when the partner has no open track (the pipeline is set as before).</summary>
    public static TrackStatusChange? Find(CaseDetails details, CaseParticipantRecord partner, string status)
    {
        var track = details.Tracks.LastOrDefault(t => t.ParticipantId == partner.Id && t.IsOpen);
        if (track is null || !details.Plan.TryGetStep(track.StepKey, out var step) || step.Tracks is not { } tracks || tracks.State(track.State) is not { } state)
        {
            return null;
        }

        var outcome = state.Outcomes.FirstOrDefault(o => o.Target == status)
            ?? state.Outcomes.FirstOrDefault(o => PartnerTracks.PipelineStatusOf(tracks, o.Target) == status);
        return outcome is not null
            ? new TrackStatusChange(track, outcome.Key, null)
            : new TrackStatusChange(track, null,
                Localized.Format("{0} is in its track of '{1}' ({2}); from there it can go: {3}.", partner.CompanyName, step.Name, state.Name, string.Join(", ", state.Outcomes.Select(o => o.Label))));
    }
}
