using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Personal access tokens: made on Preferences and shown once, kept hashed, and never more than their user's rights now.</summary>
public abstract class ApiTokenTests(DatabaseFixture fixture)
{
    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        _ = factory.Services;
        return factory;
    }

    [SkippableFact]
    public async Task A_token_made_on_Preferences_is_shown_once_kept_hashed_works_with_bearer_only_and_stops_when_revoked()
    {
        using var factory = await StartAsync();
        var browser = await CaseForms.SignedInAsync(factory, "broker.pl84@tibs.example");
        var page = await browser.GetDocumentAsync("/account/preferences");
        Assert.NotNull(page.QuerySelector("#no-tokens"));

        var created = await HtmlForms.ParseAsync(await browser.SubmitAsync(page, "/account/preferences?handler=CreateToken",
            new Dictionary<string, string> { ["tokenName"] = "Regional CRM", ["tokenExpiresInDays"] = "30" }, "#create-token-form"));
        var text = ((IHtmlInputElement)created.QuerySelector("#new-token-text")!).Value;
        Assert.StartsWith("tibs_", text, StringComparison.Ordinal);
        Assert.Contains("shown only this once", created.QuerySelector("#new-token")!.TextContent, StringComparison.Ordinal);

        // At rest only the SHA-256 of the secret; the list never shows the token again.
        Assert.True(AccessTokenText.TryParse(text, out var id, out var hash));
        var stored = await fixture.ScalarAsync<string>("SELECT secret_hash FROM access_tokens WHERE id = @id", new { id });
        Assert.Equal(hash, stored);
        Assert.DoesNotContain(AccessTokenText.SecretOf(text), stored, StringComparison.Ordinal);
        var again = await browser.GetStringAsync("/account/preferences");
        Assert.DoesNotContain(AccessTokenText.SecretOf(text), again, StringComparison.Ordinal);
        Assert.Contains("Regional CRM", again, StringComparison.Ordinal);

        var me = await (await factory.ApiClient(text).GetAsync("/api/v1/me")).JsonAsync();
        Assert.Equal("broker", me.GetProperty("role").GetString());
        Assert.Equal("PL84", me.GetProperty("regionCode").GetString());
        Assert.Equal(["read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // The sign-in cookie alone does not open the API: 401 problem details, no redirect to the sign-in page.
        var cookieOnly = await browser.GetAsync("/api/v1/me");
        var problem = await cookieOnly.ProblemAsync(401);
        Assert.Contains("Bearer", cookieOnly.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("Preferences", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var list = await browser.GetDocumentAsync("/account/preferences");
        var revoked = await browser.SubmitAsync(list, "/account/preferences?handler=RevokeToken", new Dictionary<string, string>(), $"tr[data-id='{id}'] form.revoke-token-form");
        Assert.Contains("Token revoked", (await HtmlForms.ParseAsync(revoked)).QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        var refused = await (await factory.ApiClient(text).GetAsync("/api/v1/me")).ProblemAsync(401);
        Assert.Contains("revoked", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_token_form_with_problems_names_each_field_and_creates_nothing()
    {
        using var factory = await StartAsync();
        var browser = await CaseForms.SignedInAsync(factory, "broker.de60@tibs.example");
        var page = await browser.GetDocumentAsync("/account/preferences");

        var answer = await HtmlForms.ParseAsync(await browser.SubmitAsync(page, "/account/preferences?handler=CreateToken",
            new Dictionary<string, string> { ["tokenName"] = " ", ["tokenExpiresInDays"] = "1000" }, "#create-token-form"));

        Assert.Equal("Give the token a name, such as the system that will use it.", answer.QuerySelector("#token-name-error")!.TextContent);
        Assert.Contains(answer.QuerySelectorAll(".field-error"), e => e.TextContent.Contains("after 1 to 366 days", StringComparison.Ordinal));
        Assert.Null(answer.QuerySelector("#new-token"));
        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT COUNT(*) FROM access_tokens", new { }));
    }

    [SkippableFact]
    public async Task Expired_unknown_and_deactivated_users_tokens_get_401_and_a_read_token_cannot_write()
    {
        using var factory = await StartAsync();
        var user = await factory.UserAsync("broker.lt01@tibs.example");
        var expiredText = AccessTokenText.Format(Guid.CreateVersion7(), new byte[32]);
        Assert.True(AccessTokenText.TryParse(expiredText, out var expiredId, out var expiredHash));
        await factory.Services.GetRequiredService<IAccessTokenStore>().InsertAsync(new AccessTokenRecord
        {
            Id = expiredId, UserId = user.Id, Name = "old", SecretHash = expiredHash, Scopes = "read write",
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-40), ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        });
        Assert.Contains("expired", (await (await factory.ApiClient(expiredText).GetAsync("/api/v1/me")).ProblemAsync(401)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var forged = expiredText[..^4] + "AAAA";
        await (await factory.ApiClient(forged).GetAsync("/api/v1/me")).ProblemAsync(401);
        await (await factory.ApiClient("not-a-token").GetAsync("/api/v1/me")).ProblemAsync(401);

        var read = await factory.TokenAsync("broker.lt01@tibs.example", TokenScopes.Read);
        var write = await factory.TokenAsync("broker.lt01@tibs.example", TokenScopes.Write);
        var refused = await (await factory.ApiClient(read).PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null)).ProblemAsync(403);
        Assert.Contains("may only read", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await factory.ApiClient(write).PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null)).ProblemAsync(404);

        await fixture.ExecuteAsync("UPDATE users SET is_active = @active WHERE id = @id", new { active = false, id = user.Id });
        var closed = await (await factory.ApiClient(write).GetAsync("/api/v1/me")).ProblemAsync(401);
        Assert.Contains("no longer active", closed.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_change_of_role_narrows_what_the_token_may_do_at_the_next_request()
    {
        using var factory = await StartAsync();
        var coordinator = await factory.UserAsync("coordinator@tibs.example");
        var token = await factory.TokenAsync("coordinator@tibs.example");
        var client = factory.ApiClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/definitions")).StatusCode);

        await fixture.ExecuteAsync("UPDATE users SET role = 'evaluator' WHERE id = @id", new { id = coordinator.Id });

        await (await client.GetAsync("/api/v1/definitions")).ProblemAsync(403);
        Assert.Equal("evaluator", (await (await client.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("role").GetString());
    }

    [SkippableFact]
    public async Task A_token_post_from_another_origin_is_not_refused_by_the_form_origin_check()
    {
        using var factory = await StartAsync();
        var client = factory.ApiClient(await factory.TokenAsync("coordinator@tibs.example"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/definitions/validate") { Content = ApiClients.Json(new { yaml = "key: x" }) };
        request.Headers.Add("Origin", "https://crm.example.org");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiTokenTests(SqliteFixture fixture) : ApiTokenTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTokenTests(PostgresFixture fixture) : ApiTokenTests(fixture);
