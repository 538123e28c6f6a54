using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>
/// Cases through the API: a case opened and driven through its first steps with ETag and If-Match, notes, an
/// attachment, case actions and the list with its cursor; every error code, and the pages' access matrix.
/// </summary>
public abstract class ApiCaseTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Hamburg = "broker.de60@tibs.example";

    private static HttpRequestMessage Post(string url, object? body, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : ApiClients.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    /// <summary>A company of the Latvian broker's region and a case opened for it through the API.</summary>
    private static async Task<(Guid CaseId, string Reference)> OpenAsync(HttpClient client, string companyName)
    {
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid(companyName)))).JsonAsync(201);
        var opened = await client.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = company.GetProperty("id").GetGuid(), title = $"{companyName}: API pilot" }));
        var body = await opened.JsonAsync(201);
        var c = body.GetProperty("case");
        Assert.Equal($"/api/v1/cases/{c.GetProperty("id").GetGuid()}", opened.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", opened.Headers.ETag!.Tag);
        Assert.Equal("intake", c.GetProperty("currentStep").GetString());
        return (c.GetProperty("id").GetGuid(), c.GetProperty("reference").GetString()!);
    }

    /// <summary>Valid values of the current step's form as JSON, filled as a broker would fill them.</summary>
    private static async Task<Dictionary<string, object>> ValuesAsync(TibsWebFactory factory, string stepKey, Guid companyId)
    {
        var (_, plan) = await factory.Services.GetRequiredService<WorkflowCatalog>().GetPublishedAsync(OpenCase.DefaultDefinitionKey);
        var input = FormFiller.Fill(plan.GetStep(stepKey).Fields, companyId);
        return input.Strings.ToDictionary(p => p.Key, p => p.Value.Count == 1 ? (object)p.Value[0] : p.Value, StringComparer.Ordinal);
    }

    [SkippableFact]
    public async Task A_case_is_opened_driven_through_steps_with_if_match_and_its_notes_attachments_and_actions_recorded()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var (id, reference) = await OpenAsync(client, "Gauja Wood Modules");
        var url = $"/api/v1/cases/{id}";

        var read = await client.GetAsync(url);
        var view = await read.JsonAsync();
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        Assert.True(view.GetProperty("mayCompleteStep").GetBoolean());
        Assert.Contains("broker", view.GetProperty("yourRoles").EnumerateArray().Select(r => r.GetString()));
        var outcomes = await (await client.GetAsync($"{url}/outcomes")).JsonAsync();
        var registered = Assert.Single(outcomes.GetProperty("outcomes").EnumerateArray());
        Assert.Equal("registered", registered.GetProperty("key").GetString());
        Assert.False(registered.GetProperty("isAllowed").GetBoolean());
        Assert.Contains(registered.GetProperty("unmet").EnumerateArray(), u => !string.IsNullOrWhiteSpace(u.GetProperty("reason").GetString()));
        Assert.Contains(outcomes.GetProperty("caseActions").EnumerateArray(), a => a.GetProperty("key").GetString() == "hold" && a.GetProperty("forYou").GetBoolean());

        var complete = $"{url}/steps/current/complete";
        var intake = new { outcome = "registered", values = new Dictionary<string, object> { ["contact-data-consent"] = true, ["consent-date"] = "2026-11-20", ["source"] = "event" } };
        var first = await client.SendAsync(Post(complete, intake, "\"1\"", "complete-intake"));
        var done = await first.JsonAsync();
        Assert.Equal("first-contact", done.GetProperty("case").GetProperty("currentStep").GetString());
        Assert.Equal("\"2\"", first.Headers.ETag!.Tag);

        var replay = await client.SendAsync(Post(complete, intake, "\"1\"", "complete-intake"));
        Assert.Equal(done.ToString(), (await replay.JsonAsync()).ToString());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var afterReplay = await client.GetAsync(url);
        Assert.Equal("\"2\"", afterReplay.Headers.ETag!.Tag);
        Assert.Equal(2, (await afterReplay.JsonAsync()).GetProperty("steps").GetArrayLength());

        var company = view.GetProperty("case").GetProperty("leadCompanyId").GetGuid();
        var stale = await client.SendAsync(Post(complete, new { outcome = "contacted", values = await ValuesAsync(factory, "first-contact", company) }, "\"1\""));
        await stale.ProblemAsync(412);
        Assert.Equal("\"2\"", stale.Headers.ETag!.Tag);
        var second = await client.SendAsync(Post(complete, new { outcome = "contacted", values = await ValuesAsync(factory, "first-contact", company) }, "\"2\""));
        Assert.Equal("needs-assessment", (await second.JsonAsync()).GetProperty("case").GetProperty("currentStep").GetString());
        var third = await client.SendAsync(Post(complete, new { outcome = "assessed", values = await ValuesAsync(factory, "needs-assessment", company) }, "\"3\""));
        Assert.Equal("internationalisation-readiness", (await third.JsonAsync()).GetProperty("case").GetProperty("currentStep").GetString());

        var note = await client.SendAsync(Post($"{url}/notes", new { body = "Called the CEO; the timber modules fit the Hamburg cluster." }));
        Assert.Equal("Note added.", (await note.JsonAsync()).GetProperty("message").GetString());
        var version = note.Headers.ETag!.Tag;

        using var upload = new MultipartFormDataContent { { new ByteArrayContent("minutes of the first meeting"u8.ToArray()), "file", "minutes.txt" } };
        var uploadRequest = new HttpRequestMessage(HttpMethod.Post, $"{url}/attachments") { Content = upload };
        uploadRequest.Headers.TryAddWithoutValidation("If-Match", version);
        var attached = await client.SendAsync(uploadRequest);
        Assert.Equal("minutes.txt attached.", (await attached.JsonAsync()).GetProperty("message").GetString());
        var attachment = Assert.Single((await (await client.GetAsync($"{url}/attachments")).JsonAsync()).EnumerateArray());
        var download = await client.GetAsync($"{url}/attachments/{attachment.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("minutes.txt", download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("minutes of the first meeting", await download.Content.ReadAsStringAsync());

        var hold = await client.SendAsync(Post($"{url}/actions/hold", new { reason = "The company is moving to new premises." }, attached.Headers.ETag!.Tag));
        Assert.Equal(CaseStatus.OnHold, (await hold.JsonAsync()).GetProperty("case").GetProperty("status").GetString());
        var resume = await client.SendAsync(Post($"{url}/actions/resume", null, hold.Headers.ETag!.Tag));
        Assert.Equal(CaseStatus.Active, (await resume.JsonAsync()).GetProperty("case").GetProperty("status").GetString());
        var checkIn = await (await client.SendAsync(Post($"{url}/check-ins", new { checkIn = "quarterly", occurrence = 1, values = new { } }, resume.Headers.ETag!.Tag))).ProblemAsync(409);
        Assert.Contains("quarterly", checkIn.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (otherId, _) = await OpenAsync(client, "Valmiera Glass Studio");
        var found = await (await client.GetAsync($"/api/v1/cases?q={reference}")).JsonAsync();
        Assert.Equal(id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var page1 = await client.GetAsync("/api/v1/cases?q=api%20pilot&limit=1");
        var body1 = await page1.JsonAsync();
        var cursor = body1.GetProperty("nextCursor").GetString()!;
        Assert.Contains($"after={cursor}", page1.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        var body2 = await (await client.GetAsync($"/api/v1/cases?q=api%20pilot&limit=1&after={cursor}")).JsonAsync();
        Assert.Equal(
            new[] { otherId, id },
            body1.GetProperty("items").EnumerateArray().Concat(body2.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetGuid()).ToArray());
    }

    [SkippableFact]
    public async Task Each_error_is_a_problem_with_its_code_and_a_broker_of_another_region_cannot_find_the_case()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var (id, _) = await OpenAsync(client, "Sigulda Bobsleigh Works");
        var url = $"/api/v1/cases/{id}";
        var complete = $"{url}/steps/current/complete";

        await (await factory.ApiClient(null).GetAsync(url)).ProblemAsync(401);
        await (await client.SendAsync(Post(complete, new { outcome = "registered", values = new { } }))).ProblemAsync(428);
        await (await client.SendAsync(Post(complete, new { outcome = "registered", values = new { } }, "last week"))).ProblemAsync(400);
        using var malformed = new StringContent("{ \"outcome\": ", System.Text.Encoding.UTF8, "application/json");
        var malformedRequest = new HttpRequestMessage(HttpMethod.Post, complete) { Content = malformed };
        malformedRequest.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await (await client.SendAsync(malformedRequest)).ProblemAsync(400);
        var invalid = await (await client.SendAsync(Post(complete, new { outcome = "registered", values = new Dictionary<string, object> { ["contact-data-consent"] = true, ["consent-date"] = "20 November" } }, "\"1\""))).ProblemAsync(422);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("consent-date", out var dateErrors));
        Assert.NotEmpty(dateErrors.EnumerateArray());
        var nested = await (await client.SendAsync(Post(complete, new { outcome = "registered", values = new { source = new { value = "event" } } }, "\"1\""))).ProblemAsync(422);
        Assert.True(nested.GetProperty("errors").TryGetProperty("source", out _));
        var noOutcome = await (await client.SendAsync(Post(complete, new { values = new { } }, "\"1\""))).ProblemAsync(422);
        Assert.True(noOutcome.GetProperty("errors").TryGetProperty("outcome", out _));
        var unmet = await (await client.SendAsync(Post(complete, new { outcome = "registered", values = new Dictionary<string, object> { ["contact-data-consent"] = false, ["consent-date"] = "2026-11-20" } }, "\"1\""))).ProblemAsync(409);
        Assert.NotEmpty(unmet.GetProperty("unmet").EnumerateArray());
        await (await client.SendAsync(Post($"{url}/notes", new { body = " " }))).ProblemAsync(422);
        await (await client.GetAsync("/api/v1/cases?after=yesterday")).ProblemAsync(400);
        await (await client.GetAsync("/api/v1/cases?limit=0")).ProblemAsync(400);
        Assert.True((await (await client.GetAsync($"/api/v1/cases?q={new string('x', 300)}")).ProblemAsync(422)).GetProperty("errors").TryGetProperty("q", out _));
        await (await client.GetAsync($"/api/v1/cases/{Guid.NewGuid()}")).ProblemAsync(404);

        var reader = factory.ApiClient(await factory.TokenAsync(Latvian, TokenScopes.Read));
        await (await reader.GetAsync(url)).JsonAsync();
        await (await reader.SendAsync(Post(complete, new { outcome = "registered", values = new { } }, "\"1\""))).ProblemAsync(403);
        await (await reader.SendAsync(Post($"{url}/notes", new { body = "Read-only tokens write nothing." }))).ProblemAsync(403);

        var hamburg = factory.ApiClient(await factory.TokenAsync(Hamburg));
        await (await hamburg.GetAsync(url)).ProblemAsync(404);
        await (await hamburg.GetAsync($"{url}/outcomes")).ProblemAsync(404);
        await (await hamburg.GetAsync($"{url}/attachments")).ProblemAsync(404);
        await (await hamburg.SendAsync(Post(complete, new { outcome = "registered", values = new { } }, "\"1\""))).ProblemAsync(404);
        await (await hamburg.SendAsync(Post($"{url}/notes", new { body = "Not my region's case." }))).ProblemAsync(404);
        await (await hamburg.SendAsync(Post($"{url}/actions/hold", new { reason = "Not mine." }, "\"1\""))).ProblemAsync(404);
        Assert.DoesNotContain((await (await hamburg.GetAsync("/api/v1/cases")).JsonAsync()).GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
        await (await hamburg.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = Guid.NewGuid() }))).ProblemAsync(404);

        var coordinator = factory.ApiClient(await factory.TokenAsync("coordinator@tibs.example"));
        var seen = await coordinator.GetAsync(url);
        Assert.Equal("\"1\"", seen.Headers.ETag!.Tag);
        await (await coordinator.PostAsync("/api/v1/cases", ApiClients.Json(new { leadCompanyId = Guid.NewGuid() }))).ProblemAsync(403);
        Assert.Equal(1, (await (await client.GetAsync(url)).JsonAsync()).GetProperty("case").GetProperty("version").GetInt32());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiCaseTests(SqliteFixture fixture) : ApiCaseTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiCaseTests(PostgresFixture fixture) : ApiCaseTests(fixture);
