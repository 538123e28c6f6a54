using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// A long case on the case page and through the API: the latest fifty events, a link to the earlier ones that works
/// without script, what the audit status of a page proves and what only the whole trail's verification proves.
/// </summary>
public abstract class CaseTimelinePagingTests(DatabaseFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";

    /// <summary>A case opened through the page, with <paramref name="notes"/> notes after its opening event.</summary>
    private async Task<(TibsWebFactory Factory, HttpClient Client, string Url, Guid CaseId)> LongCaseAsync(int notes)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        var client = await SignedInAsync(factory, Broker);
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var url = opened.RequestMessage!.RequestUri!.AbsolutePath;
        var caseId = Guid.Parse(url[7..]);
        var user = await factory.UserAsync(Broker);
        var addNote = factory.Services.GetRequiredService<AddNote>();
        for (var n = 1; n <= notes; n++)
        {
            Assert.True((await addNote.HandleAsync(new AddNote.Request(caseId, $"Call {n} with the lead SME."), user.AsActor())).Succeeded);
        }

        return (factory, client, url, caseId);
    }

    [SkippableFact]
    public async Task A_case_with_sixty_one_events_shows_the_latest_fifty_and_the_link_shows_the_eleven_before_them()
    {
        var (factory, client, url, _) = await LongCaseAsync(60);
        using var owned = factory;

        var latest = await client.GetDocumentAsync(url);

        Assert.Equal(50, latest.QuerySelectorAll("#timeline > li").Length);
        Assert.Equal("61", latest.QuerySelector("#timeline > li")!.GetAttribute("data-seq"));
        Assert.Equal("12", latest.QuerySelectorAll("#timeline > li").Last().GetAttribute("data-seq"));
        Assert.Equal("11 earlier events are not shown. Show earlier events", latest.QuerySelector("#earlier-events")!.TextContent.Trim());
        Assert.Null(latest.QuerySelector("#later-events"));
        Assert.Equal(
            "Audit trail: the latest 50 of 61 events are intact and end at the case's recorded head. The other events are checked when you verify the whole trail.",
            latest.QuerySelector("#audit-status")!.TextContent.Trim());
        var link = latest.QuerySelector("#earlier-events a")!;
        Assert.Equal("Show earlier events", link.TextContent);
        Assert.Equal($"{url}?before=12#timeline-heading", link.GetAttribute("href"));

        var earlier = await client.GetDocumentAsync(link.GetAttribute("href")!);

        Assert.Equal(Enumerable.Range(1, 11).Reverse().Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            earlier.QuerySelectorAll("#timeline > li").Select(li => li.GetAttribute("data-seq")));
        Assert.Contains("Case opened", earlier.QuerySelectorAll("#timeline > li").Last().TextContent, StringComparison.Ordinal);
        Assert.Null(earlier.QuerySelector("#earlier-events"));
        Assert.Equal("50 later events are not shown here. Show the latest events", earlier.QuerySelector("#later-events")!.TextContent.Trim());
        Assert.Equal("Audit trail verified: all 61 events are intact; no signed checkpoint covers this case yet.",
            (await client.GetDocumentAsync(latest.QuerySelector("#verify-trail a")!.GetAttribute("href")!)).QuerySelector("#audit-status")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{url}?before=0")).StatusCode);
    }

    [SkippableFact]
    public async Task An_edited_event_before_the_page_is_found_by_verifying_the_whole_trail_and_one_on_the_page_on_every_view()
    {
        var (factory, client, url, caseId) = await LongCaseAsync(55);
        using var owned = factory;
        async Task EditAsync(int seq)
        {
            await using var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            await c.ExecuteAsync("UPDATE case_events SET data = REPLACE(data, 'Call', 'Visit') WHERE case_id = @caseId AND seq = @seq", new { caseId, seq });
        }

        await EditAsync(3);
        var page = await client.GetDocumentAsync(url);
        Assert.StartsWith("Audit trail: the latest 50 of 56 events are intact", page.QuerySelector("#audit-status")!.TextContent.Trim(), StringComparison.Ordinal);
        var whole = await client.GetDocumentAsync($"{url}?verify=trail");
        Assert.Equal("Audit trail broken (an event was edited): Event 3 (Note) was edited: its content does not match its hash.", whole.QuerySelector("#audit-status")!.TextContent.Trim());
        Assert.Equal("edited", whole.QuerySelector("#audit-status")!.GetAttribute("data-audit-problem"));

        await EditAsync(40);
        var edited = await client.GetDocumentAsync(url);
        Assert.Equal("Audit trail broken (an event was edited): Event 40 (Note) was edited: its content does not match its hash.", edited.QuerySelector("#audit-status")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task The_API_gives_a_page_of_events_and_where_the_earlier_ones_start()
    {
        var (factory, _, _, caseId) = await LongCaseAsync(12);
        using var owned = factory;
        var api = factory.ApiClient(await factory.TokenAsync(Broker, "read"));

        var latest = await (await api.GetAsync($"/api/v1/cases/{caseId}?eventsLimit=5")).JsonAsync();
        Assert.Equal([9, 10, 11, 12, 13], latest.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()));
        Assert.Equal(8, latest.GetProperty("earlierEvents").GetInt32());
        Assert.Equal(9, latest.GetProperty("earlierEventsBefore").GetInt32());
        var newest = latest.GetProperty("events")[4];
        Assert.Equal("note-added", newest.GetProperty("kind").GetString());
        Assert.Equal((await factory.UserAsync(Broker)).DisplayName, newest.GetProperty("actorName").GetString());
        Assert.Equal(latest.GetProperty("events")[3].GetProperty("hash").GetString(), newest.GetProperty("prevHash").GetString());

        var first = await (await api.GetAsync($"/api/v1/cases/{caseId}?eventsBefore=4")).JsonAsync();
        Assert.Equal([1, 2, 3], first.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()));
        Assert.Equal(0, first.GetProperty("earlierEvents").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("earlierEventsBefore").ValueKind);
        Assert.Equal(13, (await (await api.GetAsync($"/api/v1/cases/{caseId}")).JsonAsync()).GetProperty("events").GetArrayLength());

        var refused = await (await api.GetAsync($"/api/v1/cases/{caseId}?eventsLimit=501")).ProblemAsync(400);
        Assert.Equal("A page shows from 1 to 500 events.", refused.GetProperty("detail").GetString());
        await (await api.GetAsync($"/api/v1/cases/{caseId}?eventsBefore=1")).ProblemAsync(400);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseTimelinePagingTests(SqliteFixture fixture) : CaseTimelinePagingTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseTimelinePagingTests(PostgresFixture fixture) : CaseTimelinePagingTests(fixture);
