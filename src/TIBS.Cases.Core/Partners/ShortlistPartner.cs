using System.Text.Json.Nodes;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// Adds a partner to a case: the candidate goes on the case's pipeline as shortlisted. Only the broker of the case
/// shortlists (<see cref="PartnerAccess"/>); partners come from other countries than the lead company's; the match
/// score stored with the partner is computed here, as the partner search shows it (the case's profile with the lead
/// company's record), never taken from the caller. The participant, the audit event and the notifications to the
/// brokers of the partner's region are written in one transaction (<see cref="CaseWrite.Notifications"/>).
/// </summary>
public sealed class ShortlistPartner(CaseReader cases, CaseCommandContext context, ICompanyStore companies, IReferenceDataStore reference, PartnerNotices notices, TimeProvider time)
{
    /// <summary>Put <paramref name="CompanyId"/> on the shortlist of the case, as seen at <paramref name="Version"/> of the case.</summary>
    public sealed record Request(Guid CaseId, int Version, Guid CompanyId);

    public async Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (details, notFound) = await PartnerCommand.OpenAsync(cases, request.CaseId, actor, cancellationToken);
        if (details is null)
        {
            return notFound!;
        }

        var c = details.Case;
        if (PartnerCommand.Refusal(c, actor, PartnerAccess.MayShortlist(actor, c, details.Participants), PartnerAccess.ShortlistRefusal) is { } refused)
        {
            return refused;
        }

        if (c.Version != request.Version)
        {
            return CaseCommandResult.Conflict(c);
        }

        var lead = await companies.GetAsync(c.LeadCompanyId, cancellationToken);
        var company = await companies.GetAsync(request.CompanyId, cancellationToken);
        if (lead is null || company is null)
        {
            return CaseCommandResult.Missing(lead is null ? Localized.Text("The lead company was not found.") : Localized.Text("The company was not found."));
        }

        if (details.Participants.Any(p => p.CompanyId == company.Id))
        {
            return CompanyRefused(c, Localized.Format("{0} is already on the case.", company.Name));
        }

        if (string.Equals(company.CountryCode, lead.CountryCode, StringComparison.OrdinalIgnoreCase))
        {
            return CompanyRefused(c, Localized.Format("{0} is in the lead company's country; partners come from other countries.", company.Name));
        }

        var words = MatchReference.From(await reference.S3AreasAsync(cancellationToken), await reference.RegionsAsync(cancellationToken));
        var score = MatchScorer.Score(MatchProfile.Of(lead, c), company, words).Score;
        var now = time.UtcNow();
        var participant = new CaseParticipantRecord
        {
            Id = Guid.CreateVersion7(now),
            CaseId = c.Id,
            CompanyId = company.Id,
            RegionCode = company.RegionCode,
            Role = ParticipantRole.Partner,
            PipelineStatus = PipelineStatus.Shortlisted,
            MatchScore = score,
            AddedBy = actor.AuditId,
            AddedAt = now,
            UpdatedAt = now,
            CountryCode = company.CountryCode,
            CompanyName = company.Name,
        };
        var data = new JsonObject { ["companyId"] = company.Id.ToString(), ["company"] = company.Name, ["region"] = company.RegionCode, ["status"] = PipelineStatus.Shortlisted };
        var (advanced, evt) = c.Record(now, actor, CaseEventKinds.PartnerShortlisted, c.CurrentStep, data.ToJsonString());
        var notifications = await notices.ForAsync(c, participant, "shortlisted", NotificationKinds.PartnerShortlisted, actor, now, cancellationToken);
        var write = new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = request.Version,
            Events = [evt],
            NewParticipants = [participant],
            Notifications = notifications,
        };
        var message = Localized.Format("{0} shortlisted. {1}", company.Name, await notices.NotifiedAsync(notifications.Count, company.RegionCode, cancellationToken));
        if (details.CurrentStep is { Tracks: not null } running && !c.IsOnHold)
        {
            // The step runs a track per partner: the partner shortlisted now gets its track in the same transaction. Its
            // brokers are told by the notifications above, so the track adds no second notice.
            var record = CaseSteps.CurrentStepRecord(details);
            write = Tracks.PartnerTracks.Start(write, running, record.Id, [participant], actor, now, notify: false);
            write = write with { NewParticipants = [.. write.UpdatedParticipants], UpdatedParticipants = [] };
            message += " " + Localized.Format("Its track in '{0}' has started.", running.Name);
        }

        return await context.CommitAsync(write, message, cancellationToken);
    }

    /// <summary>The company asked for cannot be a partner of this case: refused, with the field named (<c>companyId</c>).</summary>
    private static CaseCommandResult CompanyRefused(CaseRecord c, string message) =>
        new(CaseCommandStatus.Refused, message) { Case = c, FieldErrors = [new FieldError("companyId", message)] };
}
