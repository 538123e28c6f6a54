using TIBS.Cases.Core;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>The company registry's store: optimistic updates, text search with filters and keyset paging, on every provider.</summary>
public abstract class CompanyStoreTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private CompanyStore Store() => new(fixture.Factory);

    private static Company Make(string name, string country = "LV", string region = "LV008", string size = SizeClasses.Small, string[]? nace = null,
        string[]? s3 = null, string? keywords = null, string? offers = null, string? needs = null) => new()
        {
            Id = Guid.NewGuid(),
            Name = name,
            CountryCode = country,
            RegionCode = region,
            SizeClass = size,
            YearFounded = 2015,
            NaceCodes = nace ?? [],
            S3Areas = s3 ?? [],
            Keywords = keywords,
            Offers = offers,
            Needs = needs,
            Contacts = [new CompanyContact { Id = Guid.NewGuid(), Name = "Ieva Liepa", Email = "ieva@example.org", ConsentDate = new DateOnly(2026, 1, 5), ConsentPurpose = "Partner search" }],
            CreatedAt = Now,
            UpdatedAt = Now,
        };

    [SkippableFact]
    public async Task Update_replaces_the_profile_and_its_codes_and_contacts_and_raises_the_version()
    {
        fixture.EnsureAvailable();
        var store = Store();
        var company = Make("Vidzeme Wood", nace: ["C", "C16"], s3: ["bioeconomy"]);
        await store.InsertAsync(company);

        var contact = new CompanyContact { Id = Guid.NewGuid(), Name = "Andris Kalniņš", Role = "CEO", Phone = "+371 2612 3456" };
        var version = await store.UpdateAsync(
            company with { Name = "Vidzeme Wood Solutions", NaceCodes = ["C16.2"], S3Areas = ["ict-digitalisation", "smart-cities"], Contacts = [contact], UpdatedAt = Now.AddHours(1) },
            expectedVersion: 1);

        var stored = await store.GetAsync(company.Id);
        Assert.Equal(2, version);
        Assert.NotNull(stored);
        Assert.Equal("Vidzeme Wood Solutions", stored.Name);
        Assert.Equal(2, stored.Version);
        Assert.Equal(["C16.2"], stored.NaceCodes);
        Assert.Equal(["ict-digitalisation", "smart-cities"], stored.S3Areas);
        Assert.Equal([contact], stored.Contacts);
        Assert.Equal(Now.AddHours(1), stored.UpdatedAt);
    }

    [SkippableFact]
    public async Task An_update_from_an_old_version_is_refused_and_writes_nothing()
    {
        fixture.EnsureAvailable();
        var store = Store();
        var company = Make("Valga Sensors", nace: ["C26"]);
        await store.InsertAsync(company);
        await store.UpdateAsync(company with { Name = "Valga Smart Sensors" }, 1);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpdateAsync(company with { Name = "Stale", NaceCodes = [], Contacts = [] }, 1));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpdateAsync(Make("Nobody"), 1));

        var stored = await store.GetAsync(company.Id);
        Assert.Equal("Valga Smart Sensors", stored!.Name);
        Assert.Equal(2, stored.Version);
        Assert.Equal(["C26"], stored.NaceCodes);
        Assert.Single(stored.Contacts);
    }

    [SkippableFact]
    public async Task Search_finds_words_case_insensitively_in_name_keywords_offers_and_needs()
    {
        fixture.EnsureAvailable();
        var store = Store();
        await store.InsertAsync(Make("Podlasie Dairy Tech", "PL", "PL84"));
        await store.InsertAsync(Make("Kaunas BioLab", "LT", "LT02", keywords: "biotechnology, enzymes"));
        await store.InsertAsync(Make("Hamburg Maritime", "DE", "DE60", offers: "Data platform for port logistics"));
        await store.InsertAsync(Make("Aabenraa Water", "DK", "DK03", needs: "Municipal pilots in Poland"));
        await store.InsertAsync(Make("100% Organic_Farm", "SE", "SE23"));

        async Task<string[]> Find(string text) => [.. (await store.SearchAsync(new CompanySearch { Text = text })).Items.Select(c => c.Name)];

        Assert.Equal(["Podlasie Dairy Tech"], await Find("dairy"));
        Assert.Equal(["Kaunas BioLab"], await Find("ENZYMES"));
        Assert.Equal(["Hamburg Maritime"], await Find("Port Logistics"));
        Assert.Equal(["Aabenraa Water"], await Find("municipal"));
        Assert.Equal(["Podlasie Dairy Tech"], await Find("tech dairy"));
        Assert.Equal(["100% Organic_Farm"], await Find("0%"));
        Assert.Equal(["100% Organic_Farm"], await Find("c_f"));
        Assert.Empty(await Find("' OR 1=1 --"));
        Assert.Equal(5, (await store.SearchAsync(new CompanySearch())).Items.Count);
    }

    [SkippableFact]
    public async Task Search_filters_by_country_region_s3_area_NACE_section_and_size()
    {
        fixture.EnsureAvailable();
        var store = Store();
        await store.InsertAsync(Make("Alpha", "LT", "LT01", SizeClasses.Micro, ["C", "C10"], ["bioeconomy"]));
        await store.InsertAsync(Make("Beta", "LT", "LT02", SizeClasses.Small, ["C10.51"], ["ict-digitalisation"]));
        await store.InsertAsync(Make("Gamma", "DE", "DE60", SizeClasses.Medium, ["J", "J62"], ["ict-digitalisation", "bioeconomy"]));
        await store.InsertAsync(Make("Delta", "FI", "FI19", SizeClasses.Micro, ["M72"], []));

        async Task<string[]> Find(CompanySearch search) => [.. (await store.SearchAsync(search)).Items.Select(c => c.Name)];

        Assert.Equal(["Alpha", "Beta"], await Find(new CompanySearch { CountryCode = "LT" }));
        Assert.Equal(["Beta"], await Find(new CompanySearch { RegionCode = "LT02" }));
        Assert.Equal(["Alpha", "Gamma"], await Find(new CompanySearch { S3Area = "bioeconomy" }));
        Assert.Equal(["Alpha", "Beta"], await Find(new CompanySearch { NaceSection = "C" }));
        Assert.Equal(["Delta"], await Find(new CompanySearch { NaceSection = "M" }));
        Assert.Equal(["Alpha", "Delta"], await Find(new CompanySearch { SizeClass = SizeClasses.Micro }));
        Assert.Equal(["Gamma"], await Find(new CompanySearch { S3Area = "ict-digitalisation", NaceSection = "J", CountryCode = "DE" }));
        Assert.Empty(await Find(new CompanySearch { CountryCode = "LT", SizeClass = SizeClasses.Medium }));
    }

    [SkippableFact]
    public async Task Keyset_paging_visits_every_company_once_in_name_then_id_order()
    {
        fixture.EnsureAvailable();
        var store = Store();
        var names = Enumerable.Range(0, 23).Select(i => $"Paged {i:00}").Concat(Enumerable.Repeat("Paged same name", 7)).ToList();
        foreach (var name in names)
        {
            await store.InsertAsync(Make(name));
        }

        await store.InsertAsync(Make("Not on these pages", "DE", "DE60"));
        var seen = new List<CompanySummary>();
        CompanyCursor? after = null;
        var pages = 0;
        do
        {
            var page = await store.SearchAsync(new CompanySearch { Text = "paged", PageSize = 8, After = after });
            Assert.True(page.Items.Count is > 0 and <= 8);
            seen.AddRange(page.Items);
            after = page.Next is null ? null : CompanyCursor.Decode(page.Next.Encode());
            pages++;
        }
        while (after is not null);

        Assert.Equal(4, pages);
        Assert.Equal(30, seen.Count);
        Assert.Equal(30, seen.Select(c => c.Id).Distinct().Count());
        Assert.Equal(names.Order(StringComparer.Ordinal), seen.Select(c => c.Name));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyStoreTests(SqliteFixture fixture) : CompanyStoreTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyStoreTests(PostgresFixture fixture) : CompanyStoreTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerCompanyStoreTests(SqlServerFixture fixture) : CompanyStoreTests(fixture);
