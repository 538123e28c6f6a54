using System.Net;
using System.Text.Json;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>The partners of a case through the API: candidates with their explained score, shortlist, pipeline, messages, and who may do what.</summary>
public abstract class ApiPartnerTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Hamburg = "broker.de60@tibs.example";
    private const string Partner = "Hamburg Maritime Analytics";

    private async Task<(TibsWebFactory Factory, Guid CaseId, int Version)> StartWithCaseAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        _ = factory.Services; // starts the host: schema, workflows, demo data
        var lead = await CompanyIdAsync("Vidzeme Wood Solutions");
        var user = await factory.UserAsync(Latvian);
        var opened = await new CaseCommands(factory.Services).OpenCaseAsync(lead, null, user.AsActor());
        Assert.True(opened.Succeeded, opened.Message);
        return (factory, opened.Case!.Id, opened.Case.Version);
    }

    private async Task<Guid> CompanyIdAsync(string name) => Guid.Parse(await fixture.ScalarAsync<string>("SELECT CAST(id AS VARCHAR(36)) FROM companies WHERE name = @name", new { name }));

    private static HttpRequestMessage Send(HttpMethod method, string url, object body, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = ApiClients.Json(body) };
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

    private static string Tag(int version) => $"\"{version}\"";

    private static List<string> Errors(JsonElement problem, string field) =>
        [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    [SkippableFact]
    public async Task A_partner_is_found_with_its_explained_score_shortlisted_moved_along_and_messaged()
    {
        var (factory, caseId, version) = await StartWithCaseAsync();
        using var _ = factory;
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var partnerId = await CompanyIdAsync(Partner);

        var found = await client.GetAsync($"/api/v1/cases/{caseId}/partners/candidates");
        var candidates = (await found.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Tag(version), found.Headers.ETag!.Tag);
        Assert.DoesNotContain(candidates, c => c.GetProperty("countryCode").GetString() == "LV");
        var candidate = candidates.Single(c => c.GetProperty("companyId").GetGuid() == partnerId);
        var score = candidate.GetProperty("score").GetInt32();
        var breakdown = candidate.GetProperty("breakdown").EnumerateArray().ToList();
        Assert.Equal(score, breakdown.Sum(b => b.GetProperty("points").GetInt32()));
        Assert.All(breakdown, b => Assert.False(string.IsNullOrWhiteSpace(b.GetProperty("reason").GetString())));
        var onlyGerman = await (await client.GetAsync($"/api/v1/cases/{caseId}/partners/candidates?country=DE")).JsonAsync();
        Assert.All(onlyGerman.GetProperty("items").EnumerateArray(), c => Assert.Equal("DE", c.GetProperty("countryCode").GetString()));
        var badFilter = await (await client.GetAsync($"/api/v1/cases/{caseId}/partners/candidates?minScore=300")).ProblemAsync(422);
        Assert.Contains("between 0 and 100", Errors(badFilter, "minScore").Single(), StringComparison.Ordinal);

        var empty = await client.GetAsync($"/api/v1/cases/{caseId}/partners");
        Assert.Empty((await empty.JsonAsync()).GetProperty("partners").EnumerateArray());
        Assert.Equal(Tag(version), empty.Headers.ETag!.Tag);

        // The client's score is not the partner's score: the server computes it as the candidate search shows it.
        var claimed = score == 100 ? 1 : 100;
        var shortlist = new { companyId = partnerId, score = claimed, matchScore = claimed };
        await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", shortlist))).ProblemAsync(428);
        await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", shortlist, Tag(version + 5)))).ProblemAsync(412);
        var created = await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", shortlist, Tag(version), "shortlist-1"));
        var done = await created.JsonAsync(201);
        Assert.StartsWith($"{Partner} shortlisted.", done.GetProperty("message").GetString(), StringComparison.Ordinal);
        version = done.GetProperty("version").GetInt32();
        Assert.Equal(Tag(version), created.Headers.ETag!.Tag);
        var replayed = await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", shortlist, Tag(version - 1), "shortlist-1"));
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());

        // Partners come from other countries than the lead company's, said in words with the field named.
        var neighbour = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Cēsis Timber Labs")))).JsonAsync(201);
        var sameCountry = await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners",
            new { companyId = neighbour.GetProperty("id").GetGuid() }, Tag(version)))).ProblemAsync(422);
        Assert.Equal("Cēsis Timber Labs is in the lead company's country; partners come from other countries.", Errors(sameCountry, "companyId").Single());
        var twice = await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", new { companyId = partnerId }, Tag(version)))).ProblemAsync(422);
        Assert.Contains("already on the case", Errors(twice, "companyId").Single(), StringComparison.Ordinal);

        var pipeline = (await (await client.GetAsync($"/api/v1/cases/{caseId}/partners")).JsonAsync()).GetProperty("partners").EnumerateArray().ToList();
        var partner = Assert.Single(pipeline).GetProperty("partner");
        Assert.Equal(partnerId, partner.GetProperty("companyId").GetGuid());
        Assert.Equal("shortlisted", partner.GetProperty("pipelineStatus").GetString());
        Assert.Equal(score, partner.GetProperty("matchScore").GetDecimal());
        var participantId = partner.GetProperty("id").GetGuid();

        var statusUrl = $"/api/v1/cases/{caseId}/partners/{participantId}/status";
        await (await client.SendAsync(Send(HttpMethod.Put, statusUrl, new { status = "contacted" }))).ProblemAsync(428);
        await (await client.SendAsync(Send(HttpMethod.Put, statusUrl, new { status = "contacted" }, Tag(version - 1)))).ProblemAsync(412);
        var badStatus = await (await client.SendAsync(Send(HttpMethod.Put, statusUrl, new { status = "married" }, Tag(version)))).ProblemAsync(422);
        Assert.StartsWith("The pipeline status must be one of:", Errors(badStatus, "status").Single(), StringComparison.Ordinal);
        await (await client.SendAsync(Send(HttpMethod.Put, $"/api/v1/cases/{caseId}/partners/{Guid.NewGuid()}/status", new { status = "contacted" }, Tag(version)))).ProblemAsync(404);
        var contacted = await client.SendAsync(Send(HttpMethod.Put, statusUrl, new { status = "contacted" }, Tag(version)));
        Assert.StartsWith($"{Partner}: Contacted.", (await contacted.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);

        // Messages need no If-Match: they never conflict.
        await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners/{participantId}/messages", new { body = "Are you interested in CLT modules?" }))).JsonAsync(201);
        await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/messages", new { body = "Partner search started." }))).JsonAsync(201);
        var blank = await (await client.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/messages", new { body = "  " }))).ProblemAsync(422);
        Assert.Equal("Write the message first.", Errors(blank, "body").Single());

        var hamburg = factory.ApiClient(await factory.TokenAsync(Hamburg));
        var seen = await (await hamburg.GetAsync($"/api/v1/cases/{caseId}/partners")).JsonAsync();
        var theirs = Assert.Single(seen.GetProperty("partners").EnumerateArray());
        Assert.Equal("contacted", theirs.GetProperty("partner").GetProperty("pipelineStatus").GetString());
        Assert.True(theirs.GetProperty("canMove").GetBoolean());
        Assert.Equal("Are you interested in CLT modules?", Assert.Single(theirs.GetProperty("messages").EnumerateArray()).GetProperty("body").GetString());
        Assert.Equal("Partner search started.", Assert.Single(seen.GetProperty("generalMessages").EnumerateArray()).GetProperty("body").GetString());
        Assert.False(seen.GetProperty("canShortlist").GetBoolean());
        var current = seen.GetProperty("version").GetInt32();
        await (await hamburg.SendAsync(Send(HttpMethod.Put, statusUrl, new { status = "interested" }, Tag(current)))).JsonAsync();
        await (await hamburg.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners",
            new { companyId = await CompanyIdAsync("Kaunas BioLab") }, Tag(current + 1)))).ProblemAsync(403);
    }

    [SkippableFact]
    public async Task Another_regions_broker_learns_nothing_and_a_read_token_changes_nothing()
    {
        var (factory, caseId, version) = await StartWithCaseAsync();
        using var _ = factory;
        var partnerId = await CompanyIdAsync(Partner);

        var finnish = factory.ApiClient(await factory.TokenAsync("broker.fi19@tibs.example"));
        await (await finnish.GetAsync($"/api/v1/cases/{caseId}/partners")).ProblemAsync(404);
        await (await finnish.GetAsync($"/api/v1/cases/{caseId}/partners/candidates")).ProblemAsync(404);
        await (await finnish.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", new { companyId = partnerId }, Tag(version)))).ProblemAsync(404);
        await (await finnish.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/messages", new { body = "Hello" }))).ProblemAsync(404);
        await (await finnish.GetAsync($"/api/v1/cases/{Guid.NewGuid()}/partners")).ProblemAsync(404);

        var reader = factory.ApiClient(await factory.TokenAsync(Latvian, TokenScopes.Read));
        await (await reader.GetAsync($"/api/v1/cases/{caseId}/partners")).JsonAsync();
        await (await reader.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/partners", new { companyId = partnerId }, Tag(version)))).ProblemAsync(403);
        await (await reader.SendAsync(Send(HttpMethod.Post, $"/api/v1/cases/{caseId}/messages", new { body = "Hello" }))).ProblemAsync(403);
        await (await reader.SendAsync(Send(HttpMethod.Put, $"/api/v1/cases/{caseId}/partners/{Guid.NewGuid()}/status", new { status = "contacted" }, Tag(version)))).ProblemAsync(403);

        var after = await (await reader.GetAsync($"/api/v1/cases/{caseId}/partners")).JsonAsync();
        Assert.Empty(after.GetProperty("partners").EnumerateArray());
        Assert.Empty(after.GetProperty("generalMessages").EnumerateArray());
        Assert.Equal(version, after.GetProperty("version").GetInt32());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiPartnerTests(SqliteFixture fixture) : ApiPartnerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiPartnerTests(PostgresFixture fixture) : ApiPartnerTests(fixture);
