using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Pseudo-localisation (decision 0049), on each database: off unless <c>Localization:Pseudo</c> is set (asking for the
/// pseudo culture does not turn it on); when set, the interface's texts and Core's messages are accented and longer
/// whatever language the user asked for.
/// </summary>
public abstract class PseudoLocalizationTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";

    private async Task<IHtmlDocument> WorkPageAsync(IReadOnlyDictionary<string, string?>? settings, string acceptLanguage, string? cookie = null)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture, settings);
        var client = await factory.SignedInAsync(Liga);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        return await HtmlForms.ParseAsync(await client.SendAsync(request));
    }

    [SkippableFact]
    public async Task Without_the_setting_nothing_is_pseudo_localised_even_when_the_pseudo_culture_is_asked_for()
    {
        var page = await WorkPageAsync(null, "qps-ploc, en;q=0.5", ".AspNetCore.Culture=c%3Dqps-ploc%7Cuic%3Dqps-ploc");

        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("My work", page.QuerySelector(".mainnav a[href='/work']")!.TextContent.Trim());
        Assert.Contains("Innovation broker", page.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task With_the_setting_the_interface_and_Core_s_texts_are_accented_and_longer_in_any_language()
    {
        var page = await WorkPageAsync(new Dictionary<string, string?> { ["Localization:Pseudo"] = "true" }, "lv-LV");

        var myWork = page.QuerySelector(".mainnav a[href='/work']")!.TextContent.Trim();
        Assert.StartsWith("[Mý wörk ~", myWork, StringComparison.Ordinal);
        Assert.Equal(PseudoLocalization.Apply("My work"), myWork);

        // The role's name is Core's message (Localized.Text), not the interface's.
        Assert.Contains(PseudoLocalization.Apply("Innovation broker"), page.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePseudoLocalizationTests(SqliteFixture fixture) : PseudoLocalizationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPseudoLocalizationTests(PostgresFixture fixture) : PseudoLocalizationTests(fixture);
