using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// Moves a partner along the pipeline (shortlisted, contacted, interested, declined, agreed). The case's broker or the
/// broker of the partner's region does it (<see cref="PartnerAccess.MayMove"/>). Contacting a partner notifies the
/// brokers of the partner's region, in the same transaction as the change.
/// </summary>
public sealed class SetPartnerStatus(CaseReader cases, CaseCommandContext context, PartnerNotices notices, TimeProvider time, TakeTrackOutcome? tracks = null)
{
    /// <summary>Set the partner <paramref name="ParticipantId"/> of the case, seen at <paramref name="Version"/>, to <paramref name="Status"/>.</summary>
    public sealed record Request(Guid CaseId, int Version, Guid ParticipantId, string? Status);

    /// <summary>The statuses a partner can be moved to.</summary>
    public static IReadOnlyList<string> Statuses { get; } =
        [PipelineStatus.Shortlisted, PipelineStatus.Contacted, PipelineStatus.Interested, PipelineStatus.Declined, PipelineStatus.Agreed];

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (details, notFound) = await PartnerCommand.OpenAsync(cases, request.CaseId, actor, cancellationToken);
        if (details is null)
        {
            return notFound!;
        }

        var c = details.Case;
        var partner = details.Participants.FirstOrDefault(p => p.Id == request.ParticipantId && p.Role == ParticipantRole.Partner);
        if (partner is null)
        {
            return CaseCommandResult.Missing(Localized.Text("The partner was not found."));
        }

        if (PartnerCommand.Refusal(c, actor, PartnerAccess.MayMove(actor, c, details.Participants, partner), PartnerAccess.MoveRefusal) is { } refused)
        {
            return refused;
        }

        var status = request.Status?.Trim() ?? "";
        if (!Statuses.Contains(status, StringComparer.Ordinal))
        {
            var problem = Localized.Format("The pipeline status must be one of: {0}.", string.Join(", ", Statuses));
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, problem) { FieldErrors = [new FieldError("status", problem)], Case = c };
        }

        if (Tracks.TrackStatusChange.Find(details, partner, status) is { } change)
        {
            // While the partner has an open track, its status follows the track: the change is the track's outcome.
            return change.Outcome is null || tracks is null
                ? new CaseCommandResult(CaseCommandStatus.Refused, change.Refusal ?? Localized.Text("The partner's status follows its track.")) { FieldErrors = [new FieldError("status", change.Refusal ?? "")], Case = c }
                : await tracks.HandleAsync(new TakeTrackOutcome.Request(c.Id, change.Track.Id, change.Track.Version, change.Outcome), actor, cancellationToken);
        }

        if (c.Version != request.Version)
        {
            return CaseCommandResult.Conflict(c);
        }

        var now = time.UtcNow();
        var data = new JsonObject { ["participantId"] = partner.Id.ToString(), ["companyId"] = partner.CompanyId.ToString(), ["from"] = partner.PipelineStatus, ["to"] = status };
        var (advanced, evt) = c.Record(now, actor, CaseEventKinds.PartnerStatusChanged, c.CurrentStep, data.ToJsonString());
        var notifications = status == PipelineStatus.Contacted
            ? await notices.ForAsync(c, partner, "contacted", NotificationKinds.PartnerContacted, actor, now, cancellationToken)
            : [];
        var message = $"{partner.CompanyName}: {Display.Words.PipelineStatus(status)}.";
        if (status == PipelineStatus.Contacted)
        {
            message += " " + await notices.NotifiedAsync(notifications.Count, partner.RegionCode, cancellationToken);
        }

        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = request.Version,
            Events = [evt],
            UpdatedParticipants = [partner with { PipelineStatus = status, UpdatedAt = now }],
            Notifications = notifications,
        }, message, cancellationToken);
    }
}
