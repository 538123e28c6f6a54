using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The case list pages by keyset (the last row's opening time and id): a page follows the previous one exactly, with
/// no case shown twice or skipped, even when cases are opened between pages or several were opened at the same moment.
/// </summary>
public abstract class CaseListPagingTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Pages_show_every_case_once_while_cases_are_opened_between_them()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        for (var i = 0; i < 8; i++)
        {
            await env.OpenCaseAsync();
            if (i % 3 != 0)
            {
                // Some cases share their opening moment: the id decides their order.
                env.Time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        var queries = new CaseQueries(fixture.Factory);
        Task<IReadOnlyList<CaseListItem>> Page(CaseFilter filter) => queries.SearchAsync(filter with { Take = 3 }, env.Coordinator, env.Time.GetUtcNow());
        var before = await queries.SearchAsync(new CaseFilter { Take = 100 }, env.Coordinator, env.Time.GetUtcNow());

        var seen = new List<Guid>();
        var filter = new CaseFilter();
        while (true)
        {
            var page = await Page(filter);
            seen.AddRange(page.Select(c => c.Id));
            if (page.Count < 3)
            {
                break;
            }

            // Someone opens a case while the list is being read: it is newer, so it belongs before the pages already read.
            env.Time.Advance(TimeSpan.FromMinutes(1));
            await env.OpenCaseAsync();
            var last = page[^1];
            filter = new CaseFilter { After = CaseListCursor.Parse(CaseListCursor.Format(last)) };
        }

        Assert.Equal(8, before.Count);
        Assert.Equal(before.Select(c => c.Id), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(10, (await queries.SearchAsync(new CaseFilter { Take = 100 }, env.Coordinator, env.Time.GetUtcNow())).Count);
    }

    [SkippableFact]
    public async Task Filtered_pages_keep_the_filter_and_follow_each_other()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        for (var i = 0; i < 5; i++)
        {
            await env.OpenCaseAsync();
            env.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var queries = new CaseQueries(fixture.Factory);
        var filter = new CaseFilter { Region = "LV008", Status = CaseStatus.Active, Text = "lv008", Take = 2 };
        var first = await queries.SearchAsync(filter, env.LatvianBroker, env.Time.GetUtcNow());
        var second = await queries.SearchAsync(filter with { After = (first[^1].OpenedAt, first[^1].Id) }, env.LatvianBroker, env.Time.GetUtcNow());
        var third = await queries.SearchAsync(filter with { After = (second[^1].OpenedAt, second[^1].Id) }, env.LatvianBroker, env.Time.GetUtcNow());
        var all = await queries.SearchAsync(filter with { Take = 10 }, env.LatvianBroker, env.Time.GetUtcNow());

        Assert.Equal(5, all.Count);
        Assert.Equal(all.Select(c => c.Id), first.Concat(second).Concat(third).Select(c => c.Id));
        Assert.Single(third);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseListPagingTests(SqliteFixture fixture) : CaseListPagingTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseListPagingTests(PostgresFixture fixture) : CaseListPagingTests(fixture);
