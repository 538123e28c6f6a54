using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.Merge;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Candidate queries of the partner search and the notification store, once per available provider.</summary>
public abstract class MatchingQueriesTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Company> AddAsync(string name, string country, string region, string[] nace, string[] s3, string? offers = null)
    {
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            CountryCode = country,
            RegionCode = region,
            SizeClass = SizeClasses.Small,
            NaceCodes = nace,
            S3Areas = s3,
            Offers = offers,
            Languages = "en",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new CompanyStore(fixture.Factory).InsertAsync(company);
        return company;
    }

    [SkippableFact]
    public async Task Candidates_come_from_other_countries_with_their_codes_and_follow_the_filters()
    {
        fixture.EnsureAvailable();
        var lead = await AddAsync("Vidzeme Wood", "LV", "LV008", ["C16"], ["bioeconomy"]);
        var timber = await AddAsync("Hamburg Timber", "DE", "DE60", ["C", "C16"], ["bioeconomy", "sustainable-innovation"], "Timber design 100% digital");
        var water = await AddAsync("Aabenraa Water", "DK", "DK03", ["E36"], ["water-management"], "Water treatment");
        await AddAsync("Riga Other", "LV", "LV008", ["C16"], ["bioeconomy"]);
        var queries = new MatchingQueries(fixture.Factory);

        var all = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV" });
        var germany = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Country = "de" });
        var s3 = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", S3Area = "water-management" });
        var nace = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", NaceSection = "C" });
        var text = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Text = "TIMBER" });
        var percent = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Text = "100%" });
        var excluded = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [timber.Id] });

        Assert.Equal(["Aabenraa Water", "Hamburg Timber"], all.Select(c => c.Name));
        var loaded = all.Single(c => c.Id == timber.Id);
        Assert.Equal(["C", "C16"], loaded.NaceCodes);
        Assert.Equal(["bioeconomy", "sustainable-innovation"], loaded.S3Areas);
        Assert.Equal("DE", loaded.CountryCode);
        Assert.Equal([timber.Id], germany.Select(c => c.Id));
        Assert.Equal([water.Id], s3.Select(c => c.Id));
        Assert.Equal([timber.Id], nace.Select(c => c.Id));
        Assert.Equal([timber.Id], text.Select(c => c.Id));
        Assert.Equal([timber.Id], percent.Select(c => c.Id));
        Assert.Equal([water.Id], excluded.Select(c => c.Id));
        Assert.True(MatchScorer.Score(lead, loaded, []).Score > MatchScorer.Score(lead, all.Single(c => c.Id == water.Id), []).Score);
    }

    [SkippableFact]
    public async Task The_candidates_found_follow_companies_added_moved_and_merged_before_and_after_the_counts_are_folded()
    {
        fixture.EnsureAvailable();
        var lead = await AddAsync("Vidzeme Wood", "LV", "LV008", ["C16"], ["bioeconomy"]);
        var timber = await AddAsync("Hamburg Timber", "DE", "DE60", ["C16"], ["bioeconomy"], "Timber design");
        var hamburg = await AddAsync("Hamburg Holz", "DE", "DE60", ["C16"], ["bioeconomy"]);
        var water = await AddAsync("Aabenraa Water", "DK", "DK03", ["E36"], ["water-management"], "Water treatment");
        await AddAsync("Riga Other", "LV", "LV008", ["C16"], ["bioeconomy"]);
        var queries = new MatchingQueries(fixture.Factory);
        async Task<int[]> FoundAsync() =>
        [
            await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV" }),
            await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", ExcludeCompanyIds = [lead.Id, timber.Id] }),
            await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "lv", Country = "de" }),
            await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "SE", Country = "DE", ExcludeCompanyIds = [timber.Id, water.Id] }),
            await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Text = "timber" }),
        ];

        Assert.Equal<int[]>([3, 2, 2, 1, 1], await FoundAsync());

        // Aabenraa Water moves to Sweden, Hamburg Holz is merged into Hamburg Timber.
        var companies = new CompanyStore(fixture.Factory);
        Assert.Equal(2, await companies.UpdateAsync(water with { CountryCode = "SE", RegionCode = "SE23" }, 1));
        var now = DateTimeOffset.UtcNow;
        await new CompanyMergeStore(fixture.Factory).MergeAsync(new CompanyMergeWrite(timber, 1, hamburg, 1, null, null, now, "company-merged", "{}"));
        Assert.Equal<int[]>([2, 1, 1, 0, 1], await FoundAsync());
        Assert.Equal(1, await queries.CountCandidatesAsync(new CandidateQuery { ExcludeCountry = "DE", Country = "SE" }));

        // Folded into one row per country, the counts stay.
        await new CoordinationQueries(fixture.Factory).FoldCountsAsync();
        Assert.Equal<int[]>([2, 1, 1, 0, 1], await FoundAsync());
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal(["DE 1", "LV 2", "SE 1"], (await c.QueryAsync<(string Country, long Companies)>("SELECT country_code, SUM(companies) FROM company_counts GROUP BY country_code HAVING COUNT(*) = 1 AND SUM(companies) <> 0 ORDER BY country_code")).Select(x => $"{x.Country} {x.Companies}"));
    }

    [SkippableFact]
    public async Task Notifications_are_added_once_per_delivery_key_listed_counted_and_marked_read()
    {
        fixture.EnsureAvailable();
        var now = DateTimeOffset.UtcNow;
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = "b@x.example",
            DisplayName = "B",
            Role = Roles.Broker,
            RegionCode = "DE60",
            PasswordHash = "h",
            SecurityStamp = "s",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new UserStore(fixture.Factory).InsertAsync(user);
        var store = new NotificationStore(fixture.Factory);
        NotificationRecord Make(string key, DateTimeOffset at) => new()
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            Kind = NotificationKinds.PartnerShortlisted,
            Title = "T " + key,
            Body = "B",
            DeliveryKey = key,
            CreatedAt = at,
        };

        var first = await store.AddAsync(Make("k1", now));
        var again = await store.AddAsync(Make("k1", now));
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.AddAsync(Make("k2", now.AddSeconds(1)))));
        var listed = await store.ListForUserAsync(user.Id, unreadOnly: false, take: 10);
        var marked = await store.MarkReadAsync(user.Id, listed[0].Id, now);
        var markedTwice = await store.MarkReadAsync(user.Id, listed[0].Id, now);
        var notMine = await store.MarkReadAsync(Guid.NewGuid(), listed[1].Id, now);

        Assert.True(first);
        Assert.False(again);
        Assert.Equal(1, racing.Count(r => r));
        Assert.Equal(["T k2", "T k1"], listed.Select(n => n.Title));
        Assert.True(marked);
        Assert.False(markedTwice);
        Assert.False(notMine);
        Assert.Equal(1, await store.UnreadCountAsync(user.Id));
        Assert.Equal(["T k1"], (await store.ListForUserAsync(user.Id, unreadOnly: true, take: 10)).Select(n => n.Title));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteMatchingQueriesTests(SqliteFixture fixture) : MatchingQueriesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresMatchingQueriesTests(PostgresFixture fixture) : MatchingQueriesTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerMatchingQueriesTests(SqlServerFixture fixture) : MatchingQueriesTests(fixture);
