using System.Globalization;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// The partner search scores the candidates sharing words or S3 areas with the case first and every candidate only
/// when they do not settle the page, yet shows exactly what ranking every candidate shows: the same candidates with
/// the same scores, explanations and order, and the same "N candidates found", for many searching companies, minimum
/// scores, filters and page sizes, on every provider.
/// </summary>
public abstract class PartnerPrefilterTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly string[] Nace = ["C16", "C16.2", "C10.8", "J62", "M72.1", "A02", "C"];
    private static readonly string[] Words = ["timber", "furniture", "software", "cloud", "laboratory", "export", "automation", "design"];
    private static readonly string[] Sizes = [SizeClasses.Micro, SizeClasses.Small, SizeClasses.Medium, SizeClasses.Large, SizeClasses.Research];
    private static readonly string[] Languages = ["en", "en, de", "de, pl", "lv, en", null!];
    private static readonly int?[] MinScores = [null, 0, 15, 30, 40, 45, 50, 55, 60, 70];
    private static readonly int[] Pages = [1, 5, 20, 50];

    private readonly List<Company> companies = [];
    private MatchReference reference = MatchReference.None;

    public async Task InitializeAsync()
    {
        if (!fixture.Available)
        {
            return;
        }

        await fixture.ResetAsync();
        var store = new ReferenceDataStore(fixture.Factory);
        var regions = await store.RegionsAsync();
        // Three S3 areas of the eight: many candidates share two with the searching company, the best score high.
        var s3 = (await store.S3AreasAsync()).Select(a => a.Code).Order(StringComparer.Ordinal).Take(3).ToList();
        reference = MatchReference.From(await store.S3AreasAsync(), regions);
        var random = new Random(20261204);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 300; i++)
        {
            var region = regions[random.Next(regions.Count)];
            companies.Add(new Company
            {
                Id = Guid.CreateVersion7(),
                Name = string.Create(CultureInfo.InvariantCulture, $"Company {random.Next(60):D2}"),
                CountryCode = region.CountryCode,
                RegionCode = region.Code,
                SizeClass = Sizes[random.Next(Sizes.Length)],
                NaceCodes = [.. Enumerable.Range(0, random.Next(3)).Select(_ => Nace[random.Next(Nace.Length)]).Distinct()],
                S3Areas = [.. Enumerable.Range(0, random.Next(4)).Select(_ => s3[random.Next(s3.Count)]).Distinct()],
                Offers = Phrase(random, 3),
                Needs = Phrase(random, 2),
                Keywords = Phrase(random, 1),
                Languages = Languages[random.Next(Languages.Length)],
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        await new CompanyStore(fixture.Factory).InsertManyAsync(companies);

        static string Phrase(Random random, int most) => string.Join(' ', Enumerable.Range(0, random.Next(most + 1)).Select(_ => Words[random.Next(Words.Length)]));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A searching company's profile: its record, with target countries and partner types sought on some.</summary>
    private static MatchProfile Profile(Company lead, int i) => MatchProfile.Of(lead) with
    {
        TargetCountries = i % 3 == 0 ? [new SourcedCode("DE", [ProfileSource.Readiness]), new SourcedCode("PL", [ProfileSource.Readiness])] : [],
        PartnerTypes = i % 4 == 1 ? [new SourcedCode("sme", [ProfileSource.NeedsAssessment])] : [],
    };

    private IEnumerable<string> Shown(RankedPage page, MatchProfile profile) =>
        page.Candidates.Select(c => $"{c.Company.Id} {c.Rank} {MatchScorer.Score(profile, c.Company, reference).Score}: "
            + string.Join(", ", c.Company.NaceCodes) + " / " + string.Join(", ", c.Company.S3Areas) + " / "
            + string.Join(" | ", MatchScorer.Score(profile, c.Company, reference).Breakdown.Select(b => $"{b.Component} {b.Points}/{b.Max} {b.Reason}")));

    [SkippableFact]
    public async Task The_page_its_scores_explanations_order_and_count_are_those_of_ranking_every_candidate()
    {
        fixture.EnsureAvailable();
        var matching = new MatchingQueries(fixture.Factory);
        var settled = 0;
        var byDivision = 0;
        var compared = 0;
        for (var i = 0; i < 16; i++)
        {
            var lead = companies[i * 17];
            var profile = Profile(lead, i);
            var ranking = CandidateRanking.Of(profile, reference);
            var query = new CandidateQuery
            {
                ExcludeCountry = lead.CountryCode,
                ExcludeCompanyIds = [lead.Id, companies[(i * 17) + 1].Id],
                Country = i % 5 == 4 ? "DE" : null,
            };
            foreach (var minScore in MinScores)
            {
                foreach (var take in Pages)
                {
                    var expected = await matching.RankEveryCandidateAsync(query, ranking, minScore, take);
                    var actual = await matching.BestCandidatesAsync(query, ranking, minScore, take);

                    var what = $"company {i}, minimum score {minScore}, page {take}";
                    Assert.True(Shown(expected, profile).SequenceEqual(Shown(actual, profile)), what);
                    Assert.True(expected.Found == actual.Found, $"{what}: {expected.Found} found, not {actual.Found}");

                    // "N candidates found" counts the companies the filters let through (reaching the minimum score).
                    var found = companies.Count(c => c.CountryCode != query.ExcludeCountry && !query.ExcludeCompanyIds.Contains(c.Id)
                        && (query.Country is null || c.CountryCode == query.Country)
                        && (minScore is null || MatchScorer.Score(profile, c, reference).Score >= minScore));
                    Assert.True(found == actual.Found, $"{what}: {found} candidates, {actual.Found} found");
                    compared++;

                    // The candidates found through the shared words and areas settled this page (the first pre-filter
                    // that can, the narrowest first).
                    if (MatchPrefilter.Tiers(ranking, minScore).FirstOrDefault(t => t.Complete || (expected.Candidates.Count == take && expected.Candidates[^1].Rank > t.Above)) is { } prefilter)
                    {
                        settled++;
                        byDivision += prefilter.Divisions ? 1 : 0;
                    }
                }
            }
        }

        Assert.Equal(16 * MinScores.Length * Pages.Length, compared);
        Assert.InRange(settled, compared / 4, compared - 1);

        // Some pages were settled by the candidates sharing an S3 area and a NACE division with a case of one area.
        Assert.InRange(byDivision, 1, settled - 1);
    }

    [SkippableFact]
    public async Task A_case_with_neither_words_nor_S3_areas_ranks_every_candidate()
    {
        fixture.EnsureAvailable();
        var matching = new MatchingQueries(fixture.Factory);
        var lead = companies[0] with { S3Areas = [], Offers = null, Needs = null, Keywords = null };
        var ranking = CandidateRanking.Of(Profile(lead, 0), reference);
        var query = new CandidateQuery { ExcludeCountry = lead.CountryCode };

        Assert.Null(MatchPrefilter.Of(ranking, null));
        var expected = await matching.RankEveryCandidateAsync(query, ranking, 10, 20);
        var actual = await matching.BestCandidatesAsync(query, ranking, 10, 20);
        Assert.Equal(Shown(expected, Profile(lead, 0)), Shown(actual, Profile(lead, 0)));
        Assert.Equal(expected.Found, actual.Found);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerPrefilterTests(SqliteFixture fixture) : PartnerPrefilterTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerPrefilterTests(PostgresFixture fixture) : PartnerPrefilterTests(fixture);
