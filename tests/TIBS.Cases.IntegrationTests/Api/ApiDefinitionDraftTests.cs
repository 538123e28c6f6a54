using System.Net;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Drafts and publishing through the API, with the draft editor's conflict rule as ETag / If-Match, on each database.</summary>
public abstract class ApiDefinitionDraftTests(DatabaseFixture fixture)
{
    private const string Coordinator = "coordinator@tibs.example";
    private const string Draft = "/api/v1/definitions/joint-smart-strategy/draft";

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : ApiClients.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return request;
    }

    private static async Task<int> PublishedAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/definitions")).JsonAsync()).EnumerateArray()
            .Single(d => d.GetProperty("key").GetString() == "joint-smart-strategy").GetProperty("publishedVersion").GetInt32();

    [SkippableFact]
    public async Task A_coordinator_starts_saves_and_publishes_a_draft_with_its_etag_and_problems_come_with_path_and_line()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Coordinator));

        var start = await client.GetAsync(Draft);
        var state = await start.JsonAsync();
        Assert.False(state.GetProperty("stored").GetBoolean());
        Assert.Null(start.Headers.ETag);
        var number = state.GetProperty("number").GetInt32();
        var yaml = state.GetProperty("yaml").GetString()!;
        Assert.Contains($"version: {number}", yaml, StringComparison.Ordinal);

        await (await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }))).ProblemAsync(428);
        var created = await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, ifNoneMatch: "*"));
        var saved = await created.JsonAsync(201);
        Assert.True(saved.GetProperty("stored").GetBoolean());
        Assert.Empty(saved.GetProperty("problems").EnumerateArray());
        var etag = created.Headers.ETag!.Tag;
        Assert.Equal(etag, (await client.GetAsync(Draft)).Headers.ETag!.Tag);
        await (await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, ifNoneMatch: "*"))).ProblemAsync(412);

        // A draft may be saved with problems; publishing lists every one with its path and line, and changes nothing.
        var broken = yaml.Replace("to: first-contact", "to: nowhere-at-all", StringComparison.Ordinal);
        var withProblems = await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml = broken }, etag));
        var problems = (await withProblems.JsonAsync()).GetProperty("problems");
        Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains("nowhere-at-all", StringComparison.Ordinal));
        await (await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, etag))).ProblemAsync(412);
        await (await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, "\"3\""))).ProblemAsync(400);
        etag = withProblems.Headers.ETag!.Tag;

        await (await client.SendAsync(Request(HttpMethod.Post, $"{Draft}/publish"))).ProblemAsync(428);
        var noNote = await (await client.SendAsync(Request(HttpMethod.Post, $"{Draft}/publish", ifMatch: etag))).ProblemAsync(422);
        Assert.Contains("change note", noNote.GetProperty("errors").GetProperty("changeNote")[0].GetString(), StringComparison.Ordinal);
        var note = new { changeNote = "Partner search now leads to first contact again." };
        var refused = await (await client.SendAsync(Request(HttpMethod.Post, $"{Draft}/publish", note, ifMatch: etag))).ProblemAsync(422);
        var listed = refused.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("message").GetString()!.Contains("nowhere-at-all", StringComparison.Ordinal));
        Assert.StartsWith("stages[", listed.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.True(listed.GetProperty("line").GetInt32() > 1);
        Assert.True(refused.GetProperty("errors").TryGetProperty(listed.GetProperty("path").GetString()!, out _));
        Assert.Equal(number - 1, await PublishedAsync(client));

        var fixedDraft = await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, etag));
        Assert.Equal(HttpStatusCode.OK, fixedDraft.StatusCode);
        var published = await client.SendAsync(Request(HttpMethod.Post, $"{Draft}/publish", note, ifMatch: fixedDraft.Headers.ETag!.Tag));
        var version = await published.JsonAsync();
        Assert.Equal(("published", number), (version.GetProperty("status").GetString(), version.GetProperty("number").GetInt32()));
        Assert.Equal(note.changeNote, version.GetProperty("changeNote").GetString());
        Assert.Equal(note.changeNote, (await (await client.GetAsync($"/api/v1/definitions/joint-smart-strategy/versions/{number}")).JsonAsync()).GetProperty("changeNote").GetString());
        Assert.Equal($"/api/v1/definitions/joint-smart-strategy/versions/{number}", published.Headers.Location!.OriginalString);
        Assert.Equal(number, await PublishedAsync(client));
        Assert.False((await (await client.GetAsync(Draft)).JsonAsync()).GetProperty("stored").GetBoolean());
    }

    [SkippableFact]
    public async Task The_diff_of_two_versions_lists_structured_changes_the_yaml_lines_and_the_change_notes()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Coordinator));

        var diff = await (await client.GetAsync("/api/v1/definitions/joint-smart-strategy/diff?from=3&to=4")).JsonAsync();

        Assert.Equal((3, 4), (diff.GetProperty("from").GetProperty("number").GetInt32(), diff.GetProperty("to").GetProperty("number").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, diff.GetProperty("to").GetProperty("changeNote").ValueKind);
        var added = Assert.Single(diff.GetProperty("changes").EnumerateArray(), c => c.GetProperty("kind").GetString() == "added");
        Assert.Contains("solutions-taken-up", added.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Contains(diff.GetProperty("lines").EnumerateArray(), l => l.GetProperty("kind").GetString() == "added" && l.GetProperty("text").GetString()!.Contains("key: solutions-taken-up", StringComparison.Ordinal));

        var bad = await (await client.GetAsync("/api/v1/definitions/joint-smart-strategy/diff?from=x&to=4")).ProblemAsync(422);
        Assert.Contains("version number", bad.GetProperty("errors").GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        await (await client.GetAsync("/api/v1/definitions/joint-smart-strategy/diff?from=1&to=42")).ProblemAsync(404);
        var broker = factory.ApiClient(await factory.TokenAsync("broker.lv008@tibs.example"));
        await (await broker.GetAsync("/api/v1/definitions/joint-smart-strategy/diff")).ProblemAsync(403);

        var bpmn = await client.GetAsync("/api/v1/definitions/joint-smart-strategy/versions/4/bpmn");
        Assert.Equal(HttpStatusCode.OK, bpmn.StatusCode);
        Assert.Equal("application/xml", bpmn.Content.Headers.ContentType!.MediaType);
        var xml = System.Xml.Linq.XDocument.Parse(await bpmn.Content.ReadAsStringAsync());
        Assert.Equal("http://www.omg.org/spec/BPMN/20100524/MODEL", xml.Root!.Name.NamespaceName);
        await (await client.GetAsync("/api/v1/definitions/joint-smart-strategy/versions/42/bpmn")).ProblemAsync(404);
    }

    [SkippableFact]
    public async Task A_draft_is_discarded_with_if_match_and_only_coordinators_with_a_write_token_touch_drafts()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Coordinator));
        var yaml = (await (await client.GetAsync(Draft)).JsonAsync()).GetProperty("yaml").GetString()!;
        var created = await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, ifNoneMatch: "*"));
        var etag = created.Headers.ETag!.Tag;

        await (await client.SendAsync(Request(HttpMethod.Delete, Draft))).ProblemAsync(428);
        var resaved = await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml = yaml + "\n# reviewed\n" }, etag));
        await (await client.SendAsync(Request(HttpMethod.Delete, Draft, ifMatch: etag))).ProblemAsync(412);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Request(HttpMethod.Delete, Draft, ifMatch: resaved.Headers.ETag!.Tag))).StatusCode);
        Assert.False((await (await client.GetAsync(Draft)).JsonAsync()).GetProperty("stored").GetBoolean());

        // A draft started again after a discard is another draft: the old ETag does not fit it even at the same row version.
        var again = await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, ifNoneMatch: "*"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await (await client.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, etag))).ProblemAsync(412);
        await (await client.SendAsync(Request(HttpMethod.Put, Draft, new { }, again.Headers.ETag!.Tag))).ProblemAsync(422);
        await (await client.GetAsync("/api/v1/definitions/no-such-definition/draft")).ProblemAsync(404);

        var broker = factory.ApiClient(await factory.TokenAsync("broker.lv008@tibs.example"));
        await (await broker.GetAsync(Draft)).ProblemAsync(403);
        await (await broker.SendAsync(Request(HttpMethod.Put, Draft, new { yaml }, again.Headers.ETag.Tag))).ProblemAsync(403);
        var reader = factory.ApiClient(await factory.TokenAsync(Coordinator, TokenScopes.Read));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(Draft)).StatusCode);
        await (await reader.SendAsync(Request(HttpMethod.Post, $"{Draft}/publish", ifMatch: again.Headers.ETag.Tag))).ProblemAsync(403);
        await (await reader.SendAsync(Request(HttpMethod.Delete, Draft, ifMatch: again.Headers.ETag.Tag))).ProblemAsync(403);
        Assert.True((await (await client.GetAsync(Draft)).JsonAsync()).GetProperty("stored").GetBoolean());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiDefinitionDraftTests(SqliteFixture fixture) : ApiDefinitionDraftTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiDefinitionDraftTests(PostgresFixture fixture) : ApiDefinitionDraftTests(fixture);
