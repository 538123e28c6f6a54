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

    // Words of the migration and "try it" pages that only English has.
    private static readonly string[] EnglishOnlyOfMigrateAndTry =
    [
        "Step mappings", "Dry run", "Simulate on copies", "One per line", "Steps with the same key", "From version", "To version",
        "Definitions", "Migrate cases", "is not of the form", "Mapping line",
    ];

    [Theory]
    [InlineData("de", "Schrittzuordnungen", "Probelauf", "Zuordnungszeile 1 („nonsense“) hat nicht die Form old-step -> new-step.")]
    [InlineData("lv", "Soļu piesaistes", "Izmēģinājuma palaišana", "Piesaistes rinda 1 (“nonsense”) nav formā old-step -> new-step.")]
    public async Task The_migration_page_speaks_the_coordinator_s_language(string language, string mappings, string dryRun, string badLine)
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", language);
        var url = $"/definitions/{Key}/migrate";

        var page = await client.GetDocumentAsync(url);
        var refused = await HtmlForms.ParseAsync(await client.SubmitAsync(page, url, new Dictionary<string, string> { ["Mappings"] = "nonsense" }, "#migration"));

        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(mappings, page.QuerySelector("label[for=mappings]")!.TextContent.Trim());
        Assert.Equal(dryRun, page.QuerySelector("#migration .btn-outline-primary")!.TextContent.Trim());
        Assert.Equal(badLine, refused.QuerySelector("#input-errors li")!.TextContent.Trim());
        foreach (var shown in new[] { page, refused })
        {
            var words = shown.QuerySelector("main")!.TextContent;
            Assert.All(EnglishOnlyOfMigrateAndTry, english => Assert.DoesNotContain(english, words, StringComparison.Ordinal));
        }
    }
}
