using System.Net;
using AngleSharp.Html.Dom;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>"Try it" on a definition's versions: the page (plain form) and the API over the same handler; coordinators only.</summary>
public sealed class SimulationPageTests
{
    private const string Key = "joint-smart-strategy";
    private const string Coordinator = "coordinator@tibs.example";
    private const string Broker = "broker.lv008@tibs.example";
    private const string TryV4 = "/definitions/" + Key + "/v4/try";

    private static string Words(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task A_coordinator_tries_a_published_version_and_reads_the_report()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var version = await client.GetDocumentAsync($"/definitions/{Key}/v4");
        Assert.Equal(TryV4, version.QuerySelector("#try-it")!.GetAttribute("href"));
        var page = await client.GetDocumentAsync(TryV4);

        var response = await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = "120", ["Seed"] = "4" }, "#simulate-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await HtmlForms.ParseAsync(response);
        Assert.Contains("No problems found. 120 walks, seed 4.", Words(report.QuerySelector("#simulation-verdict")!.TextContent), StringComparison.Ordinal);
        var intake = report.QuerySelector("#visited-steps tr[data-step='intake']")!;
        Assert.Equal(["Intake", "120", "120"], intake.QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Contains("Reminder: 'Intake' started 3 days ago", report.QuerySelector("#timers")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("120", ((IHtmlInputElement)report.QuerySelector("#walks")!).Value);
    }

    [Fact]
    public async Task A_draft_with_an_outcome_that_can_never_be_taken_shows_it_with_the_reason()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var editor = await client.GetDocumentAsync($"/definitions/{Key}/draft");
        var yaml = ((IHtmlTextAreaElement)editor.QuerySelector("#save-draft textarea[name=Yaml]")!).Value;
        var trap = yaml.Replace("- min-agreed-partners: 1", "- min-agreed-partners: 500", StringComparison.Ordinal);
        Assert.NotEqual(yaml, trap);
        await client.SubmitAsync(editor, $"/definitions/{Key}/draft", new Dictionary<string, string> { ["Yaml"] = trap }, "#save-draft");
        var url = $"/definitions/{Key}/v6/try";
        var page = await client.GetDocumentAsync(url);

        var report = await HtmlForms.ParseAsync(await client.SubmitAsync(page, url, new Dictionary<string, string> { ["Walks"] = "150" }, "#simulate-form"));

        Assert.Contains("Problems found", report.QuerySelector("#simulation-verdict")!.TextContent, StringComparison.Ordinal);
        var never = report.QuerySelector("#never-possible li[data-outcome='joint-strategy:drafted']")!;
        Assert.Contains("Needs at least 500 partner(s) who agreed", never.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scripted_walk_and_bad_numbers_are_answered_in_words()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var page = await client.GetDocumentAsync(TryV4);

        var bad = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = "lots" }, "#simulate-form"));
        var tooMany = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Walks"] = "999999" }, "#simulate-form"));
        var badScript = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Script"] = "- outcome: a\n  colour: red" }, "#simulate-form"));
        var script = await HtmlForms.ParseAsync(await client.SubmitAsync(page, TryV4, new Dictionary<string, string> { ["Script"] = "- action: hold\n- outcome: registered" }, "#simulate-form"));

        Assert.Contains("Number of walks: 'lots' is not a whole number.", bad.QuerySelector("#simulate-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("The number of walks must be from 1 to 5,000; 999,999 was given.", tooMany.QuerySelector("#simulate-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Entry 1 (line 1): unknown key 'colour'", badScript.QuerySelector("#simulate-errors")!.TextContent, StringComparison.Ordinal);
        var entries = script.QuerySelectorAll("#script-result li").Select(li => li.TextContent).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains("hold — done", entries[0], StringComparison.Ordinal);
        Assert.Contains("registered — refused: ", entries[1], StringComparison.Ordinal);
        Assert.Contains("on hold", entries[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Brokers_may_not_try_definitions_on_the_page_or_in_the_api()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var broker = await CaseForms.SignedInAsync(factory, Broker);

        var refused = await broker.GetAsync(TryV4);
        Assert.Contains("/account/access-denied", refused.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        var api = factory.ApiClient(await factory.TokenAsync(Broker));
        await (await api.PostAsync($"/api/v1/definitions/{Key}/simulations", ApiClients.Json(new { version = 4, walks = 10 }))).ProblemAsync(403);
    }

    [Fact]
    public async Task The_api_answers_with_the_same_report_as_the_page_handler()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var api = factory.ApiClient(await factory.TokenAsync(Coordinator));

        var report = await (await api.PostAsync($"/api/v1/definitions/{Key}/simulations", ApiClients.Json(new { version = 4, walks = 60, seed = 2 }))).JsonAsync();
        var again = await (await api.PostAsync($"/api/v1/definitions/{Key}/simulations", ApiClients.Json(new { version = 4, walks = 60, seed = 2 }))).JsonAsync();

        Assert.Equal(60, report.GetProperty("walks").GetInt32());
        Assert.Equal(60, report.GetProperty("endStates").EnumerateArray().Sum(e => e.GetProperty("walks").GetInt32()));
        Assert.Equal(0, report.GetProperty("deadPaths").GetArrayLength());
        Assert.Equal(report.GetRawText(), again.GetRawText());
        var tooMany = await (await api.PostAsync($"/api/v1/definitions/{Key}/simulations", ApiClients.Json(new { version = 4, walks = 0 }))).ProblemAsync(422);
        Assert.Contains("from 1 to 5,000", tooMany.GetProperty("errors").GetProperty("walks")[0].GetString(), StringComparison.Ordinal);
        await (await api.PostAsync($"/api/v1/definitions/{Key}/simulations", ApiClients.Json(new { version = 99 }))).ProblemAsync(404);
    }
}
