using System.Globalization;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// The partner search reads only the candidates that can be among the best (ranked in SQL by S3 areas, NACE, target
/// countries, partner type and region pairing), yet shows the same candidates, scores and explanations, in the same
/// order, as scoring every candidate did, on every provider.
/// </summary>
public abstract class PartnerRankingTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly string[] Nace = ["C16", "C16.2", "C10.8", "J62", "J62.0", "M72.1", "A02", "C"];
    private static readonly string[] Words = ["timber", "furniture", "packaging", "software", "cloud", "laboratory", "export", "automation", "design", "logistics"];
    private static readonly string[] Sizes = [SizeClasses.Micro, SizeClasses.Small, SizeClasses.Medium, SizeClasses.Large, SizeClasses.Research, SizeClasses.Ngo];
    private static readonly string[] Languages = ["en", "en, de", "de, pl", "lv, en", "sv", null!];

    private List<Company> candidates = [];
    private MatchReference reference = MatchReference.None;

    public async Task InitializeAsync()
    {
        if (!fixture.Available)
        {
            return;
        }

        await fixture.ResetAsync();
        var store = new ReferenceDataStore(fixture.Factory);
        var regions = (await store.RegionsAsync()).Where(r => r.CountryCode != "LV").ToList();
        var s3 = (await store.S3AreasAsync()).Select(a => a.Code).ToList();
        reference = MatchReference.From(await store.S3AreasAsync(), await store.RegionsAsync());
        var random = new Random(20261203);
        var companies = new CompanyStore(fixture.Factory);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 240; i++)
        {
            var region = regions[random.Next(regions.Count)];
            var company = new Company
            {
                Id = Guid.CreateVersion7(),
                Name = string.Create(CultureInfo.InvariantCulture, $"Partner {i:D3}"),
                CountryCode = region.CountryCode,
                RegionCode = region.Code,
                SizeClass = Sizes[random.Next(Sizes.Length)],
                NaceCodes = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Nace[random.Next(Nace.Length)]).Distinct()],
                S3Areas = [.. Enumerable.Range(0, random.Next(4)).Select(_ => s3[random.Next(s3.Count)]).Distinct()],
                Offers = Phrase(random),
                Needs = Phrase(random),
                Keywords = Phrase(random),
                Languages = Languages[random.Next(Languages.Length)],
                CreatedAt = now,
                UpdatedAt = now,
            };
            await companies.InsertAsync(company);
            candidates.Add(company);
        }

        static string Phrase(Random random) => string.Join(' ', Enumerable.Range(0, random.Next(4)).Select(_ => Words[random.Next(Words.Length)]));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private MatchProfile Profile(bool rich) => new()
    {
        CountryCode = "LV",
        RegionCode = "LV008",
        Languages = "en, lv",
        S3Areas = rich ? [new SourcedCode(reference.S3Names.Keys.Order(StringComparer.Ordinal).First(), [ProfileSource.CooperationProfile]), new SourcedCode(reference.S3Names.Keys.Order(StringComparer.Ordinal).Last(), [ProfileSource.CompanyRecord])] : [],
        NaceCodes = rich ? [new SourcedCode("C16.2", [ProfileSource.CompanyRecord]), new SourcedCode("J62", [ProfileSource.NeedsAssessment])] : [],
        TargetCountries = rich ? [new SourcedCode("DE", [ProfileSource.Readiness]), new SourcedCode("PL", [ProfileSource.Readiness])] : [],
        PartnerTypes = rich ? [new SourcedCode("sme", [ProfileSource.NeedsAssessment])] : [],
        Needs = [new SourcedText("software cloud automation", ProfileSource.NeedsAssessment)],
        Offers = [new SourcedText("timber furniture design", ProfileSource.CompanyRecord)],
    };

    /// <summary>What the search showed before: every candidate scored, best first, then by name.</summary>
    private async Task<List<MatchResult>> ScoreEveryCandidateAsync(CandidateQuery query, MatchProfile profile, int? minScore) =>
        [.. (await new MatchingQueries(fixture.Factory).CandidatesAsync(query with { Take = 2000 }))
            .Select(c => MatchScorer.Score(profile, c, reference))
            .Where(r => minScore is not { } min || r.Score >= min)
            .OrderByDescending(r => r.Score).ThenBy(r => r.Candidate.Name, StringComparer.CurrentCulture)];

    private async Task<List<MatchResult>> ScoreBestAsync(CandidateQuery query, MatchProfile profile, int? minScore, int shown, int firstRound)
    {
        var (scored, _) = await BestCandidates.ScoreAsync(new MatchingQueries(fixture.Factory), query, profile, reference, minScore, shown, firstRound);
        return [.. scored.Where(r => minScore is not { } min || r.Score >= min).OrderByDescending(r => r.Score).ThenBy(r => r.Candidate.Name, StringComparer.CurrentCulture)];
    }

    private static IEnumerable<string> Shown(IEnumerable<MatchResult> results) =>
        results.Select(r => $"{r.Candidate.Name} {r.Score}: " + string.Join(" | ", r.Breakdown.Select(b => $"{b.Component} {b.Points}/{b.Max} {b.Reason}")));

    [SkippableTheory]
    [InlineData(true, 10, 20)]
    [InlineData(true, 10, 1000)]
    [InlineData(true, 1, 4)]
    [InlineData(false, 10, 20)]
    [InlineData(false, 50, 200)]
    public async Task The_best_candidates_their_scores_and_explanations_are_those_of_scoring_every_candidate(bool richProfile, int shown, int firstRound)
    {
        fixture.EnsureAvailable();
        var profile = Profile(richProfile);
        var query = new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [candidates[3].Id, candidates[7].Id] };

        var expected = (await ScoreEveryCandidateAsync(query, profile, null)).Take(shown).ToList();
        var actual = (await ScoreBestAsync(query, profile, null, shown, firstRound)).Take(shown).ToList();

        Assert.Equal(shown, expected.Count);
        Assert.Equal(Shown(expected), Shown(actual));
        Assert.DoesNotContain(actual, r => r.Candidate.Id == candidates[3].Id || r.Candidate.Id == candidates[7].Id);
        Assert.Equal(candidates.Count - 2, await new MatchingQueries(fixture.Factory).CountCandidatesAsync(query));
    }

    [SkippableTheory]
    [InlineData(40)]
    [InlineData(60)]
    public async Task A_minimum_score_finds_and_counts_the_same_candidates(int minScore)
    {
        fixture.EnsureAvailable();
        var profile = Profile(rich: true);
        var query = new CandidateQuery { ExcludeCountry = "LV" };

        var expected = await ScoreEveryCandidateAsync(query, profile, minScore);
        var actual = await ScoreBestAsync(query, profile, minScore, 10, 20);

        Assert.NotEmpty(expected);
        Assert.Equal(Shown(expected), Shown(actual));
    }

    [SkippableFact]
    public async Task The_filters_still_narrow_the_ranked_candidates()
    {
        fixture.EnsureAvailable();
        var profile = Profile(rich: true);
        var query = new CandidateQuery { ExcludeCountry = "LV", Country = "DE", Text = "software" };

        var expected = (await ScoreEveryCandidateAsync(query, profile, null)).Take(5).ToList();
        var actual = (await ScoreBestAsync(query, profile, null, 5, 4)).Take(5).ToList();

        Assert.NotEmpty(expected);
        Assert.All(actual, r => Assert.Equal("DE", r.Candidate.CountryCode));
        Assert.Equal(Shown(expected), Shown(actual));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerRankingTests(SqliteFixture fixture) : PartnerRankingTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerRankingTests(PostgresFixture fixture) : PartnerRankingTests(fixture);
