using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The interface language, on each database: the browser's Accept-Language until someone chooses; the switch on every
/// page (sign-in included) remembers an anonymous choice in a cookie; a signed-in user's choice in Preferences follows
/// them to any device; times are shown in the chosen zone or the home region's.
/// </summary>
public abstract class LanguageTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 15, 0, TimeSpan.Zero);

    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture, services: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
    }

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        return await HtmlForms.ParseAsync(await client.SendAsync(request));
    }

    private static string Lang(IHtmlDocument page) => page.DocumentElement.GetAttribute("lang") ?? "";

    [SkippableTheory]
    [InlineData("lv-LV,lv;q=0.9,en;q=0.8", "lv", "Pieteikties")]
    [InlineData("de-AT", "de", "Anmelden")]
    [InlineData("fr-FR, sv;q=0.5", "sv", "Logga in")]
    [InlineData("nb-NO, ja;q=0.8", "en", "Sign in")]
    [InlineData(null, "en", "Sign in")]
    public async Task Before_anyone_chooses_the_browser_s_language_is_used_then_English(string? acceptLanguage, string lang, string signIn)
    {
        using var factory = await StartAsync();
        var page = await GetAsync(factory.CreateClient(), "/account/sign-in", acceptLanguage);

        Assert.Equal(lang, Lang(page));
        Assert.Equal(signIn, page.QuerySelector(".account a[href='/account/sign-in']")!.TextContent.Trim());
        Assert.Equal(lang, page.QuerySelector("#language-choice option[selected]")!.GetAttribute("value"));
    }

    [SkippableFact]
    public async Task The_switch_on_the_sign_in_page_remembers_an_anonymous_choice_and_returns_to_the_page()
    {
        using var factory = await StartAsync();
        var client = factory.CreateClient();
        var signIn = await client.GetDocumentAsync("/account/sign-in");

        var switched = await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["language"] = "fi" }, "#language-switch");
        var again = await GetAsync(client, "/account/sign-in", "de-DE");

        Assert.Equal("/account/sign-in", switched.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("fi", Lang(await HtmlForms.ParseAsync(switched)));
        Assert.Equal("fi", Lang(again)); // the choice outranks the browser's language
        Assert.Equal("Kirjaudu sisään", again.QuerySelector(".account a[href='/account/sign-in']")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task The_switch_refuses_an_unknown_language_in_words_and_never_leaves_the_site()
    {
        using var factory = await StartAsync();
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var signIn = await client.GetDocumentAsync("/account/sign-in");

        var unknown = await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["language"] = "xx" }, "#language-switch");
        var away = await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["language"] = "lt", ["returnUrl"] = "https://evil.example/" }, "#language-switch");
        var sneaky = await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["language"] = "lt", ["returnUrl"] = "//evil.example/x" }, "#language-switch");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("Choose a language from the list: English, Polski, Latviešu, Eesti, Lietuvių, Suomi, Deutsch, Dansk, Svenska.",
            (await HtmlForms.ParseAsync(unknown)).QuerySelector("#language-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/", away.Headers.Location!.OriginalString);
        Assert.Equal("/", sneaky.Headers.Location!.OriginalString);
    }

    [SkippableFact]
    public async Task A_signed_in_user_s_choice_in_Preferences_follows_them_to_another_device()
    {
        using var factory = await StartAsync();
        var laptop = await factory.SignedInAsync(Liga);
        var preferences = await laptop.GetDocumentAsync("/account/preferences");
        Assert.Equal("", preferences.QuerySelector("#TimeZone option[selected]")!.GetAttribute("value")); // not chosen: the region's
        Assert.Contains("Europe/Riga", preferences.QuerySelector("#TimeZone option[value='']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-12-03 11:15", preferences.QuerySelector("#time-zone-hint")!.TextContent, StringComparison.Ordinal); // Riga, UTC+2

        var saved = await HtmlForms.ParseAsync(await laptop.SubmitAsync(preferences, "/account/preferences",
            new Dictionary<string, string> { ["EmailDelivery"] = "single", ["Language"] = "de", ["TimeZone"] = "Europe/Lisbon" }, "#preferences-form"));

        Assert.Equal("de", Lang(saved));
        Assert.Equal("Einstellungen gespeichert: Sie erhalten zu jeder Benachrichtigung eine E-Mail.", saved.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Contains("03.12.2026 09:15", saved.QuerySelector("#time-zone-hint")!.TextContent, StringComparison.Ordinal); // Lisbon, UTC+0, German dates
        await using (var c = await fixture.Factory.OpenAsync())
        {
            var row = await c.QuerySingleAsync<(string Language, string Zone)>("SELECT language, time_zone FROM users WHERE email = @Liga", new { Liga });
            Assert.Equal(("de", "Europe/Lisbon"), row);
        }

        var phone = await factory.SignedInAsync(Liga);
        Assert.Equal("de", Lang(await GetAsync(phone, "/work", "lv")));

        var back = await phone.GetDocumentAsync("/account/preferences");
        var browser = await phone.SubmitAsync(back, "/account/preferences", new Dictionary<string, string> { ["EmailDelivery"] = "single", ["Language"] = "", ["TimeZone"] = "" }, "#preferences-form");
        Assert.Equal(HttpStatusCode.OK, browser.StatusCode);
        Assert.Equal("lv", Lang(await GetAsync(phone, "/work", "lv")));
        Assert.Equal("pl", Lang(await GetAsync(phone, "/work", "pl")));
    }

    [SkippableFact]
    public async Task The_switch_used_while_signed_in_becomes_the_user_s_preference()
    {
        using var factory = await StartAsync();
        var client = await factory.SignedInAsync(Liga);
        var work = await client.GetDocumentAsync("/work");

        var switched = await HtmlForms.ParseAsync(await client.SubmitAsync(work, "/work", new Dictionary<string, string> { ["language"] = "lv" }, "#language-switch"));

        Assert.Equal("lv", Lang(switched));
        Assert.Equal("Saskarne tagad ir valodā: Latviešu.", switched.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("Mans darbs", switched.QuerySelector(".mainnav a[href='/work']")!.TextContent.Trim());
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal("lv", await c.ExecuteScalarAsync<string>("SELECT language FROM users WHERE email = @Liga", new { Liga }));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteLanguageTests(SqliteFixture fixture) : LanguageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresLanguageTests(PostgresFixture fixture) : LanguageTests(fixture);
