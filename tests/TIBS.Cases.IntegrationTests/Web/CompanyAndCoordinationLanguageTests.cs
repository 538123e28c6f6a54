using System.Net;
using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The company, indicator, audit, training and coordination pages in Latvian and German, on each database, as the people
/// who use them see them: the page's language, translated headings and labels, no English-only word of these pages in
/// <c>main</c>; and an amount typed as the reader writes numbers (72,5 in Latvian, 72.5 in English, "72,5" refused in
/// English with words instead of being read as 725).
/// </summary>
public abstract class CompanyAndCoordinationLanguageTests(DatabaseFixture fixture)
{
    private const string Coordinator = "coordinator@tibs.example";
    private const string Evaluator = "evaluator@tibs.example";
    private const string Administrator = "admin@tibs.example";

    /// <summary>Texts only the English interface of these pages has (whole words, case-sensitive).</summary>
    private static readonly string[] EnglishOnly =
    [
        "Cancel", "Search", "Keywords", "Contact persons", "Year founded", "Overdue", "Escalated", "Archived",
        "Download", "Completed strategies", "Public keys", "Training modules", "Open cases", "Add an organisation",
        "Merge", "Not certified", "Median days", "Choose", "Save", "Record", "Import", "Findings", "Latest checkpoint",
    ];

    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture);
    }

    private static async Task<HttpClient> InLanguageAsync(TibsWebFactory factory, string email, string language)
    {
        var client = await factory.SignedInAsync(email);
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return client;
    }

    private static async Task<IHtmlDocument> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        return await HtmlForms.ParseAsync(response);
    }

    private static string MainText(IHtmlDocument page) => page.QuerySelector("main")!.TextContent;

    private static void AssertNoEnglish(IHtmlDocument page, string url)
    {
        var main = " " + System.Text.RegularExpressions.Regex.Replace(MainText(page), @"\s+", " ") + " ";
        var found = EnglishOnly.Where(w => System.Text.RegularExpressions.Regex.IsMatch(main, $@"(?<![\p{{L}}]){System.Text.RegularExpressions.Regex.Escape(w)}(?![\p{{L}}])")).ToList();
        Assert.True(found.Count == 0, $"{url} shows English: {string.Join(", ", found)}");
    }

    private static string Heading(IHtmlDocument page) => page.QuerySelector("main h1")!.TextContent.Trim();

    private static string Href(IHtmlDocument page, string selector) => page.QuerySelector(selector)!.GetAttribute("href")!;

    public static TheoryData<string, string[]> Languages => new()
    {
        { "lv", ["Uzņēmumi", "Reģistrēt uzņēmumu", "Importēt uzņēmumus", "Koordinācijas pārskats", "Partnerorganizācijas", "Pievienot organizāciju", "Apmācības un sertifikācija", "Pievienot apmācību moduli", "Programmas rādītāji", "Laiks solī"] },
        { "de", ["Unternehmen", "Unternehmen erfassen", "Unternehmen importieren", "Koordinationsübersicht", "Partnerorganisationen", "Organisation hinzufügen", "Schulung und Zertifizierung", "Schulungsmodul hinzufügen", "Programmkennzahlen", "Zeit im Schritt"] },
    };

    [SkippableTheory]
    [MemberData(nameof(Languages))]
    public async Task A_coordinator_reads_the_company_coordination_training_and_indicator_pages_in_their_language(string language, string[] headings)
    {
        using var factory = await StartAsync();
        var client = await InLanguageAsync(factory, Coordinator, language);
        var pages = new[]
        {
            "/companies", "/companies/new", "/companies/import", "/coordination", "/coordination/organisations", "/coordination/organisations/add",
            "/coordination/training", "/coordination/training/modules/new", "/indicators", "/indicators/time-in-step",
        };

        for (var i = 0; i < pages.Length; i++)
        {
            var page = await PageAsync(client, pages[i]);
            Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
            Assert.StartsWith(headings[i], Heading(page), StringComparison.Ordinal);
            AssertNoEnglish(page, pages[i]);
        }

        var list = await PageAsync(client, "/companies");
        var company = Href(list, "a.company-link");
        var organisations = await PageAsync(client, "/coordination/organisations");
        var training = await PageAsync(client, "/coordination/training");
        var indicators = await PageAsync(client, "/indicators");
        var followed = new[]
        {
            company, company + "/edit", company + "/merge", Href(organisations, "#organisations a"), Href(training, "#modules a"),
            Href(training, "#brokers a"), Href(indicators, "#indicator-table a[href^='/indicators/cases']"),
        };
        foreach (var url in followed)
        {
            var page = await PageAsync(client, url);
            Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
            AssertNoEnglish(page, url);
        }

        var details = await PageAsync(client, company);
        var profile = details.QuerySelector(".company-profile")!.TextContent;
        Assert.Contains(language == "lv" ? "Organizācijas veids" : "Art der Organisation", profile, StringComparison.Ordinal);
        Assert.Contains(language == "lv" ? "De minimis atbalsts" : "De-minimis-Beihilfen", details.QuerySelector("#de-minimis")!.TextContent, StringComparison.Ordinal);
        var edit = await PageAsync(client, company + "/edit");
        Assert.Equal(language == "lv" ? "Saglabāt izmaiņas" : "Änderungen speichern", edit.QuerySelector(".company-form .btn-primary")!.TextContent.Trim());
        Assert.Equal(language == "lv" ? "Atcelt" : "Abbrechen", edit.QuerySelector(".company-form .btn-link")!.TextContent.Trim());
        var overview = await PageAsync(client, "/coordination");
        Assert.Equal(language == "lv" ? "Nokavētās" : "Überfällig", overview.QuerySelector("#regions thead th:last-child")!.TextContent.Trim());
        Assert.Equal(language == "lv" ? "Visi reģioni" : "Alle Regionen", overview.QuerySelector("#regions tfoot th")!.TextContent.Trim());
    }

    [SkippableTheory]
    [InlineData("lv", "Auditi", "Audita pārbaude", "Administrēšanas žurnāls", "Pabeigtās stratēģijas")]
    [InlineData("de", "Prüfungen", "Prüfpfad-Verifizierung", "Verwaltungsprotokoll", "Abgeschlossene Strategien")]
    public async Task An_evaluator_reads_the_audit_pages_in_their_language(string language, string audits, string verification, string log, string completed)
    {
        using var factory = await StartAsync();
        var evaluator = await InLanguageAsync(factory, Evaluator, language);
        var administrator = await InLanguageAsync(factory, Administrator, language);

        var home = await PageAsync(evaluator, "/audit");
        var verify = await PageAsync(evaluator, "/audit/verify");
        var adminLog = await PageAsync(administrator, "/audit/administration-log");

        Assert.Equal(completed, home.QuerySelector("#strategies-heading")!.TextContent.Trim());
        Assert.Equal(verification, Heading(verify));
        Assert.Equal(log, Heading(adminLog));
        Assert.Contains(audits, home.Title, StringComparison.Ordinal);
        foreach (var (page, url) in new[] { (home, "/audit"), (verify, "/audit/verify"), (adminLog, "/audit/administration-log") })
        {
            Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
            AssertNoEnglish(page, url);
        }
    }

    [SkippableTheory]
    [InlineData("lv", "72,5", "72,50 EUR")]
    [InlineData("en", "72.5", "EUR 72.50")]
    public async Task An_aid_amount_is_read_as_the_user_writes_numbers(string language, string typed, string shown)
    {
        using var factory = await StartAsync();
        var client = await InLanguageAsync(factory, Coordinator, language);
        var company = Href(await PageAsync(client, "/companies"), "a.company-link");
        var page = await PageAsync(client, company);

        var recorded = await HtmlForms.ParseAsync(await client.SubmitAsync(page, company, Aid(typed), "#de-minimis-form"));

        Assert.Contains(shown, recorded.QuerySelector("#de-minimis-records")!.TextContent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_decimal_comma_in_English_is_refused_in_words_and_never_read_as_a_bigger_amount()
    {
        using var factory = await StartAsync();
        var client = await InLanguageAsync(factory, Coordinator, "en");
        var company = Href(await PageAsync(client, "/companies"), "a.company-link");
        var page = await PageAsync(client, company);

        var refused = await HtmlForms.ParseAsync(await client.SubmitAsync(page, company, Aid("72,5"), "#de-minimis-form"));

        Assert.Equal(
            "The amount in euros is not a number as written in your language: write it such as 12500.50, without thousands separators.",
            refused.QuerySelector("#AidInput_AmountEur-error")!.TextContent.Trim());
        Assert.Equal("72,5", refused.QuerySelector("#AidInput_AmountEur")!.GetAttribute("value")); // what was typed is kept
        Assert.Equal("LIAA", refused.QuerySelector("#AidInput_GrantingBody")!.GetAttribute("value"));
        Assert.DoesNotContain("725", refused.QuerySelector("#de-minimis-records")?.TextContent ?? "", StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Aid(string amount) => new()
    {
        ["AidInput.GrantedOn"] = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["AidInput.GrantingBody"] = "LIAA",
        ["AidInput.AmountEur"] = amount,
        ["AidInput.Description"] = "",
    };
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyAndCoordinationLanguageTests(SqliteFixture fixture) : CompanyAndCoordinationLanguageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyAndCoordinationLanguageTests(PostgresFixture fixture) : CompanyAndCoordinationLanguageTests(fixture);
