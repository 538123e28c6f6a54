using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The draft editor shows the engine's problems in the coordinator's language, with their path, for saving and for
/// publishing; the next coordinator reading in English gets English, not the words of the one before.
/// </summary>
public abstract class DefinitionProblemsLanguageTests(DatabaseFixture fixture)
{
    private const string Coordinator = "coordinator@tibs.example";
    private const string DraftUrl = "/definitions/joint-smart-strategy/draft";

    private static string Yaml(IHtmlDocument page) => ((IHtmlTextAreaElement)page.QuerySelector("#save-draft textarea[name=Yaml]")!).Value;

    private static List<string> Items(IHtmlDocument page, string list) =>
        [.. page.QuerySelectorAll(list + " li").Select(li => li.TextContent.Trim())];

    [SkippableTheory]
    [InlineData("lv", "Soļa “intake” iznākums “registered” ved uz “nowhere-step”, kas nav ne solis, ne beigu stāvoklis.")]
    [InlineData("de", "Das Ergebnis „registered“ von Schritt „intake“ führt zu „nowhere-step“, das weder ein Schritt noch ein Endzustand ist.")]
    public async Task A_broken_draft_is_explained_in_the_coordinator_s_language_when_saved_and_when_published(string language, string message)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await factory.SignedInAsync(Coordinator);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var editor = await client.GetDocumentAsync(DraftUrl);
        var broken = Yaml(editor).Replace("to: first-contact", "to: nowhere-step", StringComparison.Ordinal);

        var saved = await HtmlForms.ParseAsync(await client.SubmitAsync(editor, DraftUrl, new Dictionary<string, string> { ["Yaml"] = broken }, "#save-draft"));
        var published = await HtmlForms.ParseAsync(await client.SubmitAsync(saved, DraftUrl, new Dictionary<string, string> { ["ChangeNote"] = "Sends intake elsewhere." }, "#publish"));

        Assert.Equal(language, saved.DocumentElement.GetAttribute("lang"));
        Assert.Contains(Items(saved, "#problems"), p => p.StartsWith("stages[0].steps[0].outcomes[", StringComparison.Ordinal) && p.EndsWith(message, StringComparison.Ordinal));
        Assert.Contains(Items(published, "#publish-errors"), p => p.Contains(message, StringComparison.Ordinal));
        Assert.Contains("to: nowhere-step", Yaml(saved), StringComparison.Ordinal);
        var store = factory.Services.GetRequiredService<IWorkflowStore>();
        Assert.Equal(5, (await store.GetPublishedVersionAsync("joint-smart-strategy"))!.Number);

        // The same draft read right after by an English reader: the engine made its words anew, in English.
        var english = await factory.SignedInAsync(Coordinator);
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var again = await english.GetDocumentAsync(DraftUrl);
        Assert.Contains(Items(again, "#problems"), p => p.EndsWith("Outcome 'registered' of step 'intake' leads to 'nowhere-step', which is neither a step nor an end state.", StringComparison.Ordinal));
        Assert.DoesNotContain(Items(again, "#problems"), p => p.Contains(message, StringComparison.Ordinal));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDefinitionProblemsLanguageTests(SqliteFixture fixture) : DefinitionProblemsLanguageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDefinitionProblemsLanguageTests(PostgresFixture fixture) : DefinitionProblemsLanguageTests(fixture);
