using System.Text.Json;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The web application on each server database: it migrates, seeds when asked, and reports its state.</summary>
public abstract class ServerDatabaseWebTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task The_app_starts_on_the_database_reports_it_healthy_and_demo_users_sign_in()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.CreateClient();

        using var anonymousHealth = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var home = await SignInAsync(client, "broker.de60@tibs.example");
        var admin = factory.CreateClient();
        await SignInAsync(admin, "admin@tibs.example");
        using var health = JsonDocument.Parse(await admin.GetStringAsync("/health"));

        Assert.Equal("Healthy", anonymousHealth.RootElement.GetProperty("status").GetString());
        Assert.False(anonymousHealth.RootElement.TryGetProperty("checks", out _));
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(fixture.Provider.ToString(), health.RootElement.GetProperty("checks").GetProperty("database").GetProperty("data").GetProperty("provider").GetString());
        Assert.Contains("Jan Schröder", home.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> SignInAsync(HttpClient client, string email)
    {
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = TibsWebFactory.DemoPassword,
        });
        return await HtmlForms.ParseAsync(response);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteWebTests(SqliteFixture fixture) : ServerDatabaseWebTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresWebTests(PostgresFixture fixture) : ServerDatabaseWebTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerWebTests(SqlServerFixture fixture) : ServerDatabaseWebTests(fixture);
