using System.Globalization;
using Dapper;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// The partner search scores every candidate in SQL (S3 areas, NACE, the words of offers and needs, target countries,
/// partner type, region pairing, languages) and reads only the shown page, yet shows the same candidates, scores and
/// explanations, in the same order, as scoring every candidate in memory does, on every provider.
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

    /// <summary>Every candidate scored in memory, best first, then by name in the query's alphabet, then by id as the database orders them.</summary>
    private async Task<List<MatchResult>> ScoreEveryCandidateAsync(CandidateQuery query, MatchProfile profile, int? minScore)
    {
        var all = (await new MatchingQueries(fixture.Factory).CandidatesAsync(query with { Take = 2000 }))
            .Where(c => !query.ExcludeCompanyIds.Contains(c.Id))
            .Select(c => MatchScorer.Score(profile, c, reference))
            .Where(r => minScore is not { } min || r.Score >= min)
            .ToList();
        var ids = await IdOrderAsync([.. all.Select(r => r.Candidate.Id)]);
        return [.. all.OrderByDescending(r => r.Score).ThenBy(r => r.Candidate.Name, query.Order).ThenBy(r => ids[r.Candidate.Id])];
    }

    /// <summary>The position of each id in the database's own order of ids (the last tie-break).</summary>
    private async Task<Dictionary<Guid, int>> IdOrderAsync(IReadOnlyList<Guid> ids)
    {
        await using var c = await fixture.Factory.OpenAsync();
        var ordered = await c.QueryAsync<Guid>("SELECT id FROM companies ORDER BY id");
        return ordered.Select((id, i) => (id, i)).Where(x => ids.Contains(x.id)).ToDictionary(x => x.id, x => x.i);
    }

    private async Task<(List<MatchResult> Shown, int Found)> ScoreBestAsync(CandidateQuery query, MatchProfile profile, int? minScore, int shown) =>
        await BestCandidates.ScoreAsync(new MatchingQueries(fixture.Factory), query, profile, reference, minScore, shown);

    private static IEnumerable<string> Shown(IEnumerable<MatchResult> results) =>
        results.Select(r => $"{r.Candidate.Name} {r.Score}: " + string.Join(" | ", r.Breakdown.Select(b => $"{b.Component} {b.Points}/{b.Max} {b.Reason}")));

    [SkippableTheory]
    [InlineData(true, 10)]
    [InlineData(true, 1)]
    [InlineData(true, 50)]
    [InlineData(false, 10)]
    [InlineData(false, 50)]
    public async Task The_best_candidates_their_scores_and_explanations_are_those_of_scoring_every_candidate(bool richProfile, int shown)
    {
        fixture.EnsureAvailable();
        var profile = Profile(richProfile);
        var query = new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [candidates[3].Id, candidates[7].Id] };

        var expected = (await ScoreEveryCandidateAsync(query, profile, null)).Take(shown).ToList();
        var (actual, found) = await ScoreBestAsync(query, profile, null, shown);

        Assert.Equal(shown, expected.Count);
        Assert.Equal(Shown(expected), Shown(actual));
        Assert.DoesNotContain(actual, r => r.Candidate.Id == candidates[3].Id || r.Candidate.Id == candidates[7].Id);
        Assert.Equal(candidates.Count - 2, found);
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
        var (actual, found) = await ScoreBestAsync(query, profile, minScore, 10);

        Assert.NotEmpty(expected);
        Assert.Equal(Shown(expected.Take(10)), Shown(actual));
        Assert.Equal(expected.Count, found);
    }

    [SkippableFact]
    public async Task The_filters_still_narrow_the_ranked_candidates()
    {
        fixture.EnsureAvailable();
        var profile = Profile(rich: true);
        var query = new CandidateQuery { ExcludeCountry = "LV", Country = "DE", Text = "software" };

        var expected = await ScoreEveryCandidateAsync(query, profile, null);
        var (actual, found) = await ScoreBestAsync(query, profile, null, 5);

        Assert.NotEmpty(expected);
        Assert.All(actual, r => Assert.Equal("DE", r.Candidate.CountryCode));
        Assert.Equal(Shown(expected.Take(5)), Shown(actual));
        Assert.Equal(expected.Count, found);
    }

    [SkippableTheory]
    [InlineData("en")]
    [InlineData("sv")]
    [InlineData("pl")]
    public async Task Candidates_of_equal_score_are_listed_by_name_in_the_users_alphabet_then_the_same_way_every_time(string language)
    {
        fixture.EnsureAvailable();
        string[] names = ["Zeta Timber", "Ärla Timber", "Åre Timber", "Łódź Timber", "Lodz Timber", "Oslo Timber", "Öland Timber", "Baltic Timber", "Baltic Timber"];
        var twins = new List<Company>();
        foreach (var name in names)
        {
            // The same codes and words: the same score (100), better than any other candidate's.
            var twin = Candidate(name, "DE", "DE60", SizeClasses.Small) with
            {
                S3Areas = [reference.S3Names.Keys.Order(StringComparer.Ordinal).First(), reference.S3Names.Keys.Order(StringComparer.Ordinal).Last()],
                NaceCodes = ["C16.2"],
                Offers = "software cloud automation",
                Needs = "timber furniture design",
                Languages = "en, lv",
            };
            await new CompanyStore(fixture.Factory).InsertAsync(twin);
            twins.Add(twin);
        }

        var order = Core.Text.NameOrder.Of(language)!;
        var query = new CandidateQuery { ExcludeCountry = "LV", Order = order };
        var expected = await ScoreEveryCandidateAsync(query, Profile(rich: true), null);
        var (actual, _) = await ScoreBestAsync(query, Profile(rich: true), null, names.Length);
        var (again, _) = await ScoreBestAsync(query, Profile(rich: true), null, names.Length);

        Assert.All(actual, r => Assert.Contains(twins, t => t.Id == r.Candidate.Id));
        Assert.Single(actual.Select(r => r.Score).Distinct());
        Assert.Equal(Shown(expected.Take(names.Length)), Shown(actual));
        Assert.Equal(actual.Select(r => r.Candidate.Id), again.Select(r => r.Candidate.Id));
        Assert.Equal(names.Order(order), actual.Select(r => r.Candidate.Name));
    }

    [SkippableFact]
    public async Task Shared_words_count_as_the_explanation_counts_them_also_after_an_edit_and_for_rows_written_before_the_terms()
    {
        fixture.EnsureAvailable();
        var store = new CompanyStore(fixture.Factory);
        var profile = Profile(rich: false) with
        {
            Needs = [new SourcedText("Sensors for processing lines; cloud hosting", ProfileSource.NeedsAssessment)],
            Offers = [new SourcedText("Machining and welding", ProfileSource.CompanyRecord)],
        };
        // Inflected forms meet their stems (sensors, processing, hosting, clouds), stop-words earn nothing, the cap of 15 holds.
        var words = Candidate("Words Inflected", "EE", "EE008", SizeClasses.Micro) with { Offers = "Sensor processing and hosting", Keywords = "the clouds", Needs = "welded frames, machined parts" };
        var edited = Candidate("Words Edited Later", "LT", "LT01", SizeClasses.Micro) with { Offers = "nothing in common", Languages = "lv" };
        await store.InsertManyAsync([words, edited]);
        var version = await store.UpdateAsync(edited with { Offers = "sensor cloud", Needs = "welding, machining" }, edited.Version);
        Assert.Equal(edited.Version + 1, version);

        // A row written straight to the table has no terms until they are computed (as at start).
        var raw = Candidate("Words Written Before", "FI", "FI1C4", SizeClasses.Micro) with { Offers = "cloud sensors hosting processing" };
        await store.InsertAsync(raw);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("DELETE FROM company_match_terms WHERE company_id = @Id", new { raw.Id });
            await c.ExecuteAsync("UPDATE companies SET match_terms_version = NULL, match_codes = NULL WHERE id = @Id", new { raw.Id });
        }

        Assert.True(await MatchTerms.FillMissingAsync(fixture.Factory) >= 1);
        Assert.Equal(0, await MatchTerms.FillMissingAsync(fixture.Factory));

        var query = new CandidateQuery { ExcludeCountry = "LV" };
        var expected = await ScoreEveryCandidateAsync(query, profile, null);
        var (actual, _) = await ScoreBestAsync(query, profile, null, 3);

        Assert.Equal(Shown(expected.Take(3)), Shown(actual));
        // 15 + 10 words; 10 + 10 words and one shared language; 15 words and the region pairing.
        Assert.Equal(["Words Inflected 25", "Words Edited Later 23", "Words Written Before 20"], actual.Select(r => $"{r.Candidate.Name} {r.Score}"));
        var offers = actual[0].Breakdown[2];
        Assert.Equal((15, 15), (offers.Points, offers.Max));
        Assert.Contains("cloud, host, process, sensor", offers.Reason, StringComparison.Ordinal);
        Assert.Equal(10, actual[0].Breakdown[3].Points);
        Assert.Equal((10, 10, 3), (actual[1].Breakdown[2].Points, actual[1].Breakdown[3].Points, actual[1].Breakdown[7].Points));
    }

    private static Company Candidate(string name, string country, string region, string size) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = name,
        CountryCode = country,
        RegionCode = region,
        SizeClass = size,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerRankingTests(SqliteFixture fixture) : PartnerRankingTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerRankingTests(PostgresFixture fixture) : PartnerRankingTests(fixture);
