using System.Text.Json.Nodes;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// The partner commands of a case (shortlist, pipeline status, messages) until they become handlers of their own.
/// They open and commit through <see cref="CaseCommandContext"/> like every command on a case.
/// </summary>
public sealed class CaseService(CaseCommandContext context, CaseReader reader, ICompanyStore companies)
{
    /// <summary>The case with everything recorded on it (no access check: see <see cref="GetCase"/>).</summary>
    public Task<CaseDetails?> GetDetailsAsync(Guid caseId, CancellationToken cancellationToken = default) => reader.GetDetailsAsync(caseId, cancellationToken);

    /// <summary>Adds a partner company to the case's pipeline as shortlisted.</summary>
    public async Task<CaseCommandResult> AddPartnerAsync(Guid caseId, int expectedVersion, Guid companyId, decimal? score, Actor actor, CancellationToken cancellationToken = default)
    {
        var opening = await context.OpenAsync(caseId, expectedVersion, actor, cancellationToken);
        if (!opening.IsOpen)
        {
            return opening.Refusal;
        }

        var details = opening.Details;
        var c = details.Case;
        if (!CaseRoles.Of(actor, c, details.Participants).Contains(WorkflowRole.Broker))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "Only the broker of the case shortlists partners.") { Case = c };
        }

        var company = await companies.GetAsync(companyId, cancellationToken);
        if (company is null)
        {
            return CaseCommandResult.NotFound("The company");
        }

        if (details.Participants.Any(p => p.CompanyId == companyId))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{company.Name} is already on the case.") { Case = c };
        }

        var now = context.Now();
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
        var (advanced, evt) = c.Record(now, actor, "partner-shortlisted", c.CurrentStep, data.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = expectedVersion,
            Events = [evt],
            NewParticipants = [participant],
        }, $"{company.Name} shortlisted.", cancellationToken);
    }

    /// <summary>Moves a partner along the pipeline (contacted, interested, declined, agreed).</summary>
    public async Task<CaseCommandResult> SetPartnerStatusAsync(Guid caseId, int expectedVersion, Guid participantId, string status, Actor actor, CancellationToken cancellationToken = default)
    {
        var opening = await context.OpenAsync(caseId, expectedVersion, actor, cancellationToken);
        if (!opening.IsOpen)
        {
            return opening.Refusal;
        }

        var details = opening.Details;
        var c = details.Case;

        var participant = details.Participants.FirstOrDefault(p => p.Id == participantId && p.Role == ParticipantRole.Partner);
        if (participant is null)
        {
            return CaseCommandResult.NotFound("The partner");
        }

        if (status is not (PipelineStatus.Shortlisted or PipelineStatus.Contacted or PipelineStatus.Interested or PipelineStatus.Declined or PipelineStatus.Agreed))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"'{status}' is not a pipeline status.") { Case = c };
        }

        var roles = CaseRoles.Of(actor, c, details.Participants);
        var partnersBroker = actor.RegionCode == participant.RegionCode && roles.Contains(WorkflowRole.PartnerBroker);
        if (!roles.Contains(WorkflowRole.Broker) && !partnersBroker)
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "The case's broker or the partner's regional broker updates the pipeline.") { Case = c };
        }

        var now = context.Now();
        var data = new JsonObject { ["participantId"] = participant.Id.ToString(), ["companyId"] = participant.CompanyId.ToString(), ["from"] = participant.PipelineStatus, ["to"] = status };
        var (advanced, evt) = c.Record(now, actor, "partner-status-changed", c.CurrentStep, data.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = expectedVersion,
            Events = [evt],
            UpdatedParticipants = [participant with { PipelineStatus = status, UpdatedAt = now }],
        }, $"Partner status: {status}.", cancellationToken);
    }

    /// <summary>Posts a message between the brokers of the case, optionally about one partner; like a note, it never conflicts.</summary>
    public async Task<CaseCommandResult> AddMessageAsync(Guid caseId, Guid? participantId, string body, Actor actor, CancellationToken cancellationToken = default)
    {
        var opening = await context.OpenAsync(caseId, null, actor, cancellationToken);
        if (!opening.IsOpen)
        {
            return opening.Refusal;
        }

        var c = opening.Details.Case;

        if (string.IsNullOrWhiteSpace(body) || TextRules.Problem("The message", body, TextRules.MaxMessageLength) is not null)
        {
            var message = string.IsNullOrWhiteSpace(body) ? "Write the message first." : TextRules.Problem("The message", body, TextRules.MaxMessageLength)!;
            return new CaseCommandResult(CaseCommandStatus.InvalidForm, message) { FieldErrors = [new FieldError("body", message)], Case = c };
        }

        if (participantId is { } pid && !opening.Details.Participants.Any(p => p.Id == pid))
        {
            return CaseCommandResult.NotFound("The partner");
        }

        var now = context.Now();
        var record = new CaseMessageRecord { Id = Guid.CreateVersion7(now), CaseId = c.Id, ParticipantId = participantId, AuthorUserId = actor.UserId, Body = body.Trim(), CreatedAt = now };
        var (advanced, evt) = c.RecordAppendOnly(now, actor, "message-posted", c.CurrentStep,
            new JsonObject { ["messageId"] = record.Id.ToString(), ["participantId"] = participantId?.ToString(), ["body"] = record.Body }.ToJsonString());
        return await context.CommitAsync(new CaseWrite
        {
            Case = advanced,
            ExpectedVersion = c.Version,
            AppendOnly = true,
            Events = [evt],
            NewMessages = [record],
        }, "Message sent.", cancellationToken);
    }

}
