using System.Globalization;
using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>
/// The company list sorts names in the alphabet of the user's language through the database's collation, and pages
/// through them with a cursor that shows every company exactly once in that order, on every provider.
/// </summary>
public abstract class CompanyNameOrderTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Coordinator = new(Guid.CreateVersion7(), WorkflowRole.Coordinator, null);

    // Two companies are called Šilas: the cursor must tell them apart when a page ends between them.
    private static readonly string[] Names = ["Šilas", "Zuikis", "Ąžuolas", "Yla", "Ivanas", "Žemė", "Tamm", "Sõber", "Zoom", "Õun", "Äär", "Šilas"];

    private static readonly string[] Lithuanian = ["Äär", "Ąžuolas", "Yla", "Ivanas", "Õun", "Sõber", "Šilas", "Šilas", "Tamm", "Zoom", "Zuikis", "Žemė"];
    private static readonly string[] Estonian = ["Ąžuolas", "Ivanas", "Sõber", "Šilas", "Šilas", "Zoom", "Zuikis", "Žemė", "Tamm", "Õun", "Äär", "Yla"];
    private static readonly string[] English = ["Äär", "Ąžuolas", "Ivanas", "Õun", "Šilas", "Šilas", "Sõber", "Tamm", "Yla", "Žemė", "Zoom", "Zuikis"];

    private IReadOnlyList<Company> companies = [];

    public async Task InitializeAsync()
    {
        if (!fixture.Available)
        {
            return;
        }

        await fixture.ResetAsync();
        companies = [.. Names.Select((name, i) => new Company
        {
            Id = Guid.NewGuid(),
            Name = name,
            CountryCode = i % 2 == 0 ? "LT" : "EE",
            RegionCode = i % 2 == 0 ? "LT02" : "EE008",
            SizeClass = SizeClasses.Small,
            CreatedAt = Now,
            UpdatedAt = Now,
        })];
        await new CompanyStore(fixture.Factory).InsertManyAsync(companies);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private SearchCompanies Handler() => new(new CompanyStore(fixture.Factory));

    /// <summary>Runs <paramref name="action"/> as a user whose language is <paramref name="culture"/>.</summary>
    private static async Task<T> InCultureAsync<T>(string culture, Func<Task<T>> action)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return await action();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>Every page of a search, following each page's cursor, as the user's culture sorts them.</summary>
    private async Task<List<CompanySummary>> AllPagesAsync(string culture, int pageSize, string? text = null, string? after = null)
    {
        var seen = new List<CompanySummary>();
        for (var pages = 0; pages <= Names.Length; pages++)
        {
            var page = await InCultureAsync(culture, () => Handler().HandleAsync(new SearchCompanies.Request(Text: text, After: after, PageSize: pageSize), Coordinator));
            Assert.NotNull(page);
            seen.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return seen;
            }

            after = page.NextCursor;
        }

        Assert.Fail("The cursor never reached the end of the list.");
        return seen;
    }

    public static TheoryData<string, int, string[]> Orders() => new()
    {
        { "lt-LT", 1, Lithuanian },
        { "lt-LT", 5, Lithuanian },
        { "et-EE", 1, Estonian },
        { "et-EE", 4, Estonian },
        { "en-GB", 1, English },
        { "en-GB", 25, English },
    };

    [SkippableTheory]
    [MemberData(nameof(Orders))]
    public async Task Paging_through_the_list_shows_every_company_once_in_the_alphabet_of_the_users_language(string culture, int pageSize, string[] expected)
    {
        fixture.EnsureAvailable();

        var seen = await AllPagesAsync(culture, pageSize);

        Assert.Equal(expected, seen.Select(c => c.Name));
        Assert.Equal(companies.Select(c => c.Id).Order(), seen.Select(c => c.Id).Order());
    }

    [SkippableFact]
    public async Task A_list_started_in_Lithuanian_continues_in_Lithuanian_when_the_language_changes_and_starts_again_in_Estonian()
    {
        fixture.EnsureAvailable();
        var first = await InCultureAsync("lt-LT", () => Handler().HandleAsync(new SearchCompanies.Request(PageSize: 4), Coordinator));

        var rest = await AllPagesAsync("et-EE", 4, after: first!.NextCursor);
        var fresh = await InCultureAsync("et-EE", () => Handler().HandleAsync(new SearchCompanies.Request(PageSize: 4), Coordinator));

        Assert.Equal(Lithuanian, first.Items.Concat(rest).Select(c => c.Name));
        Assert.Equal(Estonian.Take(4), fresh!.Items.Select(c => c.Name));
    }

    [SkippableTheory]
    [InlineData("lt-LT")]
    [InlineData("et-EE")]
    public async Task The_search_still_finds_names_without_their_accents_and_pages_through_them_in_order(string culture)
    {
        fixture.EnsureAvailable();

        var silas = await AllPagesAsync(culture, 1, text: "silas");
        var zeme = await AllPagesAsync(culture, 1, text: "ZEME");
        var oun = await AllPagesAsync(culture, 1, text: "oun");

        Assert.Equal(["Šilas", "Šilas"], silas.Select(c => c.Name));
        Assert.Equal(2, silas.Select(c => c.Id).Distinct().Count());
        Assert.Equal(["Žemė"], zeme.Select(c => c.Name));
        Assert.Equal(["Õun"], oun.Select(c => c.Name));
    }

    [SkippableFact]
    public async Task Filters_keep_the_order_of_the_language()
    {
        fixture.EnsureAvailable();

        var lithuanianCompanies = await InCultureAsync("lt-LT", () => Handler().HandleAsync(new SearchCompanies.Request(Country: "LT"), Coordinator));
        var inEstonian = await InCultureAsync("et-EE", () => Handler().HandleAsync(new SearchCompanies.Request(Country: "LT"), Coordinator));

        // Šilas, Ąžuolas, Ivanas, Tamm, Zoom, Äär are the ones registered in Lithuania.
        Assert.Equal(["Äär", "Ąžuolas", "Ivanas", "Šilas", "Tamm", "Zoom"], lithuanianCompanies!.Items.Select(c => c.Name));
        Assert.Equal(["Ąžuolas", "Ivanas", "Šilas", "Zoom", "Tamm", "Äär"], inEstonian!.Items.Select(c => c.Name));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyNameOrderTests(SqliteFixture fixture) : CompanyNameOrderTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyNameOrderTests(PostgresFixture fixture) : CompanyNameOrderTests(fixture)
{
    /// <summary>The list's query in an order, explained by PostgreSQL over enough companies that sorting them all would cost.</summary>
    private async Task<string> PlanAsync(CompanySearch search)
    {
        var (sql, parameters) = CompanyStore.SearchQuery(search, fixture.Factory.Dialect);
        await using var c = await fixture.Factory.OpenAsync();
        return string.Join(Environment.NewLine, await c.QueryAsync<string>("EXPLAIN " + sql, parameters));
    }

    [SkippableFact]
    public async Task Each_language_reads_its_own_index_from_the_cursor_on()
    {
        fixture.EnsureAvailable();
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("""
                INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version)
                SELECT gen_random_uuid(), 'Įmonė ' || md5(i::text), 'LT', 'LT02', 'small', now(), now(), 1 FROM generate_series(1, 5000) AS i;
                ANALYZE companies;
                """);
        }

        // A page from the middle of the list: half of the companies follow the cursor.
        var lithuanian = NameOrder.Of("lt")!;
        var first = await PlanAsync(new CompanySearch { Order = lithuanian });
        var next = await PlanAsync(new CompanySearch { Order = lithuanian, After = new CompanyCursor("Įmonė 8", Guid.NewGuid(), lithuanian) });
        var estonian = await PlanAsync(new CompanySearch { Order = NameOrder.Of("et")!, After = new CompanyCursor("Įmonė 8", Guid.NewGuid()) });

        Assert.Contains("Index Scan using ix_companies_name_lt", first, StringComparison.Ordinal);
        Assert.Matches(@"Index Scan using ix_companies_name_lt[^\n]*\n\s*Index Cond: \(\(name\)::text >= ", next);
        Assert.Matches(@"Index Scan using ix_companies_name_et[^\n]*\n\s*Index Cond: \(\(name\)::text >= ", estonian);
        Assert.All(new[] { first, next, estonian }, plan => Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal));
    }
}

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerCompanyNameOrderTests(SqlServerFixture fixture) : CompanyNameOrderTests(fixture);
