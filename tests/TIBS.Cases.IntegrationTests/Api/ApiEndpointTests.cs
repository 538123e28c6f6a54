using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>The endpoints on stable handlers (profile, notifications, definitions), idempotency keys and the rate limit, on each database.</summary>
public abstract class ApiEndpointTests(DatabaseFixture fixture)
{
    private const string Coordinator = "coordinator@tibs.example";
    private const string Broker = "broker.lv008@tibs.example";

    private async Task<TibsWebFactory> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture, settings);
        _ = factory.Services;
        return factory;
    }

    private static async Task<Guid> NotifyAsync(TibsWebFactory factory, Guid userId, string title)
    {
        var id = Guid.CreateVersion7();
        Assert.True(await factory.Services.GetRequiredService<INotificationStore>().AddAsync(new NotificationRecord
        {
            Id = id, UserId = userId, Kind = "test", Title = title, Body = "Please have a look.", DeliveryKey = $"test:{id}", CreatedAt = DateTimeOffset.UtcNow,
        }));
        return id;
    }

    [SkippableFact]
    public async Task Notifications_are_listed_newest_first_and_marked_read_only_by_their_owner()
    {
        using var factory = await StartAsync();
        var broker = await factory.UserAsync(Broker);
        var other = await factory.UserAsync("broker.dk05@tibs.example");
        var first = await NotifyAsync(factory, broker.Id, "Reminder: needs assessment is due");
        var second = await NotifyAsync(factory, broker.Id, "Escalation: needs assessment is overdue");
        var theirs = await NotifyAsync(factory, other.Id, "Not for Vidzeme");
        var client = factory.ApiClient(await factory.TokenAsync(Broker));

        var list = await (await client.GetAsync("/api/v1/notifications")).JsonAsync();
        Assert.Equal([second, first], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(2, list.GetProperty("unread").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/notifications/{second}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/notifications/{second}/read", null)).StatusCode);
        var unread = await (await client.GetAsync("/api/v1/notifications?unreadOnly=true")).JsonAsync();
        Assert.Equal([first], unread.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(1, unread.GetProperty("unread").GetInt32());

        await (await client.PostAsync($"/api/v1/notifications/{theirs}/read", null)).ProblemAsync(404);
        Assert.Null((await factory.Services.GetRequiredService<INotificationStore>().GetAsync(theirs))!.ReadAt);
        await (await client.GetAsync("/api/v1/notifications?take=many")).ProblemAsync(400);
    }

    [SkippableFact]
    public async Task Coordinators_read_definitions_their_yaml_and_diagram_and_others_are_refused()
    {
        using var factory = await StartAsync();
        var client = factory.ApiClient(await factory.TokenAsync(Coordinator, TokenScopes.Read));

        var list = await (await client.GetAsync("/api/v1/definitions")).JsonAsync();
        var jss = list.EnumerateArray().Single(d => d.GetProperty("key").GetString() == "joint-smart-strategy");
        var newest = jss.GetProperty("versions")[0].GetProperty("number").GetInt32();
        Assert.Equal(newest, jss.GetProperty("publishedVersion").GetInt32());

        var version = await (await client.GetAsync($"/api/v1/definitions/joint-smart-strategy/versions/{newest}")).JsonAsync();
        Assert.Equal("published", version.GetProperty("status").GetString());
        Assert.Contains("stateDiagram", version.GetProperty("diagram").GetString(), StringComparison.Ordinal);
        Assert.Empty(version.GetProperty("problems").EnumerateArray());

        var yaml = await client.GetAsync($"/api/v1/definitions/joint-smart-strategy/versions/{newest}/yaml");
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        Assert.Equal(version.GetProperty("yaml").GetString(), await yaml.Content.ReadAsStringAsync());
        var diagram = await client.GetAsync($"/api/v1/definitions/joint-smart-strategy/versions/{newest}/diagram");
        Assert.Equal("text/vnd.mermaid", diagram.Content.Headers.ContentType?.MediaType);
        Assert.Equal(version.GetProperty("diagram").GetString(), await diagram.Content.ReadAsStringAsync());

        foreach (var missing in new[] { "/versions/999", "/versions/999/yaml", "/versions/999/diagram" })
        {
            await (await client.GetAsync("/api/v1/definitions/joint-smart-strategy" + missing)).ProblemAsync(404);
        }

        var broker = factory.ApiClient(await factory.TokenAsync(Broker));
        await (await broker.GetAsync("/api/v1/definitions")).ProblemAsync(403);
        await (await broker.PostAsync("/api/v1/definitions/validate", ApiClients.Json(new { yaml = "key: x" }))).ProblemAsync(403);
    }

    [SkippableFact]
    public async Task Posted_yaml_is_checked_with_every_problem_and_its_path_and_bad_requests_are_problems()
    {
        using var factory = await StartAsync();
        var client = factory.ApiClient(await factory.TokenAsync(Coordinator, TokenScopes.Read));
        var current = await (await client.GetAsync("/api/v1/definitions/joint-smart-strategy/versions/1/yaml")).Content.ReadAsStringAsync();

        var valid = await (await client.PostAsync("/api/v1/definitions/validate", ApiClients.Json(new { yaml = current }))).JsonAsync();
        Assert.True(valid.GetProperty("valid").GetBoolean());
        Assert.Equal("joint-smart-strategy", valid.GetProperty("key").GetString());

        var broken = current.Replace("version: 1", "version: 0", StringComparison.Ordinal) + "\nunknown_top_level: true\n";
        var invalid = await (await client.PostAsync("/api/v1/definitions/validate", ApiClients.Json(new { yaml = broken }))).JsonAsync();
        Assert.False(invalid.GetProperty("valid").GetBoolean());
        Assert.True(invalid.GetProperty("problems").GetArrayLength() >= 1);
        Assert.All(invalid.GetProperty("problems").EnumerateArray(), p => Assert.False(string.IsNullOrEmpty(p.GetProperty("message").GetString())));

        var empty = await (await client.PostAsync("/api/v1/definitions/validate", ApiClients.Json(new { yaml = "" }))).ProblemAsync(422);
        Assert.Equal("Send the definition's YAML in 'yaml'.", empty.GetProperty("errors").GetProperty("yaml")[0].GetString());

        using var malformed = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync("/api/v1/definitions/validate", malformed)).ProblemAsync(400);
        await (await client.GetAsync("/api/v1/no-such-resource")).ProblemAsync(404);
    }

    [SkippableFact]
    public async Task A_retry_with_the_same_idempotency_key_gets_the_first_answer_and_changes_nothing()
    {
        using var factory = await StartAsync();
        var broker = await factory.UserAsync(Broker);
        var id = await NotifyAsync(factory, broker.Id, "Reminder");
        var client = factory.ApiClient(await factory.TokenAsync(Broker));

        HttpRequestMessage MarkRead(string key, Guid notification)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{notification}/read");
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = await client.SendAsync(MarkRead("key-1", id));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        // Undo the effect behind the API's back: a replay must not run the request again.
        await fixture.ExecuteAsync("UPDATE notifications SET read_at = NULL WHERE id = @id", new { id });
        var replay = await client.SendAsync(MarkRead("key-1", id));
        Assert.Equal(HttpStatusCode.NoContent, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Null((await factory.Services.GetRequiredService<INotificationStore>().GetAsync(id))!.ReadAt);

        await (await client.SendAsync(MarkRead("key-1", Guid.NewGuid()))).ProblemAsync(422);
        await (await client.SendAsync(MarkRead(new string('k', 201), id))).ProblemAsync(400);

        // Keys are the caller's own: another user's same key is a new request.
        var coordinator = factory.ApiClient(await factory.TokenAsync(Coordinator));
        using var check = new HttpRequestMessage(HttpMethod.Post, "/api/v1/definitions/validate") { Content = ApiClients.Json(new { yaml = "key: x" }) };
        check.Headers.Add("Idempotency-Key", "key-1");
        var answer = await coordinator.SendAsync(check);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Idempotent-Replayed"));
        using var again = new HttpRequestMessage(HttpMethod.Post, "/api/v1/definitions/validate") { Content = ApiClients.Json(new { yaml = "key: x" }) };
        again.Headers.Add("Idempotency-Key", "key-1");
        var replayed = await coordinator.SendAsync(again);
        Assert.Equal(await answer.Content.ReadAsStringAsync(), await replayed.Content.ReadAsStringAsync());
        Assert.Equal("application/json", replayed.Content.Headers.ContentType?.MediaType);
    }

    [SkippableFact]
    public async Task Each_token_has_its_own_rate_limit_and_a_refusal_says_when_to_retry()
    {
        using var factory = await StartAsync(new Dictionary<string, string?> { ["Api:RateLimitPermits"] = "3", ["Api:RateLimitWindow"] = "01:00:00" });
        var busy = factory.ApiClient(await factory.TokenAsync(Broker, TokenScopes.Read));
        var other = factory.ApiClient(await factory.TokenAsync(Broker, TokenScopes.Read));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/me")).StatusCode);
        }

        var refused = await busy.GetAsync("/api/v1/me");
        await refused.ProblemAsync(429);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/me")).StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiEndpointTests(SqliteFixture fixture) : ApiEndpointTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiEndpointTests(PostgresFixture fixture) : ApiEndpointTests(fixture);
