using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// "Try it" on a definition with partner tracks: the page and the API show where the tracks ended, how many the join
/// cancelled, how often each join rule fired, and a join rule that never fires as a finding in words.
/// </summary>
public sealed class TrackSimulationPageTests
{
    private const string Coordinator = "coordinator@tibs.example";

    private static string Words(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>v1 as the tests' track definition; v2 asks for ten partners who agreed, more than a walk ever shortlists.</summary>
    private static async Task ImportAsync(TibsWebFactory factory)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "try-tracks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, TrackDefinition.Key));
        await File.WriteAllTextAsync(Path.Combine(folder, TrackDefinition.Key, "v1.yaml"), TrackDefinition.Yaml(1));
        var impossible = TrackDefinition.Yaml(2).Replace("tracks.agreed >= 1", "tracks.agreed >= 10", StringComparison.Ordinal);
        Assert.Contains("tracks.agreed >= 10", impossible, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(folder, TrackDefinition.Key, "v2.yaml"), impossible);
        await factory.Services.GetRequiredService<WorkflowCatalog>().ImportFolderAsync(folder);
    }

    [Fact]
    public async Task The_try_page_shows_where_tracks_ended_the_cancelled_ones_and_how_often_each_join_rule_fired()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        await ImportAsync(factory);
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var url = $"/definitions/{TrackDefinition.Key}/v1/try";
        var page = await client.GetDocumentAsync(url);

        var report = await HtmlForms.ParseAsync(await client.SubmitAsync(page, url, new Dictionary<string, string> { ["Walks"] = "80", ["Seed"] = "3" }, "#simulate-form"));

        var ends = report.QuerySelector(".track-ends[data-step='expressions']")!;
        Assert.Contains("Where the tracks of Expressions of interest ended", ends.TextContent, StringComparison.Ordinal);
        var agreed = ends.QuerySelector("tr[data-end='agreed']")!.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(["Agreed", "ended (success)"], agreed.Take(2));
        Assert.True(int.Parse(agreed[2], System.Globalization.CultureInfo.InvariantCulture) > 0, "some tracks agreed in 80 walks");
        Assert.Equal("ended (failure)", ends.QuerySelector("tr[data-end='no-answer'] td:nth-child(2)")!.TextContent);
        Assert.Contains("cancelled by the join in this state", ends.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"^Expressions of interest: \d+ track\(s\) cancelled by the join while still open, \d+ ended\.$",
            Words(report.QuerySelector(".tracks-cancelled[data-step='expressions']")!.TextContent));
        var rules = report.QuerySelectorAll("#joins tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToList()).ToList();
        Assert.Equal(["tracks.agreed >= 1", "partner-found"], rules[0].Skip(1).Take(2));
        Assert.Equal(["tracks.open == 0", "back-to-matching"], rules[1].Skip(1).Take(2));
        Assert.True(int.Parse(rules[0][3], System.Globalization.CultureInfo.InvariantCulture) > 0, "the first rule fired");
        Assert.Null(report.QuerySelector("#never-joined"));
    }

    [Fact]
    public async Task A_join_rule_that_never_fires_is_a_finding_in_words_on_the_page_and_in_the_api()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        await ImportAsync(factory);
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var url = $"/definitions/{TrackDefinition.Key}/v2/try";
        var page = await client.GetDocumentAsync(url);

        var report = await HtmlForms.ParseAsync(await client.SubmitAsync(page, url, new Dictionary<string, string> { ["Walks"] = "40" }, "#simulate-form"));

        Assert.Contains("Problems found", report.QuerySelector("#simulation-verdict")!.TextContent, StringComparison.Ordinal);
        var finding = Words(report.QuerySelector("#never-joined li[data-step='expressions']")!.TextContent);
        Assert.StartsWith("The join rule 'tracks.agreed >= 10' of 'Expressions of interest' (outcome 'partner-found') never fired in ", finding, StringComparison.Ordinal);
        Assert.Contains("the tracks stood at: ", finding, StringComparison.Ordinal);

        var api = factory.ApiClient(await factory.TokenAsync(Coordinator));
        var json = await (await api.PostAsync($"/api/v1/definitions/{TrackDefinition.Key}/simulations", ApiClients.Json(new { version = 2, walks = 40 }))).JsonAsync();
        var never = Assert.Single(json.GetProperty("neverJoined").EnumerateArray());
        Assert.StartsWith("The join rule 'tracks.agreed >= 10'", never.GetProperty("finding").GetString(), StringComparison.Ordinal);
        Assert.Contains(json.GetProperty("trackEnds").EnumerateArray(), e => e.GetProperty("kind").GetString() == "failure" && e.GetProperty("tracks").GetInt32() > 0);
    }
}
