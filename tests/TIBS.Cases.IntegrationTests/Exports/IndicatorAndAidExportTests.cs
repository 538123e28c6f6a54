using System.Net;
using System.Net.Http.Headers;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Indicators;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Exports;

/// <summary>
/// The indicator tables (indicators, monitoring table, time in step) and a company's de minimis records as downloads:
/// read back from CSV and XLSX, through the API (Accept) and the pages' links, they equal the rows the Core exports
/// give; brokers are refused the indicators (403 through the API) as on the pages.
/// </summary>
public abstract class IndicatorAndAidExportTests(DatabaseFixture fixture)
{
    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return request;
    }

    /// <summary>The rows of an export as the Core gives them, written as CSV text cells (the expected read-back).</summary>
    private static async Task<List<string[]>> ExpectedAsync(ExportTable table)
    {
        var rows = new List<string[]>();
        await foreach (var row in table.Rows)
        {
            rows.Add([.. row.Select((v, i) => ExportCells.CsvText(table.Columns[i], v) ?? "")]);
        }

        return rows;
    }

    private static async Task<List<string[]>> CsvAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CsvExportWriter.MediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        return ExportWriterTests.ReadCsv(await response.Content.ReadAsByteArrayAsync());
    }

    private static List<string[]> XlsxText(byte[] bytes, int columns)
    {
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheets.Single();
        return [.. Enumerable.Range(1, sheet.LastRowUsed().RowNumber()).Select(r => Enumerable.Range(1, columns).Select(c => sheet.Cell(r, c).GetString()).ToArray())];
    }

    [SkippableFact]
    public async Task Indicators_monitoring_table_and_time_in_step_download_from_the_pages_and_the_api_with_the_figures_of_the_exports_and_brokers_are_refused()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        await IndicatorWorld.Generate(seed: 5).WriteAsync(factory.Services.GetRequiredService<IDbConnectionFactory>());
        var exports = factory.Services.GetRequiredService<IndicatorExports>();
        var evaluator = await factory.UserAsync("evaluator@tibs.example");
        var actor = new Actor(evaluator.Id, WorkflowRole.Evaluator, null);
        var api = factory.ApiClient(await factory.TokenAsync("evaluator@tibs.example"));
        var browser = await CaseForms.SignedInAsync(factory, "evaluator@tibs.example");

        // The indicators broken down by region: the page's link keeps the filters; the API gives the same rows.
        var input = new ProgrammeIndicators.Input(By: "region");
        var indicators = await ExpectedAsync((await exports.IndicatorsAsync(actor, input)).Table!);
        Assert.Contains(indicators, r => r[4] != "");
        var page = await browser.GetDocumentAsync("/indicators?by=region");
        Assert.Equal("Download indicators (CSV)", page.QuerySelector("#indicators-csv")!.TextContent.Trim());
        var link = page.QuerySelector("#indicators-csv")!.GetAttribute("href")!;
        Assert.Contains("by=region", link, StringComparison.OrdinalIgnoreCase);
        var fromPage = await CsvAsync(await browser.GetAsync(link));
        Assert.Equal(IndicatorExports.IndicatorColumnsList.Select(c => c.Header), fromPage[0]);
        Assert.Equal(indicators, fromPage.Skip(1));
        Assert.Equal(indicators, (await CsvAsync(await api.SendAsync(Get("/api/v1/indicators?by=region", "text/csv")))).Skip(1));
        var xlsx = await api.SendAsync(Get("/api/v1/indicators?by=region", XlsxExportWriter.MediaType));
        Assert.Equal(XlsxExportWriter.MediaType, xlsx.Content.Headers.ContentType!.MediaType);
        var xlsxRows = XlsxText(await xlsx.Content.ReadAsByteArrayAsync(), IndicatorExports.IndicatorColumnsList.Count);
        Assert.Equal(indicators.Select(r => r[..7]), xlsxRows.Skip(1).Select(r => r[..7]));
        var pageXlsx = await browser.GetAsync(page.QuerySelector("#indicators-xlsx")!.GetAttribute("href")!);
        Assert.Equal(XlsxExportWriter.MediaType, pageXlsx.Content.Headers.ContentType!.MediaType);
        using (var json = System.Text.Json.JsonDocument.Parse(await (await api.GetAsync("/api/v1/indicators?by=region")).Content.ReadAsStringAsync()))
        {
            Assert.Equal(IndicatorExports.IndicatorColumnsList.Count, json.RootElement.GetProperty("columns").GetArrayLength());
            Assert.Equal(indicators.Count, json.RootElement.GetProperty("rows").GetArrayLength());
        }

        // The monitoring table of the filters on the page.
        var monitoring = await ExpectedAsync((await exports.MonitoringTableAsync(actor, new ProgrammeIndicators.Input(From: "2020-01-01"))).Table!);
        var filtered = await browser.GetDocumentAsync("/indicators?from=2020-01-01");
        Assert.Equal("Monitoring table (CSV)", filtered.QuerySelector("#monitoring-csv")!.TextContent.Trim());
        var monitoringCsv = await CsvAsync(await browser.GetAsync(filtered.QuerySelector("#monitoring-csv")!.GetAttribute("href")!));
        Assert.Equal(IndicatorExports.MonitoringColumns.Select(c => c.Header), monitoringCsv[0]);
        Assert.Equal(monitoring, monitoringCsv.Skip(1));
        Assert.All(monitoringCsv.Skip(1), r => Assert.Equal("2020-01-01", r[2]));
        Assert.Equal(monitoring, (await CsvAsync(await api.SendAsync(Get("/api/v1/indicators/monitoring?from=2020-01-01", "text/csv")))).Skip(1));
        var monitoringXlsx = await api.SendAsync(Get("/api/v1/indicators/monitoring?from=2020-01-01", XlsxExportWriter.MediaType));
        Assert.Equal(monitoring.Select(r => r[..2]), XlsxText(await monitoringXlsx.Content.ReadAsByteArrayAsync(), 2).Skip(1));

        // Time in step of version 2.
        var steps = await ExpectedAsync((await exports.TimeInStepAsync(actor, 2)).Table!);
        Assert.NotEmpty(steps);
        var timePage = await browser.GetDocumentAsync("/indicators/time-in-step?version=2");
        Assert.Equal("Download time in step (CSV)", timePage.QuerySelector("#time-in-step-csv")!.TextContent.Trim());
        var stepsCsv = await CsvAsync(await browser.GetAsync(timePage.QuerySelector("#time-in-step-csv")!.GetAttribute("href")!));
        Assert.Equal(IndicatorExports.TimeInStepColumns.Select(c => c.Header), stepsCsv[0]);
        Assert.Equal(steps, stepsCsv.Skip(1));
        Assert.Equal(steps, (await CsvAsync(await api.SendAsync(Get("/api/v1/indicators/time-in-step?version=2", "text/csv")))).Skip(1));
        var stepsXlsx = await browser.GetAsync(timePage.QuerySelector("#time-in-step-xlsx")!.GetAttribute("href")!);
        Assert.Equal(steps.Select(r => r[..5]), XlsxText(await stepsXlsx.Content.ReadAsByteArrayAsync(), 5).Skip(1));

        // Wrong filters are 422 in words; a broker is refused (403), as on the pages.
        var wrong = await (await api.SendAsync(Get("/api/v1/indicators/monitoring?from=yesterday", "text/csv"))).ProblemAsync(422);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("from", out _));
        await (await api.SendAsync(Get("/api/v1/indicators/time-in-step?version=99", "text/csv"))).ProblemAsync(422);
        var broker = factory.ApiClient(await factory.TokenAsync("broker.lv008@tibs.example"));
        foreach (var url in new[] { "/api/v1/indicators", "/api/v1/indicators/monitoring", "/api/v1/indicators/time-in-step" })
        {
            await (await broker.SendAsync(Get(url, "text/csv"))).ProblemAsync(403);
            await (await broker.GetAsync(url)).ProblemAsync(403);
        }

        var brokerBrowser = await CaseForms.SignedInAsync(factory, "broker.lv008@tibs.example");
        var refused = await brokerBrowser.GetAsync("/indicators?handler=monitoring&format=csv");
        Assert.Equal("/account/access-denied", refused.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [SkippableFact]
    public async Task A_companys_de_minimis_records_download_as_csv_and_xlsx_with_the_rows_of_the_export_and_json_stays_as_it_was()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var coordinator = factory.ApiClient(await factory.TokenAsync("coordinator@tibs.example"));
        var company = await (await coordinator.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Jūrmalas Ķimikāli")))).JsonAsync(201);
        var id = company.GetProperty("id").GetGuid();
        await (await coordinator.PostAsync($"/api/v1/companies/{id}/de-minimis", ApiClients.Json(new DeMinimisFields { GrantedOn = "2026-01-15", GrantingBody = "=Rīgas dome", AmountEur = "12500.50", Description = "Consulting" }))).JsonAsync(201);
        await (await coordinator.PostAsync($"/api/v1/companies/{id}/de-minimis", ApiClients.Json(new DeMinimisFields { GrantedOn = "2025-06-01", GrantingBody = "LIAA", AmountEur = "4000", Description = "Fair" }))).JsonAsync(201);

        var evaluatorUser = await factory.UserAsync("evaluator@tibs.example");
        var expected = await ExpectedAsync(factory.Services.GetRequiredService<DeMinimisExport>().Handle(new DeMinimisExport.Request([id]), new Actor(evaluatorUser.Id, WorkflowRole.Evaluator, null))!);
        Assert.Equal(2, expected.Count);
        var evaluator = factory.ApiClient(await factory.TokenAsync("evaluator@tibs.example"));
        var csv = await CsvAsync(await evaluator.SendAsync(Get($"/api/v1/companies/{id}/de-minimis", "text/csv")));
        Assert.Equal(DeMinimisExport.Columns.Select(c => c.Header), csv[0]);
        Assert.Equal(expected, csv.Skip(1));
        Assert.DoesNotContain(csv, r => r[5].StartsWith('='));

        var xlsx = await evaluator.SendAsync(Get($"/api/v1/companies/{id}/de-minimis", XlsxExportWriter.MediaType));
        Assert.Equal(XlsxExportWriter.MediaType, xlsx.Content.Headers.ContentType!.MediaType);
        var xlsxBytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal(expected.Select(r => r[..4]), XlsxText(xlsxBytes, 4).Skip(1));
        using (var workbook = new XLWorkbook(new MemoryStream(xlsxBytes)))
        {
            var sheet = workbook.Worksheets.Single();
            Assert.Equal(XLDataType.DateTime, sheet.Cell(2, 5).DataType);
            Assert.Equal(expected.Select(r => decimal.Parse(r[6], System.Globalization.CultureInfo.InvariantCulture)), new[] { 2, 3 }.Select(row => (decimal)sheet.Cell(row, 7).GetDouble()));
        }

        var json = await (await evaluator.GetAsync($"/api/v1/companies/{id}/de-minimis")).JsonAsync();
        Assert.Equal(2, json.GetProperty("records").GetArrayLength());
        Assert.Equal(16500.50m, json.GetProperty("sumEur").GetDecimal());

        var administrator = factory.ApiClient(await factory.TokenAsync("admin@tibs.example"));
        await (await administrator.SendAsync(Get($"/api/v1/companies/{id}/de-minimis", "text/csv"))).ProblemAsync(403);
        await (await evaluator.SendAsync(Get($"/api/v1/companies/{Guid.NewGuid()}/de-minimis", "text/csv"))).ProblemAsync(404);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteIndicatorAndAidExportTests(SqliteFixture fixture) : IndicatorAndAidExportTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresIndicatorAndAidExportTests(PostgresFixture fixture) : IndicatorAndAidExportTests(fixture);
