using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// Company names, case titles and references are found whatever the case and with or without accents, on every
/// provider: Polish, Baltic, German and Nordic letters, searched in upper and lower case, with and without accents.
/// </summary>
public abstract class AccentInsensitiveSearchTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly (string Name, string Country, string Region)[] Companies =
    [
        ("Łódzka Stolarnia Żółć", "PL", "PL84"),
        ("Meble Łódź Sp. z o.o.", "PL", "PL84"),
        ("SIA Gaujas Kokapstrāde", "LV", "LV008"),
        ("Õunapuu OÜ", "EE", "EE008"),
        ("Šiaulių Ūkis UAB", "LT", "LT02"),
        ("Großhandel Müller GmbH", "DE", "DE60"),
        ("Ærø Træ ApS", "DK", "DK03"),
        ("Åkerström AB", "SE", "SE23"),
    ];

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<CompanyStore> AddCompaniesAsync()
    {
        var store = new CompanyStore(fixture.Factory);
        foreach (var (name, country, region) in Companies)
        {
            await store.InsertAsync(new Company
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                CountryCode = country,
                RegionCode = region,
                SizeClass = SizeClasses.Small,
                Keywords = name == "Ærø Træ ApS" ? "Møbler, træbearbejdning" : null,
                CreatedAt = CaseEnvironment.Start,
                UpdatedAt = CaseEnvironment.Start,
            });
        }

        return store;
    }

    [SkippableTheory]
    [InlineData("KOKAPSTRĀDE", "SIA Gaujas Kokapstrāde")]
    [InlineData("kokapstrade", "SIA Gaujas Kokapstrāde")]
    [InlineData("Kokapstrāde", "SIA Gaujas Kokapstrāde")]
    [InlineData("kokap", "SIA Gaujas Kokapstrāde")]
    [InlineData("ŁÓDZKA", "Łódzka Stolarnia Żółć")]
    [InlineData("lodzka zolc", "Łódzka Stolarnia Żółć")]
    [InlineData("żółć", "Łódzka Stolarnia Żółć")]
    [InlineData("lodz sp", "Meble Łódź Sp. z o.o.")]
    [InlineData("ŁÓDŹ SP", "Meble Łódź Sp. z o.o.")]
    [InlineData("õunapuu", "Õunapuu OÜ")]
    [InlineData("OUNAPUU", "Õunapuu OÜ")]
    [InlineData("ŠIAULIŲ ŪKIS", "Šiaulių Ūkis UAB")]
    [InlineData("siauliu ukis", "Šiaulių Ūkis UAB")]
    [InlineData("GROSSHANDEL", "Großhandel Müller GmbH")]
    [InlineData("großhandel müller", "Großhandel Müller GmbH")]
    [InlineData("Mu\u0308ller", "Großhandel Müller GmbH")]
    [InlineData("MULLER", "Großhandel Müller GmbH")]
    [InlineData("ÆRØ", "Ærø Træ ApS")]
    [InlineData("aero trae", "Ærø Træ ApS")]
    [InlineData("mobler", "Ærø Træ ApS")]
    [InlineData("ÅKERSTRÖM", "Åkerström AB")]
    [InlineData("akerstrom", "Åkerström AB")]
    public async Task The_company_list_finds_a_name_in_any_case_with_or_without_accents(string text, string expected)
    {
        fixture.EnsureAvailable();
        var store = await AddCompaniesAsync();

        var found = await store.SearchAsync(new CompanySearch { Text = text });

        Assert.Equal([expected], found.Items.Select(c => c.Name));
    }

    [SkippableFact]
    public async Task Lodz_and_muller_find_every_name_that_has_them_with_accents()
    {
        fixture.EnsureAvailable();
        var store = await AddCompaniesAsync();

        var lodz = await store.SearchAsync(new CompanySearch { Text = "lodz" });
        var muller = await store.SearchAsync(new CompanySearch { Text = "muller" });

        Assert.Equal(["Meble Łódź Sp. z o.o.", "Łódzka Stolarnia Żółć"], lodz.Items.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["Großhandel Müller GmbH"], muller.Items.Select(c => c.Name));
    }

    [SkippableFact]
    public async Task Partner_candidates_are_found_by_their_name_without_accents()
    {
        fixture.EnsureAvailable();
        await AddCompaniesAsync();
        var queries = new MatchingQueries(fixture.Factory);

        var upper = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Text = "GROSSHANDEL MÜLLER" });
        var plain = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Text = "aero" });
        var wildcard = await queries.CandidatesAsync(new CandidateQuery { ExcludeCountry = "LV", Text = "%" });

        Assert.Equal(["Großhandel Müller GmbH"], upper.Select(c => c.Name));
        Assert.Equal(["Ærø Træ ApS"], plain.Select(c => c.Name));
        Assert.Empty(wildcard);
    }

    [SkippableFact]
    public async Task The_case_list_finds_titles_references_and_lead_companies_in_any_case_with_or_without_accents()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var gaujas = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "SIA Gaujas Kokapstrāde",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            CreatedAt = CaseEnvironment.Start,
            UpdatedAt = CaseEnvironment.Start,
        };
        await env.Companies.InsertAsync(gaujas);
        var kiln = await env.Service.OpenCaseAsync(gaujas.Id, "Žāvēšanas krāsns digitalizācija", env.LatvianBroker);
        var other = await env.Service.OpenCaseAsync(env.Lead.Id, "Großhandel für Ærø-Möbel", env.LatvianBroker);
        Assert.True(kiln.Succeeded && other.Succeeded);
        var queries = new CaseQueries(fixture.Factory);
        async Task<string[]> Find(string text) =>
            [.. (await queries.SearchAsync(new CaseFilter { Text = text }, env.Coordinator, env.Time.GetUtcNow())).Select(c => c.Title).Order(StringComparer.Ordinal)];

        Assert.Equal(["Žāvēšanas krāsns digitalizācija"], await Find("ZAVESANAS KRASNS"));
        Assert.Equal(["Žāvēšanas krāsns digitalizācija"], await Find("žāvēšanas"));
        Assert.Equal(["Žāvēšanas krāsns digitalizācija"], await Find("KOKAPSTRĀDE"));
        Assert.Equal(["Žāvēšanas krāsns digitalizācija"], await Find("kokapstrade"));
        Assert.Equal(["Großhandel für Ærø-Möbel"], await Find("grosshandel fur aero"));
        Assert.Equal(["Großhandel für Ærø-Möbel"], await Find("ÆRØ-MÖBEL"));
        Assert.Equal(["Großhandel für Ærø-Möbel"], await Find(other.Case!.Reference.ToLowerInvariant()));
        Assert.Equal(2, (await Find("lv008-")).Length);
        var lodz = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "SIA Łódź Meubles",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            CreatedAt = CaseEnvironment.Start,
            UpdatedAt = CaseEnvironment.Start,
        };
        await env.Companies.InsertAsync(lodz);
        var chairs = await env.Service.OpenCaseAsync(lodz.Id, "Krzesła dla szkół", env.LatvianBroker);
        Assert.True(chairs.Succeeded);
        Assert.Equal(["Krzesła dla szkół"], await Find("lodz"));
        Assert.Equal(["Krzesła dla szkół"], await Find("ŁÓDŹ"));
        Assert.Equal(["Krzesła dla szkół"], await Find("krzesla dla szkol"));
        Assert.Empty(await Find("_"));
    }

    [SkippableFact]
    public async Task Rows_written_before_the_search_keys_existed_get_them_after_the_schema_scripts()
    {
        fixture.EnsureAvailable();
        var store = await AddCompaniesAsync();
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE companies SET search_name = NULL, search_text = NULL");
        }

        var before = await store.SearchAsync(new CompanySearch { Text = "kokapstrade" });
        var filled = await SearchKeys.FillMissingAsync(fixture.Factory);
        var after = await store.SearchAsync(new CompanySearch { Text = "kokapstrade" });

        Assert.Empty(before.Items);
        Assert.Equal(Companies.Length, filled);
        Assert.Equal(["SIA Gaujas Kokapstrāde"], after.Items.Select(x => x.Name));
        Assert.Equal(0, await SearchKeys.FillMissingAsync(fixture.Factory));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAccentInsensitiveSearchTests(SqliteFixture fixture) : AccentInsensitiveSearchTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccentInsensitiveSearchTests(PostgresFixture fixture) : AccentInsensitiveSearchTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerAccentInsensitiveSearchTests(SqlServerFixture fixture) : AccentInsensitiveSearchTests(fixture);
