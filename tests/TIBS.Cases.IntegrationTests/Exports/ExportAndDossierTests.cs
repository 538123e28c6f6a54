using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;
using TIBS.Cases.Testing;
using TIBS.Cases.Web.Exports;
using TIBS.Cases.Workflows.Forms;
using UglyToad.PdfPig;

namespace TIBS.Cases.IntegrationTests.Exports;

/// <summary>
/// Exports and the dossier against a real database: the case list and step durations read back from CSV and XLSX equal
/// the rows, through the API (Accept) and the case list's buttons; a broker of another region exports none of another
/// region's cases and gets a 404 for its dossier; the dossier's text (names with diacritics, dates, the head hash, the
/// file's SHA-256) is read back with PdfPig.
/// </summary>
public abstract partial class ExportAndDossierTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Hamburg = "broker.de60@tibs.example";
    private const string Evaluator = "evaluator@tibs.example";
    private const string CompanyName = "Žagarių Šķūnis Łąka";

    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return request;
    }

    /// <summary>A case of the Latvian region taken through intake and first contact, with a file attached.</summary>
    private static async Task<(Guid Id, string Reference)> CaseAsync(TibsWebFactory factory, HttpClient client)
    {
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid(CompanyName)))).JsonAsync(201);
        var companyId = company.GetProperty("id").GetGuid();
        var opened = await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = companyId, title = "=SUM(A1) Rīgas jūras šķūņi" }))).JsonAsync(201);
        var id = opened.GetProperty("case").GetProperty("id").GetGuid();
        var url = $"/api/v1/cases/{id}";
        var version = 1;
        async Task CompleteAsync(string outcome, object values)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/steps/current/complete") { Content = ApiClients.Json(new { outcome, values }) };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            await (await client.SendAsync(request)).JsonAsync();
            version++;
        }

        await CompleteAsync("registered", new Dictionary<string, object> { ["contact-data-consent"] = true, ["consent-date"] = "2026-11-20", ["source"] = "event" });
        var (_, plan) = await factory.Services.GetRequiredService<WorkflowCatalog>().GetPublishedAsync(OpenCase.DefaultDefinitionKey);
        var input = FormFiller.Fill(plan.GetStep("first-contact").Fields, companyId);
        await CompleteAsync("contacted", input.Strings.ToDictionary(p => p.Key, p => p.Value.Count == 1 ? (object)p.Value[0] : p.Value, StringComparer.Ordinal));

        using var upload = new MultipartFormDataContent { { new ByteArrayContent("Protokół spotkania: Ķegums, Šiauliai"u8.ToArray()), "file", "protokół.txt" } };
        var attach = new HttpRequestMessage(HttpMethod.Post, $"{url}/attachments") { Content = upload };
        attach.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        await (await client.SendAsync(attach)).JsonAsync();
        return (id, opened.GetProperty("case").GetProperty("reference").GetString()!);
    }

    /// <summary>The rows of an export as the handler gives them, written as CSV text cells (the expected read-back).</summary>
    private static async Task<List<string?[]>> ExpectedAsync(ExportTable table)
    {
        var rows = new List<string?[]>();
        await foreach (var row in table.Rows)
        {
            rows.Add([.. row.Select((v, i) => ExportCells.CsvText(table.Columns[i], v) ?? "")]);
        }

        return rows;
    }

    [SkippableFact]
    public async Task The_case_list_and_step_durations_read_back_from_csv_and_xlsx_equal_the_rows_and_follow_the_case_lists_access()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var (id, reference) = await CaseAsync(factory, client);

        // The case list through the API, as CSV: every row of the list's filters, what the handler streams.
        var csvResponse = await client.SendAsync(Get($"/api/v1/cases?q={Uri.EscapeDataString(reference)}", "text/csv"));
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", csvResponse.Content.Headers.ContentDisposition!.DispositionType);
        var csv = ExportWriterTests.ReadCsv(await csvResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(ExportCases.Columns.Select(c => c.Header), csv[0]);
        var latvian = await factory.UserAsync(Latvian);
        var actor = new Actor(latvian.Id, TIBS.Cases.Workflows.Definitions.WorkflowRole.Broker, latvian.RegionCode);
        var handler = factory.Services.GetRequiredService<ExportCases>();
        var expected = await ExpectedAsync((await handler.HandleAsync(new ExportCases.Request(new CaseFilter { Text = reference }), actor)).Table!);
        Assert.Equal(expected, csv.Skip(1));
        var row = Assert.Single(csv.Skip(1));
        Assert.Equal([reference, "'=SUM(A1) Rīgas jūras šķūņi", CompanyName, "Latvia", "Vidzeme", "Active"], row[..6]);
        Assert.Equal("Needs assessment", row[7]);

        // The same as XLSX: typed cells, the same values.
        var xlsxResponse = await client.SendAsync(Get($"/api/v1/cases?q={Uri.EscapeDataString(reference)}", XlsxExportWriter.MediaType));
        Assert.Equal(XlsxExportWriter.MediaType, xlsxResponse.Content.Headers.ContentType!.MediaType);
        using (var workbook = new XLWorkbook(new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync())))
        {
            var sheet = workbook.Worksheets.Single();
            Assert.Equal(2, sheet.LastRowUsed().RowNumber());
            Assert.Equal(row[..8], Enumerable.Range(1, 8).Select(i => sheet.Cell(2, i).GetString()));
            Assert.Equal(XLDataType.DateTime, sheet.Cell(2, 12).DataType);
            Assert.Equal(row[11], sheet.Cell(2, 12).GetDateTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(XLDataType.Boolean, sheet.Cell(2, 10).DataType);
        }

        // Step durations: one row per step, through the case list's button (a signed-in page) and the API.
        var browser = await CaseForms.SignedInAsync(factory, Latvian);
        var list = await browser.GetStringAsync("/cases");
        Assert.Contains("Export CSV", list, StringComparison.Ordinal);
        Assert.Contains("Export XLSX", list, StringComparison.Ordinal);
        var stepsCsv = ExportWriterTests.ReadCsv(await browser.GetByteArrayAsync("/cases?handler=stepdurations&format=csv"));
        Assert.Equal(ExportStepDurations.Columns.Select(c => c.Header), stepsCsv[0]);
        var steps = stepsCsv.Skip(1).Where(r => r[0] == reference).ToList();
        Assert.Equal(["Intake", "First contact", "Needs assessment"], steps.Select(r => r[4]));
        Assert.All(steps[..2], s => Assert.NotEqual("", s[6]));
        Assert.Equal("", steps[2][6]);
        Assert.All(steps, s => Assert.Equal("No", s[10]));
        var stepsXlsx = await client.SendAsync(Get("/api/v1/step-durations", XlsxExportWriter.MediaType));
        using (var workbook = new XLWorkbook(new MemoryStream(await stepsXlsx.Content.ReadAsByteArrayAsync())))
        {
            var sheet = workbook.Worksheets.Single();
            var rows = Enumerable.Range(2, sheet.LastRowUsed().RowNumber() - 1).Where(r => sheet.Cell(r, 1).GetString() == reference).ToList();
            Assert.Equal(steps.Select(s => s[4]), rows.Select(r => sheet.Cell(r, 5).GetString()));
            Assert.Equal(XLDataType.Number, sheet.Cell(rows[0], 8).DataType);
            Assert.Equal(decimal.Parse(steps[0][7]!, System.Globalization.CultureInfo.InvariantCulture), (decimal)sheet.Cell(rows[0], 8).GetDouble());
        }

        var pageXlsx = await browser.GetAsync($"/cases?handler=export&format=xlsx&q={Uri.EscapeDataString(reference)}");
        Assert.Equal(XlsxExportWriter.MediaType, pageXlsx.Content.Headers.ContentType!.MediaType);

        // Another region's broker: the list, its export and the step durations hold none of it.
        var hamburg = factory.ApiClient(await factory.TokenAsync(Hamburg));
        var theirs = ExportWriterTests.ReadCsv(await (await hamburg.SendAsync(Get("/api/v1/cases", "text/csv"))).Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(theirs, r => r[0] == reference);
        var theirSteps = ExportWriterTests.ReadCsv(await (await hamburg.SendAsync(Get("/api/v1/step-durations", "text/csv"))).Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(theirSteps, r => r[0] == reference);

        // A media type the address does not give: 406 in words.
        var problem = await (await client.SendAsync(Get("/api/v1/cases", "application/xml"))).ProblemAsync(406);
        Assert.Contains("text/csv", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var json = await (await client.GetAsync("/api/v1/step-durations")).JsonAsync();
        Assert.Equal("Days in step", json.GetProperty("columns")[7].GetProperty("header").GetString());
        Assert.Contains(json.GetProperty("rows").EnumerateArray(), r => r[0].ValueKind == System.Text.Json.JsonValueKind.String && r[0].GetString() == reference);
        Assert.NotEqual(Guid.Empty, id);
    }

    [SkippableFact]
    public async Task The_dossier_reads_back_with_names_dates_the_head_hash_and_file_fingerprints_and_only_for_readers_of_the_case()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var (id, reference) = await CaseAsync(factory, client);
        var record = (await factory.Services.GetRequiredService<ICaseStore>().GetAsync(id))!;
        var attachment = Assert.Single(await factory.Services.GetRequiredService<ICaseStore>().GetAttachmentsAsync(id));

        var response = await client.GetAsync($"/api/v1/cases/{id}/dossier");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync());

        Assert.Contains($"Dossier {reference}", text, StringComparison.Ordinal);
        Assert.Contains(CompanyName, text, StringComparison.Ordinal);
        Assert.Contains("Vidzeme", text, StringComparison.Ordinal);
        Assert.Contains("SME Joint Smart Strategy, version", text, StringComparison.Ordinal);
        Assert.Contains(record.OpenedAt.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("Date of consent 20 November 2026", text, StringComparison.Ordinal);
        Assert.Contains("How the company came to us: Event or workshop", text, StringComparison.Ordinal);
        Assert.Contains("protokół.txt", text, StringComparison.Ordinal);
        Assert.Contains($"SHA-256 {attachment.Sha256}", text, StringComparison.Ordinal);
        Assert.Contains($"Head hash {record.AuditHeadHash}", text, StringComparison.Ordinal);
        Assert.Contains("Audit trail verified", text, StringComparison.Ordinal);
        Assert.Contains("Timeline", text, StringComparison.Ordinal);

        // The case page offers it; the page address gives the same document.
        var browser = await CaseForms.SignedInAsync(factory, Latvian);
        Assert.Contains("Download dossier (PDF)", await browser.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
        var page = await browser.GetAsync($"/cases/{id}/dossier");
        Assert.Equal("application/pdf", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains(record.AuditHeadHash, PdfText(await page.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);

        // Whoever may not read the case gets what the case page gives them: not found.
        var hamburg = factory.ApiClient(await factory.TokenAsync(Hamburg));
        await (await hamburg.GetAsync($"/api/v1/cases/{id}/dossier")).ProblemAsync(404);
        var hamburgBrowser = await CaseForms.SignedInAsync(factory, Hamburg);
        Assert.Equal(HttpStatusCode.NotFound, (await hamburgBrowser.GetAsync($"/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hamburgBrowser.GetAsync($"/cases/{id}/dossier")).StatusCode);
    }

    [SkippableFact]
    public async Task The_dossier_lists_the_strategys_audits_with_their_conclusions_and_the_lead_companys_de_minimis_aid()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var broker = (await factory.UserAsync(Latvian)).AsActor();
        var evaluator = (await factory.UserAsync(Evaluator)).AsActor();

        // A completed strategy: opened and withdrawn by its broker.
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid(CompanyName)))).JsonAsync(201);
        var companyId = company.GetProperty("id").GetGuid();
        var opened = (await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = companyId }))).JsonAsync(201)).GetProperty("case");
        var id = opened.GetProperty("id").GetGuid();
        var withdraw = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{id}/actions/withdraw") { Content = ApiClients.Json(new { reason = "The company stopped its plans." }) };
        withdraw.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await (await client.SendAsync(withdraw)).JsonAsync();

        // De minimis aid declared for the lead company.
        var today = DateOnly.FromDateTime(factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var aid = await factory.Services.GetRequiredService<RecordDeMinimisAid>().HandleAsync(
            new RecordDeMinimisAid.Request(companyId, new DeMinimisFields
            {
                GrantedOn = today.AddMonths(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                GrantingBody = "LIAA",
                AmountEur = "12500",
                Description = "Brokerage",
            }), broker);
        Assert.True(aid.Succeeded, aid.Message);

        // An audit with a finding the broker answers, concluded.
        var started = await factory.Services.GetRequiredService<StartAudit>().HandleAsync(new StartAudit.Request(id), evaluator);
        Assert.True(started.Succeeded, started.Message);
        var auditId = started.Case!.Id;
        async Task CompleteAsync(string outcome, Actor actor, params (string Key, string Value)[] values)
        {
            var details = await factory.Services.GetRequiredService<CaseReader>().GetDetailsAsync(auditId);
            var result = await factory.Services.GetRequiredService<CompleteStep>().HandleAsync(
                new CompleteStep.Request(auditId, details!.Case.Version, outcome, FormInput.FromStrings(values.ToDictionary(v => v.Key, v => (string?)v.Value))), actor);
            Assert.True(result.Succeeded, result.Message);
        }

        await CompleteAsync("start-review", evaluator);
        await CompleteAsync("reviewed", evaluator,
            ("agreement-signed-by-two-countries", "no"), ("evidence-attached", "yes"), ("check-ins-in-window", "yes"), ("indicators-plausible", "yes"));
        var finding = await factory.Services.GetRequiredService<RecordFinding>().HandleAsync(
            new RecordFinding.Request(auditId, "major", "signed-agreement", "Only Latvia signed."), evaluator);
        Assert.True(finding.Succeeded, finding.Message);
        await CompleteAsync("send-to-broker", evaluator, ("result", "findings"));
        var answer = await factory.Services.GetRequiredService<AnswerFinding>().HandleAsync(new AnswerFinding.Request(auditId, 1, "Signature attached."), broker);
        Assert.True(answer.Succeeded, answer.Message);
        await CompleteAsync("answered", broker);
        await CompleteAsync("accept", evaluator, ("conclusion", "accepted"));

        var response = await client.GetAsync($"/api/v1/cases/{id}/dossier");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(started.Case.Reference, text, StringComparison.Ordinal);
        Assert.Contains("Concluded: Accepted", text, StringComparison.Ordinal);
        Assert.Contains("Only Latvia signed.", text, StringComparison.Ordinal);
        Assert.Contains("Signature attached.", text, StringComparison.Ordinal);
        Assert.Contains("De minimis aid", text, StringComparison.Ordinal);
        Assert.Contains("LIAA", text, StringComparison.Ordinal);
        Assert.Contains("EUR 12,500.00", text, StringComparison.Ordinal);
        Assert.Contains("of the ceiling of EUR 300,000.00", text, StringComparison.Ordinal);
    }

    /// <summary>The words of every page, separated by single spaces.</summary>
    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return Spaces().Replace(string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), " ");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteExportAndDossierTests(SqliteFixture fixture) : ExportAndDossierTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresExportAndDossierTests(PostgresFixture fixture) : ExportAndDossierTests(fixture);
