namespace TIBS.Cases.Core.Matching;

/// <summary>
/// The candidates of a partner search that can be among the best shown (or reach the minimum score), scored exactly as
/// scoring every candidate would score and rank them (decision 0051). SQL ranks candidates by the parts of the score
/// that codes decide (<see cref="CandidateRanking"/>); a candidate's score is at most its rank plus
/// <see cref="CandidateRanking.Rest"/>. The best-ranked are scored first; when the shown list's last score is above
/// what any unread candidate can reach, nothing else is read; otherwise every candidate that can still reach it is read
/// and scored.
/// </summary>
internal static class BestCandidates
{
    /// <summary>Candidates read in the first round, best rank first (at least four times the shown number).</summary>
    public const int FirstRound = 200;

    /// <summary>
    /// The scored candidates (not yet ordered; the caller filters by minimum score and orders) and whether every
    /// candidate that passes the filters and can reach <paramref name="minScore"/> was scored (then their count is exact).
    /// </summary>
    public static async Task<(List<MatchResult> Scored, bool Complete)> ScoreAsync(
        IMatchingQueries matching, CandidateQuery query, MatchProfile profile, MatchReference words, int? minScore, int shown,
        int firstRound = FirstRound, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matching);
        ArgumentNullException.ThrowIfNull(query);
        var ranking = CandidateRanking.Of(profile, words);
        if (minScore is { } min)
        {
            // Every candidate that can reach the minimum is counted, so all of them are read.
            var all = await matching.RankedCandidatesAsync(query, ranking, min - CandidateRanking.Rest, null, cancellationToken);
            return ([.. all.Select(c => MatchScorer.Score(profile, c.Company, words))], true);
        }

        var take = Math.Max(firstRound, shown * 4);
        var first = await matching.RankedCandidatesAsync(query, ranking, int.MinValue, take, cancellationToken);
        var scored = first.Select(c => MatchScorer.Score(profile, c.Company, words)).ToList();
        if (first.Count < take - query.ExcludeCompanyIds.Count)
        {
            return (scored, true);
        }

        // The shown list's last score; an unread candidate has a rank of at most the last one read.
        var last = scored.Select(r => r.Score).OrderDescending().Skip(shown - 1).FirstOrDefault();
        if (scored.Count >= shown && last > first[^1].Rank + CandidateRanking.Rest)
        {
            return (scored, false);
        }

        var rest = await matching.RankedCandidatesAsync(query, ranking, scored.Count >= shown ? last - CandidateRanking.Rest : int.MinValue, null, cancellationToken);
        return ([.. rest.Select(c => MatchScorer.Score(profile, c.Company, words))], false);
    }
}
