using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Web.Api;

/// <summary>A partner on the case's pipeline, whether the caller may move it along, and the messages about it.</summary>
internal sealed record PartnerResponse(CaseParticipantRecord Partner, bool CanMove, IReadOnlyList<CaseMessageRecord> Messages);

/// <summary>The partners of a case with their pipeline status; <see cref="Version"/> is the case's version (its ETag).</summary>
internal sealed record CasePartnersResponse(
    Guid CaseId, int Version, bool CanShortlist, bool CanMessage, IReadOnlyList<PartnerResponse> Partners, IReadOnlyList<CaseMessageRecord> GeneralMessages);

/// <summary>A candidate partner: the company's profile and its score (0..100), explained by the breakdown that adds up to it.</summary>
internal sealed record CandidateResponse(
    Guid CompanyId, string Name, string CountryCode, string RegionCode, string? SizeClass, IReadOnlyList<string> NaceCodes, IReadOnlyList<string> S3Areas,
    string? Offers, string? Needs, int Score, IReadOnlyList<MatchComponent> Breakdown);

/// <summary>Candidates best first; <see cref="Found"/> counts all that passed the filters (more than are listed above the limit).</summary>
internal sealed record CandidatesResponse(Guid CaseId, int Found, IReadOnlyList<CandidateResponse> Items);

/// <summary>The company to shortlist. The score is computed by the server, as the candidate search shows it.</summary>
internal sealed record ShortlistBody(Guid CompanyId);

/// <summary>The pipeline status to set: shortlisted, contacted, interested, declined or agreed.</summary>
internal sealed record PartnerStatusBody(string? Status);

/// <summary>A message between the brokers of the case.</summary>
internal sealed record MessageBody(string? Body);

/// <summary>What a partner command did, in words, and the case's version after it (its new ETag).</summary>
internal sealed record PartnerCommandResponse(Guid CaseId, int Version, string Message);

internal static class PartnerEndpoints
{
    public static RouteGroupBuilder MapPartners(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cases/{id:guid}").WithTags("Partners");
        group.MapGet("/partners", List).WithName("ListCasePartners").WithSummary("The partners of a case with their pipeline status and messages; ETag = the case's version")
            .Problems(StatusCodes.Status404NotFound);
        group.MapGet("/partners/candidates", Candidates).WithName("FindPartnerCandidates").WithSummary("Candidate partners from other countries, best first, each with its explained score")
            .WithDescription("Filters as on the partner search page, all optional: country, s3 (S3 area), nace (NACE section), regionKind (supported or advanced), minScore (0..100), q (text); limit caps the list.")
            .Problems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/partners", Shortlist).WithName("ShortlistPartner").WithSummary("Shortlist a company as a partner of the case (If-Match required)")
            .WithDescription("Only the broker of the case shortlists; partners come from other countries than the lead company's. The match score is computed by the server.")
            .Writes().Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired);
        group.MapPut("/partners/{participantId:guid}/status", SetStatus).WithName("SetPartnerStatus").WithSummary("Move a partner along the pipeline (If-Match required)")
            .WithDescription("The case's broker or the broker of the partner's region does it; contacting a partner notifies the brokers of its region.")
            .Writes().Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired);
        group.MapPost("/messages", MessageCase).WithName("PostCaseMessage").WithSummary("Post a message about the case in general to its brokers (no If-Match: messages never conflict)")
            .Writes().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/partners/{participantId:guid}/messages", MessagePartner).WithName("PostPartnerMessage").WithSummary("Post a message about one partner (no If-Match: messages never conflict)")
            .Writes().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<Results<Ok<CasePartnersResponse>, ProblemHttpResult>> List(HttpContext context, Guid id, GetPartnerWorkspace handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetPartnerWorkspace.Request(new FindPartners.Request(id) { MaxShown = 1 }), context.Actor(), cancellationToken);
        if (!result.Found)
        {
            return ApiProblems.NotFound("The case");
        }

        var c = result.Details.Case;
        context.Response.Headers.ETag = ApiConcurrency.ETag(c.Version);
        return TypedResults.Ok(new CasePartnersResponse(c.Id, c.Version, result.CanShortlist, result.CanMessage,
            [.. result.Partners.Select(p => new PartnerResponse(p.Participant, p.CanMove, p.Messages))], result.GeneralMessages));
    }

    private static async Task<Results<Ok<CandidatesResponse>, ProblemHttpResult>> Candidates(
        HttpContext context, Guid id, FindPartners handler, string? country, string? s3, string? nace, string? regionKind, int? minScore, string? q, int? limit,
        CancellationToken cancellationToken)
    {
        var request = new FindPartners.Request(id)
        {
            Country = country,
            S3Area = s3,
            NaceSection = nace,
            RegionKind = regionKind,
            MinScore = minScore,
            Text = q,
            MaxShown = Math.Clamp(limit ?? FindPartners.DefaultShown, 1, FindPartners.DefaultShown),
        };
        var result = await handler.HandleAsync(request, context.Actor(), cancellationToken);
        if (!result.Found)
        {
            return ApiProblems.NotFound("The case");
        }

        if (result.FilterErrors.Count > 0)
        {
            return ApiProblems.Fields(result.FilterErrors, "These filters cannot be searched for; see 'errors'.");
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(result.Details!.Case.Version);
        return TypedResults.Ok(new CandidatesResponse(id, result.CandidatesFound, [.. result.Candidates.Select(Candidate)]));
    }

    private static CandidateResponse Candidate(MatchResult m) => new(
        m.Candidate.Id, m.Candidate.Name, m.Candidate.CountryCode, m.Candidate.RegionCode, m.Candidate.SizeClass, m.Candidate.NaceCodes, m.Candidate.S3Areas,
        m.Candidate.Offers, m.Candidate.Needs, m.Score, m.Breakdown);

    private static async Task<Results<Created<PartnerCommandResponse>, ProblemHttpResult>> Shortlist(
        HttpContext context, Guid id, ShortlistBody body, ShortlistPartner handler, CancellationToken cancellationToken)
    {
        var (version, problem) = ApiConcurrency.IfMatch(context.Request, required: true);
        if (problem is not null)
        {
            return problem;
        }

        if (body is null || body.CompanyId == Guid.Empty)
        {
            return ApiProblems.Fields([new FieldError("companyId", "Name the company to shortlist (its id).")]);
        }

        var result = await handler.HandleAsync(new ShortlistPartner.Request(id, version!.Value, body.CompanyId), context.Actor(), cancellationToken);

        // Refused with the field named: the company cannot be a partner of this case (from the lead's country, or already on it).
        return result.Status == CaseCommandStatus.Refused && result.FieldErrors.Count > 0
            ? ApiProblems.Fields(result.FieldErrors, result.Message)
            : Answer(context, result, r => TypedResults.Created($"/api/v1/cases/{id}/partners", r));
    }

    private static async Task<Results<Ok<PartnerCommandResponse>, ProblemHttpResult>> SetStatus(
        HttpContext context, Guid id, Guid participantId, PartnerStatusBody body, SetPartnerStatus handler, CancellationToken cancellationToken)
    {
        var (version, problem) = ApiConcurrency.IfMatch(context.Request, required: true);
        return problem ?? Answer(context, await handler.HandleAsync(
            new SetPartnerStatus.Request(id, version!.Value, participantId, body?.Status), context.Actor(), cancellationToken), TypedResults.Ok);
    }

    private static Task<Results<Created<PartnerCommandResponse>, ProblemHttpResult>> MessageCase(
        HttpContext context, Guid id, MessageBody body, AddMessage handler, CancellationToken cancellationToken) =>
        MessageAsync(context, id, null, body, handler, cancellationToken);

    private static Task<Results<Created<PartnerCommandResponse>, ProblemHttpResult>> MessagePartner(
        HttpContext context, Guid id, Guid participantId, MessageBody body, AddMessage handler, CancellationToken cancellationToken) =>
        MessageAsync(context, id, participantId, body, handler, cancellationToken);

    private static async Task<Results<Created<PartnerCommandResponse>, ProblemHttpResult>> MessageAsync(
        HttpContext context, Guid id, Guid? participantId, MessageBody? body, AddMessage handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new AddMessage.Request(id, participantId, body?.Body), context.Actor(), cancellationToken);
        return Answer(context, result, r => TypedResults.Created($"/api/v1/cases/{id}/partners", r));
    }

    private static Results<T, ProblemHttpResult> Answer<T>(HttpContext context, CaseCommandResult result, Func<PartnerCommandResponse, T> done)
        where T : IResult
    {
        if (!result.Succeeded)
        {
            return ApiConcurrency.Refusal(result.Status, result.Message, result.FieldErrors);
        }

        var c = result.Case!;
        context.Response.Headers.ETag = ApiConcurrency.ETag(c.Version);
        return done(new PartnerCommandResponse(c.Id, c.Version, result.Message));
    }
}
