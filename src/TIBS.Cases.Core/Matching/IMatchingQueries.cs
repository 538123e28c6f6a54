using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Matching;

/// <summary>What the partner search asks the database: companies outside the lead's country, narrowed by the filters that SQL can apply.</summary>
public sealed record CandidateQuery
{
    /// <summary>The lead company's country: candidates are always from other countries.</summary>
    public required string ExcludeCountry { get; init; }

    /// <summary>Companies already on the case are left out.</summary>
    public IReadOnlyCollection<Guid> ExcludeCompanyIds { get; init; } = [];

    public string? Country { get; init; }

    public string? S3Area { get; init; }

    /// <summary>"supported" or "advanced": candidates from regions of that kind (Trans-S3 pairs the two).</summary>
    public string? RegionKind { get; init; }

    /// <summary>A NACE section letter (A–U): companies with a code in it.</summary>
    public string? NaceSection { get; init; }

    /// <summary>Words found in the name, offers, needs or keywords.</summary>
    public string? Text { get; init; }

    public int Take { get; init; } = 500;

    /// <summary>The alphabet candidates of equal score are listed in, by name (the user's language, decision 0047).</summary>
    public NameOrder Order { get; init; } = NameOrder.English;

    /// <summary>What is wrong with the filters (too long, a forbidden character), by query name; empty when none.</summary>
    public IReadOnlyList<FieldError> Problems() => TextRules.FilterProblems(
        ("country", Localized.Text("The country"), Country), ("s3", Localized.Text("The S3 area"), S3Area), ("regionKind", Localized.Text("The kind of region"), RegionKind),
        ("nace", Localized.Text("The NACE section"), NaceSection), ("q", Localized.Text("The search text"), Text));
}

public interface IMatchingQueries
{
    /// <summary>Candidate companies with their NACE codes and S3 areas, ordered by name.</summary>
    Task<IReadOnlyList<Company>> CandidatesAsync(CandidateQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The best <paramref name="take"/> candidates by the score SQL computes from <paramref name="ranking"/> (the
    /// complete score of <c>MatchScorer</c>), those of equal score by name in <see cref="CandidateQuery.Order"/> then by
    /// id, with their NACE codes and S3 areas; only those scoring at least <paramref name="minScore"/> when given.
    /// <see cref="RankedPage.Found"/> counts every candidate that passes the filters and the minimum score.
    /// </summary>
    Task<RankedPage> BestCandidatesAsync(CandidateQuery query, CandidateRanking ranking, int? minScore, int take, CancellationToken cancellationToken = default);

    /// <summary>How many candidates pass the query's filters.</summary>
    Task<int> CountCandidatesAsync(CandidateQuery query, CancellationToken cancellationToken = default);
}
