using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Audits;
using TIBS.Cases.Core.Companies.DeMinimis;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;
using UglyToad.PdfPig;

namespace TIBS.Cases.IntegrationTests.Exports;

/// <summary>
/// What the indicators, the dossier and the audits tell people is in the reader's language: the indicators page names
/// the indicators in Latvian and German, the dossier's headings, the lead company's country and the de minimis amounts
/// are Latvian or German (amounts in the country's numbers), and the audit handlers' field errors are translated.
/// </summary>
public abstract partial class ReportsInLanguagesTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Evaluator = "evaluator@tibs.example";
    private const string Coordinator = "coordinator@tibs.example";

    [SkippableTheory]
    [InlineData("lv", "Atbalstītie uzņēmumi", "(iznākums)", "Organizācijas, kas sadarbojas pāri robežām")]
    [InlineData("de", "Unterstützte Unternehmen", "(Output)", "Grenzübergreifend zusammenarbeitende Organisationen")]
    public async Task The_indicators_page_names_the_indicators_in_the_readers_language(string language, string rco01, string kind, string rco87)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await factory.SignedInAsync(Coordinator);
        client.DefaultRequestHeaders.Add("Accept-Language", language);

        var response = await client.GetAsync("/indicators");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = Spaces().Replace((await HtmlForms.ParseAsync(response)).QuerySelector("main")!.TextContent, " ");

        Assert.Contains($"{rco01} {kind}", text, StringComparison.Ordinal);
        Assert.Contains(rco87, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Enterprises supported", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Organisations cooperating across borders", text, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("lv", "Dosjē", "Stratēģija", "Latvija", "12 500,00 EUR", "Vēl nav auditēts.")]
    [InlineData("de", "Dossier", "Strategie", "Lettland", "12.500,00 EUR", "Noch nicht geprüft.")]
    public async Task The_dossier_is_written_in_the_readers_language_with_amounts_in_its_numbers(
        string language, string title, string strategy, string country, string amount, string notAudited)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var broker = (await factory.UserAsync(Latvian)).AsActor();
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Cēsu Koka Darbnīca")))).JsonAsync(201);
        var companyId = company.GetProperty("id").GetGuid();
        var opened = (await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = companyId }))).JsonAsync(201)).GetProperty("case");
        var id = opened.GetProperty("id").GetGuid();
        var reference = opened.GetProperty("reference").GetString()!;
        var today = DateOnly.FromDateTime(factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var aid = await factory.Services.GetRequiredService<RecordDeMinimisAid>().HandleAsync(
            new RecordDeMinimisAid.Request(companyId, new DeMinimisFields
            {
                GrantedOn = today.AddMonths(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                GrantingBody = "LIAA",
                AmountEur = "12500",
            }), broker);
        Assert.True(aid.Succeeded, aid.Message);

        client.DefaultRequestHeaders.Add("Accept-Language", language);
        var response = await client.GetAsync($"/api/v1/cases/{id}/dossier");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync());

        Assert.Contains($"{title} {reference}", text, StringComparison.Ordinal);
        Assert.Contains(strategy, text, StringComparison.Ordinal);
        Assert.Contains(country, text, StringComparison.Ordinal);
        Assert.Contains(amount, text, StringComparison.Ordinal);
        Assert.Contains(notAudited, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Not audited yet.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Partner countries", text, StringComparison.Ordinal);
        Assert.DoesNotContain("EUR 12,500.00", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_audit_and_indicator_handlers_report_wrong_fields_in_latvian_and_german()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var evaluator = (await factory.UserAsync(Evaluator)).AsActor();
        var draw = factory.Services.GetRequiredService<DrawAuditSample>();
        var indicators = factory.Services.GetRequiredService<ProgrammeIndicators>();
        var wrong = new DrawAuditSample.Request("LV008", new DateOnly(2026, 3, 31), new DateOnly(2026, 3, 1), 0);

        DrawAuditSample.Result latvian, german;
        ProgrammeIndicators.Result latvianIndicators, germanIndicators;
        using (CultureScope.Of("lv"))
        {
            latvian = await draw.HandleAsync(wrong, evaluator);
            latvianIndicators = await indicators.HandleAsync(new(evaluator, new ProgrammeIndicators.Input(Region: "XX9", From: "2026-02-30")));
        }

        using (CultureScope.Of("de"))
        {
            german = await draw.HandleAsync(wrong, evaluator);
            germanIndicators = await indicators.HandleAsync(new(evaluator, new ProgrammeIndicators.Input(Region: "XX9", From: "2026-02-30")));
        }

        Assert.Contains(latvian.FieldErrors, e => e.Field == "to" && e.Message == "Perioda pēdējā diena ir pirms tā pirmās dienas.");
        Assert.Contains(latvian.FieldErrors, e => e.Field == "size" && e.Message == "Ievadiet, cik stratēģiju atlasīt: no 1 līdz 50.");
        Assert.Equal("Dažos laukos jāievieš labojumi; nekas netika atlasīts.", latvian.Message);
        Assert.Contains(german.FieldErrors, e => e.Field == "to" && e.Message == "Der letzte Tag des Zeitraums liegt vor seinem ersten Tag.");
        Assert.Contains(german.FieldErrors, e => e.Field == "size" && e.Message == "Geben Sie an, wie viele Strategien gezogen werden, von 1 bis 50.");

        Assert.Contains(latvianIndicators.Errors, e => e.Field == "region" && e.Message == "Nav reģiona ar kodu “XX9”: izvēlieties reģionu no saraksta.");
        Assert.Contains(latvianIndicators.Errors, e => e.Field == "from" && e.Message.StartsWith("Perioda sākums “2026-02-30” nav datums", StringComparison.Ordinal));
        Assert.Contains(germanIndicators.Errors, e => e.Field == "region" && e.Message == "Es gibt keine Region mit dem Code „XX9“: Wählen Sie eine aus der Liste.");

        // English stays the default.
        var english = await draw.HandleAsync(wrong, evaluator);
        Assert.Contains(english.FieldErrors, e => e.Field == "to" && e.Message == "The last day of the period is before its first day.");
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
public sealed class SqliteReportsInLanguagesTests(SqliteFixture fixture) : ReportsInLanguagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReportsInLanguagesTests(PostgresFixture fixture) : ReportsInLanguagesTests(fixture);
