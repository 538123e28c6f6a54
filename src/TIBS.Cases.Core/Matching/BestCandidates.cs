namespace TIBS.Cases.Core.Matching;

/// <summary>
/// The best candidates of a partner search (decision 0051): SQL computes every candidate's complete score from the
/// case's <see cref="CandidateRanking"/> and the candidates' stored codes and <see cref="CompanyTerms"/>, and returns
/// the shown page only, best first (then by name in the user's alphabet, then by id); that page alone is read and
/// explained by <see cref="MatchScorer"/>, which gives the same score.
/// </summary>
internal static class BestCandidates
{
    /// <summary>
    /// The shown candidates with their explained scores, in the order SQL ranked them, and how many candidates pass the
    /// filters (and reach <paramref name="minScore"/> when given).
    /// </summary>
    public static async Task<(List<MatchResult> Shown, int Found)> ScoreAsync(
        IMatchingQueries matching, CandidateQuery query, MatchProfile profile, MatchReference words, int? minScore, int shown,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matching);
        ArgumentNullException.ThrowIfNull(query);
        var page = await matching.BestCandidatesAsync(query, CandidateRanking.Of(profile, words), minScore, Math.Max(1, shown), cancellationToken);
        return ([.. page.Candidates.Select(c => MatchScorer.Score(profile, c.Company, words))], page.Found);
    }
}
