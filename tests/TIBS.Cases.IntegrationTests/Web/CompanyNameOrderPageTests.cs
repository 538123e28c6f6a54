using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The company list page sorts names in the alphabet of the user's language, and its next page continues in it.</summary>
public sealed class CompanyNameOrderPageTests : IClassFixture<CompanyNameOrderPageTests.App>
{
    private const string Keyword = "alphabetcheck";

    private static readonly string[] Names =
        ["Šilas", "Zuikis", "Ąžuolas", "Yla", "Ivanas", "Žemė", "Tamm", "Sõber", "Zoom", "Õun", "Äär", .. Enumerable.Range(1, 15).Select(i => $"Zuikis {i:00}")];

    private static readonly string[] Hares = [.. Enumerable.Range(1, 15).Select(i => $"Zuikis {i:00}")];

    private readonly App app;

    public CompanyNameOrderPageTests(App app) => this.app = app;

    public sealed class App : IAsyncLifetime
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public async Task InitializeAsync()
        {
            // The page runs in the test's execution context, so the UI culture a test sets is the request's culture.
            Factory.Server.PreserveExecutionContext = true;
            var now = DateTimeOffset.UtcNow;
            await Factory.Services.GetRequiredService<ICompanyStore>().InsertManyAsync([.. Names.Select(name => new Company
            {
                Id = Guid.NewGuid(),
                Name = name,
                CountryCode = "LT",
                RegionCode = "LT02",
                SizeClass = SizeClasses.Small,
                Keywords = Keyword,
                CreatedAt = now,
                UpdatedAt = now,
            })]);
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    public static TheoryData<string, string[]> Orders() => new()
    {
        { "lt-LT", ["Äär", "Ąžuolas", "Yla", "Ivanas", "Õun", "Sõber", "Šilas", "Tamm", "Zoom", "Zuikis", .. Hares, "Žemė"] },
        { "et-EE", ["Ąžuolas", "Ivanas", "Sõber", "Šilas", "Zoom", "Zuikis", .. Hares, "Žemė", "Tamm", "Õun", "Äär", "Yla"] },
        { "en-GB", ["Äär", "Ąžuolas", "Ivanas", "Õun", "Šilas", "Sõber", "Tamm", "Yla", "Žemė", "Zoom", "Zuikis", .. Hares] },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task The_list_and_its_next_page_follow_the_alphabet_of_the_users_language(string culture, string[] expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var client = await app.Factory.SignedInAsync("coordinator@tibs.example");
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture); // the request's language decides, as for a user
            var first = await client.GetDocumentAsync($"/companies?q={Keyword}");
            var next = first.QuerySelector("#next-page")?.GetAttribute("href");
            Assert.NotNull(next);
            var second = await client.GetDocumentAsync(next);

            var names = first.QuerySelectorAll("a.company-link").Concat(second.QuerySelectorAll("a.company-link")).Select(a => a.TextContent);
            Assert.Equal(25, first.QuerySelectorAll("a.company-link").Length);
            Assert.Equal(expected, names);
            Assert.Null(second.QuerySelector("#next-page"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
