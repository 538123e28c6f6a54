using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Workflows;

namespace TIBS.Cases.Core.Work;

/// <summary>An open partner track that waits on the broker of the partner's region: whose track, in which case, where it stands.</summary>
public sealed record MyOpenTrack(
    Guid CaseId,
    string CaseReference,
    Guid TrackId,
    string PartnerCompany,
    string LeadCompany,
    string StateName,
    DateTimeOffset? DueAt,
    bool Overdue);

/// <summary>
/// The open partner tracks of every region the broker covers that the broker may move (<see cref="PartnerAccess.CanMove"/>), the
/// earliest due first: "My work" lists them with a link to their case.
/// </summary>
public sealed class MyOpenTracks(ICaseStore cases, WorkflowCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<MyOpenTrack>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var open = new List<Partners.Tracks.CaseTrackRecord>();
        foreach (var region in actor.Regions)
        {
            open.AddRange(await cases.GetOpenTracksOfRegionAsync(region, cancellationToken));
        }

        var now = time.UtcNow();
        var items = new List<MyOpenTrack>();
        foreach (var group in open.GroupBy(t => t.CaseId))
        {
            if (await cases.GetAsync(group.Key, cancellationToken) is not { } c)
            {
                continue;
            }

            var participants = await cases.GetParticipantsAsync(c.Id, cancellationToken);
            var plan = await catalog.GetDisplayPlanAsync(c.DefinitionVersionId, cancellationToken: cancellationToken);
            var lead = participants.FirstOrDefault(p => p.Role == ParticipantRole.Lead)?.CompanyName ?? "";
            foreach (var track in group)
            {
                if (participants.FirstOrDefault(p => p.Id == track.ParticipantId) is not { } partner
                    || !PartnerAccess.CanMove(actor, c, participants, partner)
                    || !plan.TryGetStep(track.StepKey, out var step) || step.Tracks is not { } tracks)
                {
                    continue;
                }

                items.Add(new MyOpenTrack(c.Id, c.Reference, track.Id, partner.CompanyName, lead, tracks.NameOf(track.State), track.DueAt,
                    track.DueAt is { } due && due < now && !c.IsOnHold));
            }
        }

        return [.. items.OrderBy(i => i.DueAt ?? DateTimeOffset.MaxValue).ThenBy(i => i.CaseReference, StringComparer.Ordinal)];
    }
}
