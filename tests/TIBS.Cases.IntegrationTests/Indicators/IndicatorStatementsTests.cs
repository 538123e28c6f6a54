using Dapper;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Data.Indicators;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Indicators;

/// <summary>
/// The indicator statements that read index ranges give every figure the statements that read whole tables gave
/// (<see cref="PreviousIndicatorQueries"/>): the indicators in total and by each breakdown, the cases behind each
/// figure, the cross-border pairs, the strategies per year, the agreement types and the time per stage, under each
/// filter the page offers, on varied generated programmes.
/// </summary>
public abstract class IndicatorStatementsTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every filter the page offers, alone and together, including periods that cut through a year and an empty one.</summary>
    private static IEnumerable<IndicatorFilter> Filters(IndicatorWorld world, Guid organisation)
    {
        var region = world.Cases[5].Region;
        yield return IndicatorFilter.All;
        yield return new IndicatorFilter(RegionCode: region);
        yield return new IndicatorFilter(CountryCode: world.Cases[6].Country);
        yield return new IndicatorFilter(S3Area: IndicatorWorld.S3Areas[1]);
        yield return new IndicatorFilter(OrganisationId: organisation);
        yield return new IndicatorFilter(OrganisationId: Guid.NewGuid());
        yield return new IndicatorFilter(From: new DateOnly(2025, 3, 15));
        yield return new IndicatorFilter(To: new DateOnly(2025, 9, 30));
        yield return new IndicatorFilter(From: new DateOnly(2025, 1, 1), To: new DateOnly(2025, 12, 31));
        yield return new IndicatorFilter(From: new DateOnly(2030, 1, 1));
        yield return new IndicatorFilter(RegionCode: region, S3Area: IndicatorWorld.S3Areas[0], From: new DateOnly(2024, 6, 1), To: new DateOnly(2026, 6, 30));
        yield return new IndicatorFilter(CountryCode: world.Cases[7].Country, OrganisationId: organisation, From: new DateOnly(2025, 7, 1));
    }

    private static string Show<T>(IEnumerable<T> rows) => string.Join("\n", rows.Select(r => r?.ToString()));

    private static string ShowValues(IEnumerable<IndicatorValue> values) =>
        Show(values.OrderBy(v => v.Code, StringComparer.Ordinal).ThenBy(v => v.Group, StringComparer.Ordinal));

    private static string ShowStages(IEnumerable<StageDuration> stages) =>
        Show(stages.Select(s => $"{s.StageKey} {s.Cases} {Math.Round(s.MedianDays, 6)}"));

    [SkippableTheory]
    [InlineData(20261204, 48)]
    [InlineData(7, 90)]
    [InlineData(1913, 24)]
    public async Task Every_figure_of_the_page_is_the_same_as_before_under_every_filter(int seed, int cases)
    {
        fixture.EnsureAvailable();
        var world = IndicatorWorld.Generate(seed, cases);
        await world.WriteAsync(fixture.Factory);
        var organisation = Guid.NewGuid();
        await using (var c = await fixture.Factory.OpenAsync())
        {
            // The broker belongs to a partner organisation, so that the organisation filter keeps the cases.
            await c.ExecuteAsync(
                "INSERT INTO organisations (id, name, name_key, kind, country_code, is_archived, version, created_at, updated_at) VALUES (@organisation, 'Latvian Chamber', 'latvian chamber', 'chamber', 'LV', @no, 1, @Now, @Now)",
                new { organisation, no = false, world.Now });
            await c.ExecuteAsync("UPDATE users SET organisation_id = @organisation WHERE role = 'broker'", new { organisation });
        }

        var now = new IndicatorQueries(fixture.Factory);
        var before = new PreviousIndicatorQueries(fixture.Factory);
        var compared = 0;
        foreach (var filter in Filters(world, organisation))
        {
            foreach (var by in Enum.GetValues<IndicatorDimension>().Cast<IndicatorDimension?>().Prepend(null))
            {
                var expected = await before.CountAsync(filter, by);
                Assert.Equal(ShowValues(expected), ShowValues(await now.CountAsync(filter, by)));
                compared += expected.Count(v => v.Value > 0);
            }

            Assert.Equal(Show(await before.CountryPairsAsync(filter)), Show(await now.CountryPairsAsync(filter)));
            Assert.Equal(Show(await before.StrategiesAsync(filter)), Show(await now.StrategiesAsync(filter)));
            Assert.Equal(Show(await before.AgreementTypesAsync(filter)), Show(await now.AgreementTypesAsync(filter)));
            Assert.Equal(ShowStages(await before.StageDurationsAsync(filter)), ShowStages(await now.StageDurationsAsync(filter)));
        }

        // The figures compared are not all empty: the generated programme reaches every milestone and several years.
        Assert.True(compared > 50, $"only {compared} figures above zero were compared");
        Assert.True((await now.StrategiesAsync(IndicatorFilter.All)).Count >= 2);
    }

    /// <summary>
    /// The strategies per year are counts the writes keep: after cases are opened, completed, withdrawn, reopened, moved
    /// to another region or opening day or deleted, and after the counts are folded, they are still what the cases give.
    /// </summary>
    [SkippableFact]
    public async Task The_strategies_per_year_follow_every_write_that_changes_them()
    {
        fixture.EnsureAvailable();
        var world = IndicatorWorld.Generate(20261206, 48);
        await world.WriteAsync(fixture.Factory);
        var organisation = Guid.NewGuid();
        var now = new IndicatorQueries(fixture.Factory);
        var before = new PreviousIndicatorQueries(fixture.Factory);
        async Task CompareAsync(string after)
        {
            foreach (var filter in Filters(world, organisation))
            {
                Assert.True(Show(await before.StrategiesAsync(filter)) == Show(await now.StrategiesAsync(filter)), $"after {after}, under {filter}");
            }
        }

        await CompareAsync("writing the programme");
        var open = world.Cases.Where(x => x.Closed is null).ToList();
        var completed = world.Cases.First(x => x.Progress == IndicatorWorld.Progress.Completed);
        var withdrawn = world.Cases.First(x => x.Progress == IndicatorWorld.Progress.WithdrawnSigned);
        var source = world.Cases[0].Id;
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO organisations (id, name, name_key, kind, country_code, is_archived, version, created_at, updated_at) VALUES (@organisation, 'Latvian Chamber', 'latvian chamber', 'chamber', 'LV', @no, 1, @Now, @Now)",
            new { organisation, no = false, world.Now });
        await c.ExecuteAsync("UPDATE users SET organisation_id = @organisation WHERE role = 'broker'", new { organisation });
        var added = new List<Guid>();
        foreach (var (n, opened) in new[] { new DateTimeOffset(2024, 12, 31, 23, 59, 0, TimeSpan.Zero), new DateTimeOffset(2025, 3, 15, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero) }.Select((o, n) => (n, o)))
        {
            var id = Guid.CreateVersion7();
            added.Add(id);
            await c.ExecuteAsync(
                """
                INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                    step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                SELECT @id, @reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, 'active', 'intake',
                    @opened, NULL, data, 1, audit_head_hash, 0, @opened, @opened
                FROM cases WHERE id = @source
                """,
                new { id, reference = $"NEW-2026-{n:D5}", opened, source });
        }

        await CompareAsync("opening cases");
        var close = "UPDATE cases SET status = 'closed', current_step = @step, closed_at = @at, version = version + 1 WHERE id = @id";
        await c.ExecuteAsync(close, new { step = "completed", at = new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero), id = open[0].Id });
        await c.ExecuteAsync(close, new { step = "withdrawn", at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), id = open[1].Id });
        await c.ExecuteAsync(close, new { step = "completed", at = new DateTimeOffset(2025, 9, 30, 12, 0, 0, TimeSpan.Zero), id = added[1] });
        await CompareAsync("completing and withdrawing cases");
        await c.ExecuteAsync("UPDATE cases SET current_step = 'matching', version = version + 1 WHERE id = @id", new { id = open[2].Id });
        foreach (var id in new[] { completed.Id, withdrawn.Id })
        {
            await c.ExecuteAsync("UPDATE cases SET status = 'active', current_step = 'final-evaluation', closed_at = NULL WHERE id = @id", new { id });
        }
        await CompareAsync("moving a case on and reopening cases");
        var elsewhere = IndicatorWorld.Regions.Keys.First(r => r != open[3].Region);
        foreach (var id in new[] { open[3].Id, added[1], world.Cases.First(x => x.Closed is not null && x.Progress != IndicatorWorld.Progress.Completed).Id })
        {
            await c.ExecuteAsync("UPDATE cases SET region_code = @elsewhere WHERE id = @id", new { elsewhere, id });
        }
        await CompareAsync("moving cases to another region");
        await c.ExecuteAsync("UPDATE cases SET opened_at = @opened WHERE id = @id", new { opened = new DateTimeOffset(2023, 6, 1, 9, 0, 0, TimeSpan.Zero), id = open[4].Id });
        await c.ExecuteAsync("UPDATE cases SET step_due_at = updated_at, version = version + 1 WHERE status <> 'closed'");
        await CompareAsync("moving a case's opening to another year and updating every open case");
        foreach (var id in added.Take(2))
        {
            await c.ExecuteAsync("DELETE FROM cases WHERE id = @id", new { id });
        }
        await CompareAsync("deleting cases");
        await new CoordinationQueries(fixture.Factory).FoldCountsAsync();
        await CompareAsync("folding the counts");
        Assert.Equal(
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT DISTINCT region_code, on_day FROM strategy_counts) d"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM strategy_counts"));
    }

    [SkippableFact]
    public async Task The_cases_behind_each_figure_are_the_same_as_before()
    {
        fixture.EnsureAvailable();
        var world = IndicatorWorld.Generate(20261205, 60);
        await world.WriteAsync(fixture.Factory);
        var now = new IndicatorQueries(fixture.Factory);
        var before = new PreviousIndicatorQueries(fixture.Factory);
        var groups = new (IndicatorDimension? By, string? Group)[]
        {
            (null, null), (IndicatorDimension.Region, world.Cases[3].Region), (IndicatorDimension.Country, world.Cases[4].Country),
            (IndicatorDimension.S3Area, IndicatorWorld.S3Areas[2]), (IndicatorDimension.Year, "2025"),
        };
        foreach (var indicator in IndicatorCatalog.All)
        {
            foreach (var (by, group) in groups)
            {
                var expected = await before.CasesAsync(IndicatorFilter.All, indicator.Code, by, group, 500);
                var actual = await now.CasesAsync(IndicatorFilter.All, indicator.Code, by, group, 500);
                Assert.Equal(Rows(expected), Rows(actual));
            }
        }
    }

    /// <summary>The rows in their order, with rows that tie on the page's order (same time, case and company name) in a fixed order.</summary>
    private static string Rows(IEnumerable<IndicatorCase> rows) => Show(rows
        .GroupBy(r => (r.CountedAt, r.Reference, r.CompanyName)).SelectMany(g => g.OrderBy(r => r.CompanyId))
        .Select(r => (r.CaseId, r.Reference, r.CompanyId, r.CompanyName, r.CountedAt.ToUniversalTime(), r.Amount)));

    [SkippableFact]
    public async Task An_empty_programme_has_no_figures_and_no_years()
    {
        fixture.EnsureAvailable();
        var now = new IndicatorQueries(fixture.Factory);
        Assert.Empty(await now.StrategiesAsync(IndicatorFilter.All));
        Assert.Empty(await now.CountryPairsAsync(IndicatorFilter.All));
        Assert.Empty(await now.AgreementTypesAsync(IndicatorFilter.All));
        Assert.Empty(await now.StageDurationsAsync(IndicatorFilter.All));
        Assert.All(await now.CountAsync(IndicatorFilter.All, IndicatorDimension.Year), v => Assert.Equal(0, v.Value));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteIndicatorStatementsTests(SqliteFixture fixture) : IndicatorStatementsTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresIndicatorStatementsTests(PostgresFixture fixture) : IndicatorStatementsTests(fixture);
