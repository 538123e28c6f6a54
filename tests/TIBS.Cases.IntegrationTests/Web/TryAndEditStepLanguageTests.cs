using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>A coordinator trying a version and editing a step in German or Latvian meets no English words of these pages.</summary>
public sealed class TryAndEditStepLanguageTests
{
    private const string Coordinator = "coordinator@tibs.example";
    private const string Key = "joint-smart-strategy";
    private const string TryV4 = "/definitions/" + Key + "/v4/try";
    private const string StepUrl = "/definitions/" + Key + "/draft/steps/intake";

    private static string Words(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    // Words of the "try it" page that only English has (step names, keys and YAML are data and stay as written).
    private static readonly string[] EnglishOnlyOfTry =
    [
        "Try it", "Definitions", "Number of walks", "Scripted walk", "When given", "What the walks found", "No problems found",
        "Longest walk", "Steps visited", "End states reached", "Timers fired", "Day in the step", "First day of the case",
        "Taken", "Possible", "walks, seed",
    ];

    // Words of the step editor that only English has.
    private static readonly string[] EnglishOnlyOfEditStep =
    [
        "Edit step", "Definitions", "Form fields", "Save step", "Add empty rows", "Back to the draft", "Remove this step",
        "The draft as it will be", "Leads to", "A reason is required", "Help text", "Advanced: the expression text",
        "Words when not met", "Remove timer", "(choose)", "(none)", "Role that completes the step", "comments are not kept",
        "Pick a named condition", "is at least", "All required fields",
    ];

    [Theory]
    [InlineData("de", "Anzahl der Durchläufe", "Was die Durchläufe ergeben haben", "Keine Probleme gefunden. 1.000 Durchläufe, Startwert 4.", "Anzahl der Durchläufe: „viele“ ist keine ganze Zahl.", "1.000")]
    [InlineData("lv", "Gājienu skaits", "Ko atklāja gājieni", "Problēmas netika atrastas. Gājieni: 1 000, sēkla 4.", "Gājienu skaits: “viele” nav vesels skaitlis.", "1 000")]
    public async Task The_try_page_speaks_the_coordinator_s_language_and_reads_numbers_as_written_in_it(
        string language, string walksLabel, string reportHeading, string verdict, string notANumber, string thousand)
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", language);

        var page = await client.GetDocumentAsync(TryV4);
        var report = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = thousand, ["Seed"] = "4" }, "#simulate-form"));
        var bad = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = "viele" }, "#simulate-form"));

        Assert.All(new[] { page, report, bad }, shown => Assert.Equal(language, shown.DocumentElement.GetAttribute("lang")));
        Assert.Equal(walksLabel, page.QuerySelector("label[for=walks]")!.TextContent.Trim());
        Assert.Equal(reportHeading, report.QuerySelector("#report-heading")!.TextContent.Trim());
        Assert.StartsWith(verdict, Words(report.QuerySelector("#simulation-verdict")!.TextContent).Replace('\u00a0', ' '), StringComparison.Ordinal);
        Assert.Equal(notANumber, bad.QuerySelector("#simulate-errors li")!.TextContent.Trim());
        foreach (var shown in new[] { page, report, bad })
        {
            var words = shown.QuerySelector("main")!.TextContent;
            Assert.All(EnglishOnlyOfTry, english => Assert.DoesNotContain(english, words, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task In_English_a_number_of_walks_is_read_with_the_English_thousands_separator_and_a_decimal_comma_is_refused()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var page = await client.GetDocumentAsync(TryV4);

        var report = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = "1,000", ["Seed"] = "4" }, "#simulate-form"));
        var decimals = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = "72.5" }, "#simulate-form"));

        Assert.Contains("No problems found. 1,000 walks, seed 4.", Words(report.QuerySelector("#simulation-verdict")!.TextContent), StringComparison.Ordinal);
        Assert.Equal("Number of walks: '72.5' is not a whole number.", decimals.QuerySelector("#simulate-errors li")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("de", "Schritt Intake bearbeiten", "Formularfelder", "Schritt speichern", "Führt zu", "ist mindestens")]
    [InlineData("lv", "Rediģēt soli Intake", "Veidlapas lauki", "Saglabāt soli", "Ved uz", "ir vismaz")]
    public async Task The_step_editor_speaks_the_coordinator_s_language(string language, string title, string fields, string save, string leadsTo, string atLeast)
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        using var request = new HttpRequestMessage(HttpMethod.Get, StepUrl);
        request.Headers.TryAddWithoutValidation("Accept-Language", language);

        var page = await HtmlForms.ParseAsync(await client.SendAsync(request));

        Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
        Assert.StartsWith(title, Words(page.QuerySelector("h1")!.TextContent), StringComparison.Ordinal);
        Assert.Equal(fields, page.QuerySelector("#fields legend")!.TextContent.Trim());
        Assert.Equal(save, page.QuerySelector("#save-step")!.TextContent.Trim());
        Assert.EndsWith(leadsTo, page.QuerySelector("label[for=outcomes-0-to]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(page.QuerySelectorAll("option"), option => option.TextContent.Trim() == atLeast);
        var words = page.QuerySelector("main")!.TextContent;
        Assert.All(EnglishOnlyOfEditStep, english => Assert.DoesNotContain(english, words, StringComparison.Ordinal));
    }
}
