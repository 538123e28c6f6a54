using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Partners.Tracks;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// The partner tracks of a case as a viewer sees them: each track's partner, state and status in words, performer,
/// due date, version (its ETag) and the outcomes the viewer may take now; and the counts of the current step's join.
/// Not found unless the viewer may read the case.
/// </summary>
public sealed class GetCaseTracks(CaseReader cases, TIBS.Cases.Core.Workflows.WorkflowCatalog catalog)
{
    public sealed record Request(Guid CaseId);

    /// <summary>An outcome of the track's state the viewer may take (key and label).</summary>
    public sealed record TrackOutcomeView(string Key, string Label);

    public sealed record TrackView(
        Guid Id,
        Guid ParticipantId,
        string CompanyName,
        string StepKey,
        string State,
        string StateName,
        string Status,
        string StatusWords,
        int Version,
        string Performer,
        string RegionCode,
        DateTimeOffset StartedAt,
        DateTimeOffset? DueAt,
        DateTimeOffset? EndedAt,
        IReadOnlyList<TrackOutcomeView> Outcomes);

    /// <param name="Summary">The current step's tracks in words ("2 tracks: 1 agreed, 1 contacted"), or null when the step runs none.</param>
    public sealed record Result(CaseDetails? Details, IReadOnlyList<TrackView> Tracks, string? Summary)
    {
        public bool Found => Details is not null;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var details = await cases.GetDetailsAsync(request.CaseId, cancellationToken);
        if (details is null || !CaseAccess.CanRead(actor, details.Case, details.Participants))
        {
            return new Result(null, [], null);
        }

        // Names of steps, states and outcomes in the reader's language; keys and rules are the version's own.
        var plan = await catalog.GetDisplayPlanAsync(details.Case.DefinitionVersionId, cancellationToken: cancellationToken);
        var views = new List<TrackView>();
        foreach (var track in details.Tracks)
        {
            if (!plan.TryGetStep(track.StepKey, out var step) || step.Tracks is not { } tracks
                || details.Participants.FirstOrDefault(p => p.Id == track.ParticipantId) is not { } partner)
            {
                continue;
            }

            var mayAct = track.IsOpen && PartnerAccess.CanMove(actor, details.Case, details.Participants, partner);
            views.Add(new TrackView(
                track.Id, partner.Id, partner.CompanyName, track.StepKey, track.State, tracks.NameOf(track.State), track.Status,
                track.Status switch { TrackStatus.Open => Localized.Text("Open"), TrackStatus.Ended => Localized.Text("Ended"), _ => Localized.Text("Cancelled") },
                track.Version, Display.Words.Humanize(Display.Words.Role(tracks.Role)), track.RegionCode, track.StartedAt, track.DueAt, track.EndedAt,
                mayAct && tracks.State(track.State) is { } state ? [.. state.Outcomes.Select(o => new TrackOutcomeView(o.Key, o.Label))] : []));
        }

        string? summary = null;
        if (details.CurrentStep is { Tracks: { } current } running)
        {
            var record = details.Steps.LastOrDefault(s => s.StepKey == running.Key && s.CompletedAt is null);
            summary = current.Summary([.. details.Tracks.Where(t => t.CaseStepId == record?.Id && t.Status != TrackStatus.Cancelled).Select(t => t.State)]);
        }

        return new Result(details, views, summary);
    }
}
