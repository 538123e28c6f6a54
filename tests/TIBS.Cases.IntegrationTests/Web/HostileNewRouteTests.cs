using System.Net;
using System.Text;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Hostile input on the routes of tracks, simulations, the version diff, the BPMN export and the step editor: bad ids,
/// bad or missing If-Match, unknown outcomes, huge bodies, negative or huge walks, broken or huge YAML, seeds out of
/// range, unknown or equal versions and non-numbers, unknown steps and hostile characters. Every answer is a 4xx that
/// says in words what is wrong (no 500, no stack trace), and nothing saved is lost.
/// </summary>
public abstract class HostileNewRouteTests(DatabaseFixture fixture)
{
    private const string Key = "joint-smart-strategy";
    private const string Coordinator = "coordinator@tibs.example";

    private static readonly string Huge = new('x', 2_000_000);

    private sealed class Answers
    {
        public List<string> Wrong { get; } = [];

        /// <summary>Checks that <paramref name="response"/> is a 4xx (or <paramref name="expected"/>) with words and no stack trace; returns the body.</summary>
        public async Task<string> CheckAsync(string what, HttpResponseMessage response, HttpStatusCode? expected = null, string? words = null)
        {
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500 || (expected is { } e && response.StatusCode != e))
            {
                Wrong.Add($"{what}: {status} (expected {(expected is null ? "a 4xx" : (int)expected)}): {body[..Math.Min(300, body.Length)]}");
            }
            else if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            {
                Wrong.Add($"{what}: the answer shows a stack trace or an exception");
            }
            else if (words is not null && !body.Contains(words, StringComparison.Ordinal))
            {
                Wrong.Add($"{what}: '{words}' not in {body[..Math.Min(300, body.Length)]}");
            }

            return body;
        }
    }

    private static HttpRequestMessage Post(string url, HttpContent content, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    [SkippableFact]
    public async Task The_tracks_api_answers_bad_ids_tags_outcomes_and_huge_bodies_in_words_and_keeps_the_track()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var caseId = await TrackCases.StartAsync(factory, fixture);
        var client = factory.ApiClient(await factory.TokenAsync(TrackCases.Hamburg));
        var listed = await (await client.GetAsync($"/api/v1/cases/{caseId}/tracks")).JsonAsync();
        var trackId = listed.GetProperty("tracks").EnumerateArray().Single().GetProperty("id").GetGuid();
        var url = $"/api/v1/cases/{caseId}/tracks/{trackId}/outcomes";
        var a = new Answers();

        await a.CheckAsync("tracks of a case id that is no id", await client.GetAsync("/api/v1/cases/not-an-id/tracks"), HttpStatusCode.NotFound);
        await a.CheckAsync("tracks of an unknown case", await client.GetAsync($"/api/v1/cases/{Guid.NewGuid()}/tracks"), HttpStatusCode.NotFound);
        await a.CheckAsync("a track id that is no id", await client.SendAsync(Post($"/api/v1/cases/{caseId}/tracks/x'%3B--/outcomes", ApiClients.Json(new { outcome = "interested" }), "\"1\"")), HttpStatusCode.NotFound);
        await a.CheckAsync("an unknown track", await client.SendAsync(Post($"/api/v1/cases/{caseId}/tracks/{Guid.NewGuid()}/outcomes", ApiClients.Json(new { outcome = "interested" }), "\"1\"")), HttpStatusCode.NotFound);
        await a.CheckAsync("no If-Match", await client.SendAsync(Post(url, ApiClients.Json(new { outcome = "interested" }), null)), HttpStatusCode.PreconditionRequired);
        await a.CheckAsync("an If-Match that is no version", await client.SendAsync(Post(url, ApiClients.Json(new { outcome = "interested" }), "\"abc\"")));
        await a.CheckAsync("a negative If-Match", await client.SendAsync(Post(url, ApiClients.Json(new { outcome = "interested" }), "\"-5\"")));
        await a.CheckAsync("an If-Match of a version that never was", await client.SendAsync(Post(url, ApiClients.Json(new { outcome = "interested" }), "\"99999999999\"")));
        await a.CheckAsync("an unknown outcome", await client.SendAsync(Post(url, ApiClients.Json(new { outcome = "teleport" }), "\"1\"")), words: "teleport");
        await a.CheckAsync("no outcome", await client.SendAsync(Post(url, ApiClients.Json(new { }), "\"1\"")));
        await a.CheckAsync("broken JSON", await client.SendAsync(Post(url, RawJson("{\"outcome\": "), "\"1\"")), HttpStatusCode.BadRequest);
        await a.CheckAsync("a huge outcome", await client.SendAsync(Post(url, ApiClients.Json(new { outcome = Huge }), "\"1\"")));

        Assert.True(a.Wrong.Count == 0, string.Join("\n", a.Wrong));
        var after = await (await client.GetAsync($"/api/v1/cases/{caseId}/tracks")).JsonAsync();
        var track = after.GetProperty("tracks").EnumerateArray().Single();
        Assert.Equal(("contacted", 1), (track.GetProperty("state").GetString(), track.GetProperty("version").GetInt32()));
    }

    [SkippableFact]
    public async Task Simulations_diff_bpmn_and_the_step_editor_answer_hostile_input_in_words()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var api = factory.ApiClient(await factory.TokenAsync(Coordinator));
        var sims = $"/api/v1/definitions/{Key}/simulations";
        var a = new Answers();

        await a.CheckAsync("negative walks", await api.PostAsync(sims, ApiClients.Json(new { version = 4, walks = -5 })), HttpStatusCode.UnprocessableEntity, "walks");
        await a.CheckAsync("huge walks", await api.PostAsync(sims, RawJson("{\"version\":4,\"walks\":99999999999999}")));
        await a.CheckAsync("seed out of range", await api.PostAsync(sims, RawJson("{\"version\":4,\"walks\":5,\"seed\":99999999999999}")));
        await a.CheckAsync("walks as words", await api.PostAsync(sims, RawJson("{\"version\":4,\"walks\":\"many\"}")));
        await a.CheckAsync("broken YAML", await api.PostAsync(sims, ApiClients.Json(new { version = 4, script = "- outcome: [registered\n  : :" })), HttpStatusCode.UnprocessableEntity);
        await a.CheckAsync("huge YAML", await api.PostAsync(sims, ApiClients.Json(new { version = 4, script = "- outcome: " + Huge })));
        await a.CheckAsync("version 0", await api.PostAsync(sims, ApiClients.Json(new { version = 0, walks = 5 })), HttpStatusCode.NotFound);
        await a.CheckAsync("a negative version", await api.PostAsync(sims, ApiClients.Json(new { version = -3, walks = 5 })), HttpStatusCode.NotFound);
        await a.CheckAsync("no body", await api.PostAsync(sims, RawJson("")));

        var diff = $"/api/v1/definitions/{Key}/diff";
        await a.CheckAsync("diff of an unknown version", await api.GetAsync($"{diff}?from=1&to=99"), HttpStatusCode.NotFound);
        await a.CheckAsync("diff of version 0", await api.GetAsync($"{diff}?from=0&to=2"), HttpStatusCode.UnprocessableEntity, "'from' must be a version number");
        await a.CheckAsync("diff of words", await api.GetAsync($"{diff}?from=one&to=2"), HttpStatusCode.UnprocessableEntity, "from");
        await a.CheckAsync("diff of a huge number", await api.GetAsync($"{diff}?from=1&to=99999999999999999999"), HttpStatusCode.UnprocessableEntity);
        await a.CheckAsync("diff of an unknown definition", await api.GetAsync("/api/v1/definitions/no-such-thing/diff?from=1&to=2"), HttpStatusCode.NotFound);
        var same = await api.GetAsync($"{diff}?from=2&to=2");
        Assert.True(same.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"the same version twice: {(int)same.StatusCode}");

        await a.CheckAsync("BPMN of an unknown version", await api.GetAsync($"/api/v1/definitions/{Key}/versions/99/bpmn"), HttpStatusCode.NotFound);
        await a.CheckAsync("BPMN of version 0", await api.GetAsync($"/api/v1/definitions/{Key}/versions/0/bpmn"), HttpStatusCode.NotFound);
        await a.CheckAsync("BPMN of a version that is no number", await api.GetAsync($"/api/v1/definitions/{Key}/versions/two/bpmn"), HttpStatusCode.NotFound);

        var page = await CaseForms.SignedInAsync(factory, Coordinator);
        await a.CheckAsync("Try page of an unknown version", await page.GetAsync($"/definitions/{Key}/v99/try"), HttpStatusCode.NotFound);
        await a.CheckAsync("Try page of a version that is no number", await page.GetAsync($"/definitions/{Key}/vabc/try"), HttpStatusCode.NotFound);
        await a.CheckAsync("Compare of version 0", await page.GetAsync($"/definitions/{Key}/compare?from=0&to=2"), HttpStatusCode.UnprocessableEntity, "The first version must be a version number");
        await a.CheckAsync("Compare of words", await page.GetAsync($"/definitions/{Key}/compare?from=%27%3B--&to=two"), HttpStatusCode.UnprocessableEntity, "must be a version number");
        await a.CheckAsync("the step editor on an unknown step", await page.GetAsync($"/definitions/{Key}/draft/steps/no-such-step"), HttpStatusCode.NotFound);
        await a.CheckAsync("the step editor on a huge step key", await page.GetAsync($"/definitions/{Key}/draft/steps/{new string('s', 3000)}"), HttpStatusCode.NotFound);
        await a.CheckAsync("the step editor on hostile characters", await page.GetAsync($"/definitions/{Key}/draft/steps/%3Cscript%3E%C2%85%27"));

        var tryPage = await page.GetDocumentAsync($"/definitions/{Key}/v4/try");
        foreach (var (what, walks, seed, script) in new[]
        {
            ("negative walks on the page", "-5", "1", ""),
            ("huge walks on the page", "99999999999999", "1", ""),
            ("a seed out of range on the page", "5", "99999999999999", ""),
            ("broken YAML on the page", "5", "1", "- outcome: [registered\n  : :"),
        })
        {
            var answer = await page.SubmitAsync(tryPage, $"/definitions/{Key}/v4/try", new Dictionary<string, string> { ["Walks"] = walks, ["Seed"] = seed, ["Script"] = script }, "#simulate-form");
            var html = await answer.Content.ReadAsStringAsync();
            if ((int)answer.StatusCode >= 500 || !html.Contains("Nothing was simulated", StringComparison.Ordinal))
            {
                a.Wrong.Add($"{what}: {(int)answer.StatusCode}, no error in words");
            }
        }

        Assert.True(a.Wrong.Count == 0, string.Join("\n", a.Wrong));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteHostileNewRouteTests(SqliteFixture fixture) : HostileNewRouteTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresHostileNewRouteTests(PostgresFixture fixture) : HostileNewRouteTests(fixture);
