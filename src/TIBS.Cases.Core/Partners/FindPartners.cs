using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Reference;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Partners;

/// <summary>
/// Finds partners for a case: companies from other countries than the lead's, scored by <see cref="MatchScorer"/>
/// against the case's profile (its cooperation profile and needs assessment together with the lead company's record),
/// filtered and ranked. Whoever may read the case (<see cref="CaseAccess.CanRead"/>) may search; anyone else learns
/// nothing, not even that the case exists.
/// </summary>
public sealed class FindPartners(CaseReader cases, ICompanyStore companies, IMatchingQueries matching, IReferenceDataStore reference)
{
    public const int DefaultShown = 50;

    public static IReadOnlyList<string> RegionKinds { get; } = [MatchScorer.SupportedRegion, MatchScorer.AdvancedRegion];

    /// <summary>The partner search of a case: which filters (all optional), how many shown.</summary>
    public sealed record Request(Guid CaseId)
    {
        public string? Country { get; init; }

        public string? S3Area { get; init; }

        public string? NaceSection { get; init; }

        /// <summary>"supported" or "advanced" (<see cref="MatchScorer.SupportedRegion"/>, <see cref="MatchScorer.AdvancedRegion"/>).</summary>
        public string? RegionKind { get; init; }

        public int? MinScore { get; init; }

        public string? Text { get; init; }

        public int MaxShown { get; init; } = DefaultShown;
    }

    /// <summary>
    /// The case and its candidates, best first; <see cref="Found"/> is false when the case does not exist for the actor.
    /// <see cref="FilterErrors"/> lists filters that cannot be searched for (keyed by query name); nothing is searched
    /// then. <see cref="Lead"/> is null (and nothing searched) when the lead company is gone.
    /// </summary>
    public sealed record Result(bool Found)
    {
        public CaseDetails? Details { get; init; }

        public Company? Lead { get; init; }

        public MatchProfile? Profile { get; init; }

        public MatchReference Reference { get; init; } = MatchReference.None;

        public IReadOnlyList<S3Area> S3Areas { get; init; } = [];

        public IReadOnlyList<NaceSection> NaceSections { get; init; } = [];

        public IReadOnlyList<FieldError> FilterErrors { get; init; } = [];

        public IReadOnlyList<MatchResult> Candidates { get; init; } = [];

        /// <summary>How many candidates passed the filters (more than are shown when above <see cref="Request.MaxShown"/>).</summary>
        public int CandidatesFound { get; init; }
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        // One round trip for the case and its workspace; the search shows no timeline, so one event of it is read.
        var details = (await cases.GetPageAsync(request.CaseId, new EventPage(1), cancellationToken))?.Details;
        if (details is null || !CaseAccess.CanRead(actor, details.Case, details.Participants))
        {
            return new Result(false);
        }

        var s3Areas = await reference.S3AreasAsync(cancellationToken);
        var words = MatchReference.From(s3Areas, await reference.RegionsAsync(cancellationToken));
        var result = new Result(true)
        {
            Details = details,
            Reference = words,
            S3Areas = s3Areas,
            NaceSections = await reference.NaceSectionsAsync(cancellationToken),
        };
        var lead = await companies.GetAsync(details.Case.LeadCompanyId, cancellationToken);
        if (lead is null)
        {
            return result;
        }

        var profile = MatchProfile.Of(lead, details.Case);
        result = result with { Lead = lead, Profile = profile };
        var query = new CandidateQuery
        {
            ExcludeCountry = lead.CountryCode,
            ExcludeCompanyIds = [.. details.Participants.Select(p => p.CompanyId)],
            Country = request.Country,
            S3Area = request.S3Area,
            NaceSection = request.NaceSection,
            RegionKind = request.RegionKind,
            Text = request.Text,
            Order = NameOrder.Current,
        };
        var problems = query.Problems().ToList();
        if (!string.IsNullOrWhiteSpace(request.RegionKind) && problems.All(p => p.Field != "regionKind") && !RegionKinds.Contains(request.RegionKind.Trim().ToLowerInvariant()))
        {
            problems.Add(new FieldError("regionKind", Localized.Text("The kind of region must be \"supported\" or \"advanced\" (or any).")));
        }

        if (request.MinScore is < 0 or > 100)
        {
            problems.Add(new FieldError("minScore", Localized.Text("The minimum score must be between 0 and 100.")));
        }

        if (problems.Count > 0)
        {
            return result with { FilterErrors = problems };
        }

        var shown = Math.Max(1, request.MaxShown);
        var (candidates, count) = await BestCandidates.ScoreAsync(matching, query, profile, words, request.MinScore, shown, cancellationToken);
        return result with { CandidatesFound = count, Candidates = candidates };
    }
}
