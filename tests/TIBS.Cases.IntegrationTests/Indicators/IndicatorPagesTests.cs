using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Definitions;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Indicators;

/// <summary>
/// Evaluators and coordinators read the indicators page: its table gives the figures the SQL computes, each figure
/// leads to the cases it counts, a filter narrows them, wrong filters are told; time in step shows a table and heat on
/// the diagram. Brokers and administrators are refused.
/// </summary>
public abstract class IndicatorPagesTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task Evaluators_see_each_figure_drill_into_its_cases_and_filter_them()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var evaluator = await SignedInAsync(factory, "evaluator@tibs.example");
        var world = IndicatorWorld.Generate(seed: 7);
        await world.WriteAsync(factory.Services.GetRequiredService<IDbConnectionFactory>());
        var queries = factory.Services.GetRequiredService<IIndicatorQueries>();
        var totals = await queries.CountAsync(IndicatorFilter.All, IndicatorDimension.Region);

        var page = await evaluator.GetDocumentAsync("/indicators?by=region");
        foreach (var indicator in IndicatorCatalog.All)
        {
            var cell = page.QuerySelector($"#indicator-table tr[data-indicator='{indicator.Code}'] td[data-value='total']")!;
            Assert.Equal((totals.SingleOrDefault(v => v.Code == indicator.Code && v.Group == "")?.Value ?? 0).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cell.TextContent.Trim());
        }

        Assert.Contains(page.QuerySelectorAll("nav.mainnav a"), a => a.GetAttribute("href") == "/indicators");
        Assert.NotNull(page.QuerySelector("canvas.indicator-chart[data-chart]"));
        Assert.NotNull(page.QuerySelector("#country-matrix td.same-country"));

        var region = world.Cases[2].Region;
        var link = page.QuerySelector($"#indicator-table tr[data-indicator='RCO87'] td[data-group='{region}'] a")
            ?? page.QuerySelector($"#indicator-table tr[data-indicator='RCO01'] td[data-group='{region}'] a")!;
        var code = link.Closest("tr")!.GetAttribute("data-indicator")!;
        var drill = await evaluator.GetDocumentAsync(link.GetAttribute("href")!);
        var expected = await queries.CasesAsync(new IndicatorFilter(RegionCode: region), code, null, null, 1000);
        Assert.Equal(expected.Select(e => e.CaseId.ToString()).Order(), drill.QuerySelectorAll("#counted-cases tbody tr").Select(r => r.GetAttribute("data-case")!).Order());
        Assert.Equal(totals.Single(v => v.Code == code && v.Group == region).Value.ToString(System.Globalization.CultureInfo.InvariantCulture), drill.QuerySelector("#figure")!.TextContent);

        var s3 = IndicatorWorld.S3Areas[1];
        var filtered = await evaluator.GetDocumentAsync($"/indicators?s3={s3}");
        var s3Totals = await queries.CountAsync(new IndicatorFilter(S3Area: s3), null);
        Assert.Equal(
            (s3Totals.SingleOrDefault(v => v.Code == "RCO01")?.Value ?? 0).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            filtered.QuerySelector("#indicator-table tr[data-indicator='RCO01'] td[data-value='total']")!.TextContent.Trim());

        var wrong = await evaluator.GetDocumentAsync("/indicators?region=XX99&from=2026-13-01&to=2020-01-01&by=planet");
        Assert.Equal(["region", "from", "by"], wrong.QuerySelectorAll("#filter-errors li").Select(li => li.GetAttribute("data-field")!));
        Assert.Null(wrong.QuerySelector("#indicator-table"));
    }

    [SkippableFact]
    public async Task Time_in_step_shows_each_step_of_a_version_with_heat_on_the_diagram_exports_equal_the_figures_and_only_evaluators_and_coordinators_see_them()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var coordinator = await SignedInAsync(factory, "coordinator@tibs.example");
        var broker = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var administrator = await SignedInAsync(factory, "admin@tibs.example");
        var world = IndicatorWorld.Generate(seed: 11);
        await world.WriteAsync(factory.Services.GetRequiredService<IDbConnectionFactory>());
        var times = await factory.Services.GetRequiredService<IIndicatorQueries>().StepTimesAsync("joint-smart-strategy", DateTimeOffset.UtcNow);

        var page = await coordinator.GetDocumentAsync("/indicators/time-in-step?version=2");
        var rows = page.QuerySelectorAll("#time-in-step tbody tr").Select(r => r.GetAttribute("data-step")!).ToList();
        Assert.Equal(times.Where(t => t.Version == 2).Select(t => t.StepKey).Order(), rows.Order());
        Assert.Contains("classDef heat", page.QuerySelector("pre.mermaid")!.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.QuerySelectorAll("#heat-legend li"));
        var missing = await coordinator.GetDocumentAsync("/indicators/time-in-step?version=99");
        Assert.Contains("no published version 99", missing.QuerySelector("#version-error")!.TextContent, StringComparison.Ordinal);

        // The exports are the same figures as tables (the CSV/XLSX writers take them as they are).
        var exports = factory.Services.GetRequiredService<IndicatorExports>();
        var evaluator = new Actor(Guid.NewGuid(), WorkflowRole.Evaluator, null);
        var indicatorRows = await RowsAsync((await exports.IndicatorsAsync(evaluator, new ProgrammeIndicators.Input(By: "year"))).Table!);
        var byYear = await factory.Services.GetRequiredService<IIndicatorQueries>().CountAsync(IndicatorFilter.All, IndicatorDimension.Year);
        Assert.Equal(byYear.Count(v => v.Value > 0), indicatorRows.Count(r => (long)r[6]! > 0));
        Assert.All(byYear, v => Assert.Contains(indicatorRows, r => (string)r[0]! == v.Code && (long)r[6]! == v.Value));
        var stepRows = await RowsAsync((await exports.TimeInStepAsync(evaluator, 2)).Table!);
        Assert.Equal(times.Where(t => t.Version == 2).Select(t => (t.StepKey, t.SentBack)).Order(), stepRows.Select(r => ((string)r[3]!, (long)r[10]!)).Order());
        var monitoring = await exports.MonitoringTableAsync(evaluator, new ProgrammeIndicators.Input());
        var monitoringRows = await RowsAsync(monitoring.Table!);
        Assert.Equal(IndicatorExports.MonitoringColumns.Count, monitoringRows[0].Length);
        var byRegion = await factory.Services.GetRequiredService<IIndicatorQueries>().CountAsync(IndicatorFilter.All, IndicatorDimension.Region);
        Assert.All(byRegion.Where(v => v.Group != ""), v => Assert.Contains(monitoringRows, r => (string)r[0]! == v.Group && (string)r[5]! == v.Code && (long)r[8]! == v.Value && (long)r[9]! == v.Value));
        Assert.All(monitoringRows.Where(r => (long)r[8]! > 0 && (string)r[7]! == "organisations"), r => Assert.NotEqual("", (string)r[10]!));
        Assert.False((await exports.IndicatorsAsync(new Actor(Guid.NewGuid(), WorkflowRole.Broker, "LV008"), new ProgrammeIndicators.Input())).Allowed);
        Assert.Equal("from", Assert.Single((await exports.MonitoringTableAsync(evaluator, new ProgrammeIndicators.Input(From: "yesterday"))).Errors).Field);

        foreach (var (client, url) in new[] { (broker, "/indicators"), (administrator, "/indicators/time-in-step"), (administrator, "/indicators/cases?indicator=RCO01") })
        {
            var refused = await client.GetAsync(url);
            Assert.Equal("/account/access-denied", refused.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }

    private static async Task<List<object?[]>> RowsAsync(TIBS.Cases.Core.Exports.ExportTable table)
    {
        var rows = new List<object?[]>();
        await foreach (var row in table.Rows)
        {
            Assert.Equal(table.Columns.Count, row.Length);
            rows.Add(row);
        }

        return rows;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteIndicatorPagesTests(SqliteFixture fixture) : IndicatorPagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresIndicatorPagesTests(PostgresFixture fixture) : IndicatorPagesTests(fixture);
