using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>The events feed over HTTP: pages with a cursor, each event with its chain hash, only the caller's cases, bad parameters as problems.</summary>
public abstract class ApiEventFeedTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task The_feed_pages_through_the_events_of_the_callers_cases_with_their_hashes_and_refuses_bad_parameters()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync("broker.lv008@tibs.example"));
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Madona Ski Works")))).JsonAsync(201);
        var opened = await (await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = company.GetProperty("id").GetGuid() }))).JsonAsync(201);
        var id = opened.GetProperty("case").GetProperty("id").GetGuid();
        await (await client.PostAsync($"/api/v1/cases/{id}/notes", ApiClients.Json(new { body = "First note." }))).JsonAsync();
        await (await client.PostAsync($"/api/v1/cases/{id}/notes", ApiClients.Json(new { body = "Second note." }))).JsonAsync();

        // A receiver follows the feed a page at a time; when it has caught up ("more": false) it asks again later.
        // On PostgreSQL the feed holds events back while an older transaction of the server is open, so the three
        // events may come a moment after they were written (a minute at most here, then the assertions say what is missing).
        var ours = new List<System.Text.Json.JsonElement>();
        string? after = null;
        var giveUp = DateTimeOffset.UtcNow.AddMinutes(1);
        while (ours.Count < 3 && DateTimeOffset.UtcNow < giveUp)
        {
            var body = await (await client.GetAsync("/api/v1/events?limit=1" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)))).JsonAsync();
            ours.AddRange(body.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("caseId").GetGuid() == id));
            after = body.GetProperty("next").GetString() ?? after;
            if (!body.GetProperty("more").GetBoolean())
            {
                await Task.Delay(20);
            }
        }

        Assert.Equal(["case-opened", "note-added", "note-added"], ours.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([1, 2, 3], ours.Select(e => e.GetProperty("seq").GetInt32()));
        Assert.Equal(ours[0].GetProperty("hash").GetString(), ours[1].GetProperty("prevHash").GetString());
        Assert.All(ours, e => Assert.Equal(64, e.GetProperty("hash").GetString()!.Length));

        var hamburg = factory.ApiClient(await factory.TokenAsync("broker.de60@tibs.example"));
        var theirs = await (await hamburg.GetAsync("/api/v1/events?limit=500")).JsonAsync();
        Assert.DoesNotContain(theirs.GetProperty("events").EnumerateArray(), e => e.GetProperty("caseId").GetGuid() == id);
        Assert.True((await (await client.GetAsync("/api/v1/events?after=not-a-cursor")).ProblemAsync(400)).GetProperty("errors").TryGetProperty("after", out _));
        await (await client.GetAsync("/api/v1/events?limit=0")).ProblemAsync(400);
        await (await factory.ApiClient(null).GetAsync("/api/v1/events")).ProblemAsync(401);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiEventFeedTests(SqliteFixture fixture) : ApiEventFeedTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiEventFeedTests(PostgresFixture fixture) : ApiEventFeedTests(fixture);
