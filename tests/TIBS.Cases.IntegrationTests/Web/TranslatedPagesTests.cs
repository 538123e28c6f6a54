using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The web application on a fresh embedded database with the demo data; the shipped sidecars are imported at start-up.
/// The request's culture comes from the product's request localisation (the culture cookie or Accept-Language).
/// </summary>
public sealed class TranslatedApp : IAsyncLifetime
{
    public PartnerApp Partners { get; } = new(TibsWebFactory.ForNewSqliteDatabase());

    public Task InitializeAsync() => Partners.InitializeAsync();

    public Task DisposeAsync() => Partners.DisposeAsync();
}

public sealed class TranslatedPagesTests(TranslatedApp app) : IClassFixture<TranslatedApp>
{
    private PartnerApp Partners => app.Partners;

    [Fact]
    public async Task The_case_page_in_latvian_shows_the_latvian_step_name_labels_and_outcomes_and_in_english_the_english_ones()
    {
        var @case = await Partners.OpenLatvianCaseAsync();
        var client = await Partners.SignInAsync(PartnerApp.Latvian);

        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("lv"));
        var latvian = await client.GetDocumentAsync($"/cases/{@case.Id}");
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var english = await client.GetDocumentAsync($"/cases/{@case.Id}");

        Assert.Equal("Pieņemšana", latvian.QuerySelector("#step-heading")!.TextContent.Trim());
        Assert.Contains("Piekrišana kontaktdatu apstrādei", latvian.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Pieņemšana", latvian.QuerySelector("#diagram-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Intake", english.QuerySelector("#step-heading")!.TextContent.Trim());
        Assert.Contains("Consent to process contact data", english.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_work_names_the_step_in_the_language_of_the_culture_cookie()
    {
        var @case = await Partners.OpenLatvianCaseAsync();
        var client = await Partners.SignInAsync(PartnerApp.Latvian);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        request.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Dde%7Cuic%3Dde");

        var response = await client.SendAsync(request);
        var page = await HtmlForms.ParseAsync(response);

        var row = page.QuerySelector($"#open-steps tr[data-case='{@case.Id}']")!;
        Assert.Contains("Aufnahme", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_sees_each_languages_completeness_downloads_a_sidecar_and_uploads_a_corrected_one()
    {
        var coordinator = await Partners.SignInAsync("coordinator@tibs.example");
        var page = await coordinator.GetDocumentAsync("/definitions/joint-smart-strategy/v5");

        var rows = page.QuerySelectorAll("table.translations tbody tr").ToList();
        Assert.Equal(8, rows.Count);
        var latvianRow = rows.Single(r => r.GetAttribute("data-language") == "lv");
        Assert.Contains("292 of 292 (100%)", latvianRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("Latviešu", latvianRow.TextContent, StringComparison.Ordinal);

        var download = await coordinator.GetAsync("/definitions/joint-smart-strategy/v5?handler=Translation&language=lv");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var sidecar = await download.Content.ReadAsStringAsync();
        Assert.Contains("    name: \"Pieņemšana\"", sidecar, StringComparison.Ordinal);

        var corrected = sidecar.Replace("kopīgo tos ar partneru brokeriem", "nodod tos partneru brokeriem", StringComparison.Ordinal);
        var saved = await UploadAsync(coordinator, page, "lv", corrected);
        Assert.Contains("The Latvian translation of version 5 is saved: 292 of 292 texts translated (100%).", saved.QuerySelector("#translation-message")!.TextContent, StringComparison.Ordinal);

        var refused = await UploadAsync(coordinator, saved, "lv", "steps:\n  intake:\n    - Pieņemšana\n");
        Assert.Contains("The Latvian translation was not saved", refused.QuerySelector("#translation-message")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("(line 3)", refused.QuerySelector(".translation-problems")!.TextContent, StringComparison.Ordinal);

        var @case = await Partners.OpenLatvianCaseAsync();
        var broker = await Partners.SignInAsync(PartnerApp.Latvian);
        broker.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("lv"));
        var casePage = await broker.GetDocumentAsync($"/cases/{@case.Id}");
        Assert.Contains("Uzņēmums piekrīt, ka TIBS glabā tā kontaktpersonu datus un nodod tos partneru brokeriem.", casePage.Body!.TextContent, StringComparison.Ordinal);
    }

    private static async Task<IHtmlDocument> UploadAsync(HttpClient client, IHtmlDocument page, string language, string text)
    {
        var form = (IHtmlFormElement)page.QuerySelector("#upload-translation")!;
        using var content = new MultipartFormDataContent();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]").Cast<IHtmlInputElement>())
        {
            content.Add(new StringContent(hidden.Value), hidden.Name!);
        }

        content.Add(new StringContent(language), "language");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", $"v5.{language}.yaml");
        return await HtmlForms.ParseAsync(await client.PostAsync(form.GetAttribute("action"), content));
    }
}
