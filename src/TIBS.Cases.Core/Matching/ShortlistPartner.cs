using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Matching;

/// <summary>Put a candidate on the case's shortlist, seen at <paramref name="Version"/> of the case.</summary>
public sealed record ShortlistPartnerRequest(Guid CaseId, int Version, Guid CompanyId, Actor Actor);

/// <summary>
/// Shortlists a partner: partners come from other countries than the lead company's, and the match score stored with
/// the partner is the one the partner search shows (the case's profile with the lead company's record). Who may
/// shortlist, the case's version and duplicates are checked by <see cref="CaseService.AddPartnerAsync"/>.
/// </summary>
public sealed class ShortlistPartner(CaseService cases, ICompanyStore companies, IReferenceDataStore reference)
{
    public async Task<CaseCommandResult> HandleAsync(ShortlistPartnerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var details = await cases.GetDetailsAsync(request.CaseId, cancellationToken);
        if (details is null || !CaseAccess.CanRead(request.Actor, details.Case, details.Participants))
        {
            return CaseCommandResult.NotFound("The case");
        }

        if (!CaseRoles.Of(request.Actor, details.Case, details.Participants).Contains(WorkflowRole.Broker))
        {
            return new CaseCommandResult(CaseCommandStatus.Forbidden, "Only the broker of the case shortlists partners.") { Case = details.Case };
        }

        var lead = await companies.GetAsync(details.Case.LeadCompanyId, cancellationToken);
        var candidate = await companies.GetAsync(request.CompanyId, cancellationToken);
        if (lead is null || candidate is null)
        {
            return CaseCommandResult.NotFound(lead is null ? "The lead company" : "The company");
        }

        if (string.Equals(candidate.CountryCode, lead.CountryCode, StringComparison.OrdinalIgnoreCase))
        {
            return new CaseCommandResult(CaseCommandStatus.Refused, $"{candidate.Name} is in the lead company's country; partners come from other countries.") { Case = details.Case };
        }

        var words = MatchReference.From(await reference.S3AreasAsync(cancellationToken), await reference.RegionsAsync(cancellationToken));
        var score = MatchScorer.Score(MatchProfile.Of(lead, details.Case), candidate, words).Score;
        return await cases.AddPartnerAsync(request.CaseId, request.Version, request.CompanyId, score, request.Actor, cancellationToken);
    }
}
