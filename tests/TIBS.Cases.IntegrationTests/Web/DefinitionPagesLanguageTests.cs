using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>A coordinator reading the definitions' pages in German or Latvian meets no English words of the pages.</summary>
public sealed class DefinitionPagesLanguageTests
{
    private const string Coordinator = "coordinator@tibs.example";
    private const string Key = "joint-smart-strategy";

    // Words of these pages that only English has (the definition's own YAML and keys are data and stay as written).
    private static readonly string[] EnglishOnly =
    [
        "Workflow definitions", "Compare versions", "Change note", "Content hash", "New draft", "Edit draft", "Migrate cases",
        "Stages and steps", "End states", "Outcomes:", "Download BPMN", "Show the BPMN diagram", "Try it", "start on this version",
        "From version", "To version", "YAML differences", "What changed", "Save draft", "Publishing and discarding",
    ];

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string url, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        return await HtmlForms.ParseAsync(await client.SendAsync(request));
    }

    [Theory]
    [InlineData("de", "Workflow-Definitionen", "Versionen vergleichen", "Phasen und Schritte", "Von Version", "Entwurf speichern")]
    [InlineData("lv", "Darbplūsmu definīcijas", "Salīdzināt versijas", "Posmi un soļi", "No versijas", "Saglabāt melnrakstu")]
    public async Task The_definitions_pages_speak_the_coordinator_s_language(string language, string title, string compare, string stages, string from, string save)
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);

        var index = await GetAsync(client, "/definitions", language);
        var version = await GetAsync(client, $"/definitions/{Key}/v2", language);
        var comparison = await GetAsync(client, $"/definitions/{Key}/compare?from=1&to=2", language);
        var draft = await GetAsync(client, $"/definitions/{Key}/draft", language);

        Assert.All(new[] { index, version, comparison, draft }, page => Assert.Equal(language, page.DocumentElement.GetAttribute("lang")));
        Assert.Equal(title, index.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains(compare, index.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(stages, version.QuerySelector("#summary-heading")!.TextContent.Trim());
        Assert.Equal(from, comparison.QuerySelector("label[for=from]")!.TextContent.Trim());
        Assert.Equal(save, draft.QuerySelector("#save-draft button")!.TextContent.Trim());
        foreach (var page in new[] { index, version, comparison, draft })
        {
            var words = page.QuerySelector("main")!.TextContent;
            Assert.All(EnglishOnly, english => Assert.DoesNotContain(english, words, StringComparison.Ordinal));
        }
    }
}
