using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The account pages (sign-in, profile, preferences, errors) and the administration pages in Latvian and German, on
/// each database: each is rendered for the user who sees it, in the language the browser asks for, with the
/// page's own words translated and none of the English-only words of these pages left in the main part.
/// </summary>
public abstract partial class AccountAndAdministrationLanguageTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";
    private const string Admin = "admin@tibs.example";

    /// <summary>Words and phrases that only the English interface has on these pages.</summary>
    private static readonly string[] EnglishOnly =
    [
        "Save", "Cancel", "Sign in", "Change password", "Your name", "Absences", "Record an absence", "Two-step sign-in",
        "Invite a user", "Deactivate", "Last sign-in", "Clear filters", "Dry run", "Apply this report", "Download",
        "Choose", "Delete", "recovery code", "Personal data", "Not found", "Back to the start page", "Never",
    ];

    public static TheoryData<string, string, string, string> Pages => new()
    {
        // language, who (empty: nobody signed in), address, the words of its main heading or a label on it
        { "lv", "", "/account/sign-in", "Pieteikties" },
        { "de", "", "/account/sign-in", "Anmelden" },
        { "lv", "", "/account/access-denied", "Nav atļauts" },
        { "de", "", "/account/access-denied", "Nicht erlaubt" },
        { "lv", Liga, "/account/profile", "Mainīt paroli" },
        { "de", Liga, "/account/profile", "Passwort ändern" },
        { "lv", Liga, "/account/preferences", "Saglabāt iestatījumus" },
        { "de", Liga, "/account/preferences", "Einstellungen speichern" },
        { "lv", Admin, "/admin", "Fona darbi" },
        { "de", Admin, "/admin", "Hintergrundjobs" },
        { "lv", Admin, "/admin/users", "Lietotāji" },
        { "de", Admin, "/admin/users", "Benutzer" },
        { "lv", Admin, "/admin/users/invite", "Uzaicināt lietotāju" },
        { "de", Admin, "/admin/users/invite", "Benutzer einladen" },
        { "lv", Admin, "/admin/personal-data", "Personas dati" },
        { "de", Admin, "/admin/personal-data", "Personenbezogene Daten" },
        { "lv", Admin, "/admin/privacy/retention", "Glabāšana" },
        { "de", Admin, "/admin/privacy/retention", "Aufbewahrung" },
        { "lv", "", "/Error?code=404", "Nav atrasts" },
        { "de", "", "/Error?code=404", "Nicht gefunden" },
    };

    private async Task<HttpClient> ClientAsync(TibsWebFactory factory, string who, string language)
    {
        var client = who.Length == 0 ? factory.CreateClient() : await factory.SignedInAsync(who);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private static void AssertTranslated(IHtmlDocument page, string language, string expected)
    {
        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        var main = page.QuerySelector("main")!.TextContent;
        Assert.Contains(expected, main, StringComparison.Ordinal);
        var left = EnglishOnly.Where(w => Regex.IsMatch(main, $@"(?<![\p{{L}}-]){Regex.Escape(w)}(?![\p{{L}}-])")).ToList();
        Assert.True(left.Count == 0, $"English left on the {language} page: {string.Join(", ", left)}");
    }

    [SkippableTheory]
    [MemberData(nameof(Pages))]
    public async Task Each_page_speaks_the_reader_s_language(string language, string who, string url, string expected)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await ClientAsync(factory, who, language);

        // Some of these pages answer a refusal (403, 404): read them whatever the status.
        AssertTranslated(await HtmlForms.ParseAsync(await client.GetAsync(url)), language, expected);
    }

    [SkippableTheory]
    [InlineData("lv", "Loma un reģioni", "Izslēgta")]
    [InlineData("de", "Rolle und Regionen", "Aus")]
    public async Task A_user_s_page_for_the_administrator_is_translated_with_its_log_and_absences(string language, string roleAndRegions, string off)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await ClientAsync(factory, Admin, language);
        var users = await client.GetDocumentAsync("/admin/users");
        var liga = users.QuerySelector($"#users tr[data-email='{Liga}'] a")!.GetAttribute("href")!;

        var page = await client.GetDocumentAsync(liga);

        AssertTranslated(page, language, roleAndRegions);
        Assert.Equal(off, page.QuerySelector("#user-two-step")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#absences-heading"));
    }

    [SkippableTheory]
    [InlineData("lv", "Apstrādes darbību reģistrs", "Nolūks")]
    [InlineData("de", "Verzeichnis von Verarbeitungstätigkeiten", "Zweck")]
    public async Task The_record_of_processing_frames_the_installation_s_settings_in_the_reader_s_language(string language, string heading, string purpose)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await ClientAsync(factory, Admin, language);

        // The activities' own texts come from the Privacy settings, written by the installation in its language.
        var page = await client.GetDocumentAsync("/admin/privacy");

        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(heading, page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains(page.QuerySelectorAll("main dt"), dt => dt.TextContent.Trim() == purpose);
    }

    [SkippableFact]
    public async Task A_sign_in_refused_for_an_empty_field_says_so_in_the_reader_s_language()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await ClientAsync(factory, "", "lv");
        var signIn = await client.GetDocumentAsync("/account/sign-in");

        var refused = await HtmlForms.ParseAsync(await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["Email"] = "", ["Password"] = "" }));

        Assert.Equal("Ievadiet savu e-pasta adresi.", refused.QuerySelector("[data-valmsg-for='Email']")!.TextContent.Trim());
        Assert.Equal("Ievadiet savu paroli.", refused.QuerySelector("[data-valmsg-for='Password']")!.TextContent.Trim());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAccountAndAdministrationLanguageTests(SqliteFixture fixture) : AccountAndAdministrationLanguageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountAndAdministrationLanguageTests(PostgresFixture fixture) : AccountAndAdministrationLanguageTests(fixture);
