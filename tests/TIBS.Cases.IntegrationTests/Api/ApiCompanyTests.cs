using System.Net;
using System.Net.Http.Json;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.IntegrationTests.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Companies through the API: the company handlers' rules and field errors, ETag and If-Match on saving.</summary>
public abstract class ApiCompanyTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";

    private static HttpRequestMessage Put(string url, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = ApiClients.Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    [SkippableFact]
    public async Task A_company_is_registered_read_searched_and_saved_with_if_match_and_its_contacts_changed()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));

        var created = await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Gauja Timber Modules")));
        var company = await created.JsonAsync(201);
        var id = company.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/companies/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);

        var read = await client.GetAsync($"/api/v1/companies/{id}");
        Assert.Equal("Gauja Timber Modules", (await read.JsonAsync()).GetProperty("company").GetProperty("name").GetString());
        Assert.Equal("\"1\"", read.Headers.ETag!.Tag);
        var found = await (await client.GetAsync("/api/v1/companies?text=gauja%20timber")).JsonAsync();
        Assert.Contains(found.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
        await (await client.GetAsync($"/api/v1/companies?text={new string('x', 300)}")).ProblemAsync(422);

        var renamed = CompanyHandlerTests.Valid("Gauja Timber Modules SIA");
        await (await client.SendAsync(Put($"/api/v1/companies/{id}", renamed, null))).ProblemAsync(428);
        await (await client.SendAsync(Put($"/api/v1/companies/{id}", renamed, "yesterday"))).ProblemAsync(400);
        var saved = await client.SendAsync(Put($"/api/v1/companies/{id}", renamed, "\"1\""));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"2\"", saved.Headers.ETag!.Tag);
        await (await client.SendAsync(Put($"/api/v1/companies/{id}", CompanyHandlerTests.Valid("Stale"), "\"1\""))).ProblemAsync(412);
        var invalid = await (await client.SendAsync(Put($"/api/v1/companies/{id}", CompanyHandlerTests.Valid(""), "\"2\""))).ProblemAsync(422);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("Name", out _));
        await (await client.SendAsync(Put($"/api/v1/companies/{Guid.NewGuid()}", renamed, "\"1\""))).ProblemAsync(404);

        var added = await (await client.PostAsync($"/api/v1/companies/{id}/contacts", ApiClients.Json(new { name = "Jānis Bērziņš", email = "janis@example.org" }))).JsonAsync();
        var contacts = added.GetProperty("contacts").EnumerateArray().ToList();
        Assert.Equal(2, contacts.Count);
        var janis = contacts.Single(c => c.GetProperty("name").GetString() == "Jānis Bērziņš").GetProperty("id").GetGuid();
        var changed = await client.SendAsync(Put($"/api/v1/companies/{id}/contacts/{janis}", new { name = "Jānis Bērziņš", email = "not-an-address" }, null));
        Assert.True((await changed.ProblemAsync(422)).GetProperty("errors").TryGetProperty("Email", out _));
        var removed = await (await client.DeleteAsync($"/api/v1/companies/{id}/contacts/{janis}")).JsonAsync();
        Assert.Single(removed.GetProperty("contacts").EnumerateArray());
        await (await client.DeleteAsync($"/api/v1/companies/{id}/contacts/{janis}")).ProblemAsync(404);

        var hamburg = factory.ApiClient(await factory.TokenAsync("broker.de60@tibs.example"));
        await (await hamburg.SendAsync(Put($"/api/v1/companies/{id}", renamed, "\"3\""))).ProblemAsync(403);
        var evaluator = factory.ApiClient(await factory.TokenAsync("evaluator@tibs.example"));
        await (await evaluator.GetAsync("/api/v1/companies")).ProblemAsync(403);
        await (await evaluator.GetAsync($"/api/v1/companies/{id}")).ProblemAsync(403);
        var reader = factory.ApiClient(await factory.TokenAsync(Latvian, TokenScopes.Read));
        await (await reader.PostAsync("/api/v1/companies", JsonContent.Create(CompanyHandlerTests.Valid("Read only")))).ProblemAsync(403);
        await (await reader.PostAsync("/api/v1/companies", ApiClients.Json(new { name = "" }))).ProblemAsync(403);
        var empty = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(new { name = "" }))).ProblemAsync(422);
        Assert.True(empty.GetProperty("errors").TryGetProperty("Name", out _));
    }

    [SkippableFact]
    public async Task A_contact_person_is_changed_with_if_match_and_a_stale_version_changes_nothing()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var company = await (await client.PostAsync("/api/v1/companies", ApiClients.Json(CompanyHandlerTests.Valid("Smiltene Berry Farm")))).JsonAsync(201);
        var id = company.GetProperty("id").GetGuid();
        var contact = Assert.Single(company.GetProperty("contacts").EnumerateArray());
        var url = $"/api/v1/companies/{id}/contacts/{contact.GetProperty("id").GetGuid()}";
        var changes = new { name = "Ilze Kalniņa", role = "Export manager", email = "ilze@berries.example", phone = "+371 2000 0000" };

        var changed = await client.SendAsync(Put(url, changes, "\"1\""));
        var saved = Assert.Single((await changed.JsonAsync()).GetProperty("contacts").EnumerateArray());
        Assert.Equal("\"2\"", changed.Headers.ETag!.Tag);
        Assert.Equal(("Ilze Kalniņa", "Export manager", "ilze@berries.example"),
            (saved.GetProperty("name").GetString(), saved.GetProperty("role").GetString(), saved.GetProperty("email").GetString()));

        await (await client.SendAsync(Put(url, new { name = "Stale Name", email = "stale@berries.example" }, "\"1\""))).ProblemAsync(412);
        var read = await (await client.GetAsync($"/api/v1/companies/{id}")).JsonAsync();
        Assert.Equal("Ilze Kalniņa", Assert.Single(read.GetProperty("company").GetProperty("contacts").EnumerateArray()).GetProperty("name").GetString());
        await (await client.SendAsync(Put($"/api/v1/companies/{id}/contacts/{Guid.NewGuid()}", changes, null))).ProblemAsync(404);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiCompanyTests(SqliteFixture fixture) : ApiCompanyTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiCompanyTests(PostgresFixture fixture) : ApiCompanyTests(fixture);
