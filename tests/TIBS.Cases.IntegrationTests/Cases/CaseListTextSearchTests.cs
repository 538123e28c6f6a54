using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Text;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The case list's text search finds a case by its reference or title and by its lead company's name, accents and case
/// ignored. Its pages are exactly the pages of the whole list narrowed to those cases: the same cases, newest first, the
/// id ordering cases opened at the same moment, a case matching on both its title and its company once, and each page
/// starting right after the previous one.
/// </summary>
public abstract class CaseListTextSearchTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableTheory]
    [InlineData("lodz")]
    [InlineData("ŁÓDŹ")]
    [InlineData(" Lodz ")]
    public async Task Pages_of_a_search_are_the_matching_cases_of_the_whole_list_in_its_order(string term)
    {
        fixture.EnsureAvailable();
        var (env, expected) = await OpenMatchingAndOtherCasesAsync();
        var queries = new CaseQueries(fixture.Factory);
        var now = env.Time.GetUtcNow();

        var paged = new List<CaseListItem>();
        var filter = new CaseFilter { Text = term, Take = 3 };
        while (true)
        {
            var page = await queries.SearchAsync(filter, env.Coordinator, now);
            paged.AddRange(page);
            if (page.Count < 3)
            {
                break;
            }

            filter = filter with { After = CaseListCursor.Parse(CaseListCursor.Format(page[^1])) };
        }

        var onePage = await queries.SearchAsync(new CaseFilter { Text = term, Take = 100 }, env.Coordinator, now);

        Assert.Equal(expected, paged.Select(c => c.Id));
        Assert.Equal(expected, onePage.Select(c => c.Id));
        Assert.Equal(paged.Select(c => (c.Reference, c.Title, c.LeadCompanyName, c.OwnerName)), onePage.Select(c => (c.Reference, c.Title, c.LeadCompanyName, c.OwnerName)));
    }

    [SkippableFact]
    public async Task A_search_with_other_filters_keeps_them_on_every_page_and_for_each_reader()
    {
        fixture.EnsureAvailable();
        var (env, expected) = await OpenMatchingAndOtherCasesAsync();
        var queries = new CaseQueries(fixture.Factory);
        var now = env.Time.GetUtcNow();
        var filter = new CaseFilter { Text = "LODZ", Region = "LV008", Status = CaseStatus.Active, Take = 6 };

        var first = await queries.SearchAsync(filter, env.LatvianBroker, now);
        var second = await queries.SearchAsync(filter with { After = (first[^1].OpenedAt, first[^1].Id) }, env.LatvianBroker, now);
        var third = await queries.SearchAsync(filter with { After = (second[^1].OpenedAt, second[^1].Id) }, env.LatvianBroker, now);

        Assert.Equal(expected, first.Concat(second).Concat(third).Select(c => c.Id));
        Assert.Equal([6, 6, 4], [first.Count, second.Count, third.Count]);
        Assert.Empty(await queries.SearchAsync(filter, env.GermanBroker, now));
        Assert.Empty(await queries.SearchAsync(filter with { Region = "DE60" }, env.LatvianBroker, now));
    }

    [SkippableTheory]
    [InlineData("{0}")]
    [InlineData(" {1} ")]
    [InlineData("{2}")]
    public async Task A_reference_finds_its_case_and_the_titles_that_quote_it_not_the_cases_that_share_its_year_or_number(string form)
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var first = await env.Service.OpenCaseAsync(env.Lead.Id, "Wood export", env.LatvianBroker);
        Assert.True(first.Succeeded, first.Message);
        var reference = first.Case!.Reference;
        var parts = reference.Split('-');
        string[] titles =
        [
            $"Follow-up of {reference}",
            $"Follow-up of {reference.ToLowerInvariant()} with a Danish partner",
            $"Number {parts[2]} of {parts[1]} in {parts[0]}",
            $"{parts[1]} {parts[2]}",
            "Furniture cluster",
        ];
        foreach (var title in titles)
        {
            env.Time.Advance(TimeSpan.FromMinutes(1));
            var opened = await env.Service.OpenCaseAsync(env.Lead.Id, title, env.LatvianBroker);
            Assert.True(opened.Succeeded, opened.Message);
        }

        var term = string.Format(System.Globalization.CultureInfo.InvariantCulture, form, reference, reference.ToLowerInvariant(), $"{parts[1]}-{parts[2]}");
        var queries = new CaseQueries(fixture.Factory);
        var found = await queries.SearchAsync(new CaseFilter { Text = term, Take = 50 }, env.Coordinator, env.Time.GetUtcNow());

        // The case itself and the two titles quoting its reference; not the titles holding its year and number apart.
        Assert.Equal(
            [$"Follow-up of {reference.ToLowerInvariant()} with a Danish partner", $"Follow-up of {reference}", "Wood export"],
            found.Select(c => c.Title));
        Assert.Equal(reference, found[^1].Reference);
    }

    /// <summary>
    /// Cases whose title matches "lodz", whose lead company's name matches, both, or neither, two at a time opened at
    /// the same moment; returns the matching ones in the whole list's order (read without the search).
    /// </summary>
    private async Task<(CaseEnvironment Env, List<Guid> Expected)> OpenMatchingAndOtherCasesAsync()
    {
        var env = await CaseEnvironment.CreateAsync(fixture);
        var lodz = await env.CompanyAsync("Łódź Meble", "LV", "LV008");
        var upper = await env.CompanyAsync("MEBLE LODZ", "LV", "LV008");
        (Guid Lead, string Title)[] kinds =
        [
            (env.Lead.Id, "Wood export"),
            (lodz.Id, "Furniture cluster"),
            (env.Lead.Id, "Export to the Łodź region"),
            (upper.Id, "Lodzkie furniture network"),
        ];
        for (var i = 0; i < 22; i++)
        {
            var (lead, title) = kinds[i % kinds.Length];
            var opened = await env.Service.OpenCaseAsync(lead, title, env.LatvianBroker);
            Assert.True(opened.Succeeded, opened.Message);
            if (i % 2 == 1)
            {
                env.Time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        var all = await new CaseQueries(fixture.Factory).SearchAsync(new CaseFilter { Take = 200 }, env.Coordinator, env.Time.GetUtcNow());
        bool Matches(string? text) => SearchText.Fold(text).Contains("lodz", StringComparison.Ordinal);
        var expected = all.Where(c => Matches(c.Reference) || Matches(c.Title) || Matches(c.LeadCompanyName)).ToList();

        // Matches through the title only, the company only and both; several opened at the same moment.
        Assert.Equal(22, all.Count);
        Assert.Equal(16, expected.Count);
        Assert.Contains(expected, c => Matches(c.Title) && !Matches(c.LeadCompanyName));
        Assert.Contains(expected, c => !Matches(c.Title) && Matches(c.LeadCompanyName));
        Assert.Contains(expected, c => Matches(c.Title) && Matches(c.LeadCompanyName));
        Assert.True(expected.GroupBy(c => c.OpenedAt).Count() < expected.Count);
        return (env, [.. expected.Select(c => c.Id)]);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseListTextSearchTests(SqliteFixture fixture) : CaseListTextSearchTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseListTextSearchTests(PostgresFixture fixture) : CaseListTextSearchTests(fixture);
