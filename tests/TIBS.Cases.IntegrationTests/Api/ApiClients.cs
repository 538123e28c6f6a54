using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Clients of the API as another system would be one: a token, a bearer header, JSON and problem details.</summary>
internal static class ApiClients
{
    public static async Task<UserAccount> UserAsync(this TibsWebFactory factory, string email) =>
        await factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");

    /// <summary>A token of the user, made as the Preferences page makes it.</summary>
    public static async Task<string> TokenAsync(this TibsWebFactory factory, string email, string scope = TokenScopes.Write, int days = 30)
    {
        var user = await factory.UserAsync(email);
        var result = await factory.Services.GetRequiredService<CreateAccessToken>()
            .HandleAsync(new CreateAccessToken.Request($"test {scope}", scope, days), user.AsActor());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Text!;
    }

    /// <summary>A client that never follows redirects (the API must not send any), with the token when given.</summary>
    public static HttpClient ApiClient(this TibsWebFactory factory, string? token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, int status = 200)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The RFC 9457 problem details of an error answer, checked for its status and shape.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public static async Task ExecuteAsync(this DatabaseFixture fixture, string sql, object parameters)
    {
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync(sql, parameters);
    }

    public static async Task<T> ScalarAsync<T>(this DatabaseFixture fixture, string sql, object parameters)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return (await c.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
