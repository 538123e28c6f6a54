using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Users manage themselves through /account/profile, on each database: the name; the password with the
/// current one required, the rule's words and a specific error per field; a change that ends every other session and
/// keeps this one; the administration log line without the password.
/// </summary>
public abstract class OwnProfileTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";
    private const string NewPassword = "seven blue herons over the gauja";

    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture);
    }

    private static async Task<HttpClient> SignInAsync(TibsWebFactory factory, string password = TibsWebFactory.DemoPassword)
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var home = await HtmlForms.ParseAsync(await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = Liga, ["Password"] = password }));
        Assert.True(home.QuerySelector(".who") is not null, $"Could not sign in: {home.QuerySelector(".alert.error")?.TextContent}");
        return client;
    }

    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> PostAsync(HttpClient client, string form, Dictionary<string, string> values)
    {
        var page = await client.GetDocumentAsync("/account/profile");
        var response = await client.SubmitAsync(page, "/account/profile", values, form);
        return (response, await HtmlForms.ParseAsync(response));
    }

    private static Task<(HttpResponseMessage Response, IHtmlDocument Page)> ChangePasswordAsync(HttpClient client, string current, string next, string? confirmation = null) =>
        PostAsync(client, "#password-form", new Dictionary<string, string> { ["CurrentPassword"] = current, ["NewPassword"] = next, ["Confirmation"] = confirmation ?? next });

    private static string? FieldError(IHtmlDocument page, string field) =>
        page.QuerySelector($"span.field-error[data-valmsg-for='{field}']")?.TextContent.Trim();

    [SkippableFact]
    public async Task A_user_changes_their_name_from_the_user_menu()
    {
        using var factory = await StartAsync();
        var client = await SignInAsync(factory);
        var home = await client.GetDocumentAsync("/work");
        Assert.Equal("/account/profile", home.QuerySelector("#profile-link")!.GetAttribute("href"));

        var (emptyResponse, empty) = await PostAsync(client, "#profile-form", new() { ["DisplayName"] = "  " });
        var (_, saved) = await PostAsync(client, "#profile-form", new() { ["DisplayName"] = "Līga Bērziņa-Ozola" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, emptyResponse.StatusCode);
        Assert.Equal("Enter your name as colleagues should see it.", FieldError(empty, "DisplayName"));
        Assert.Equal("Profile saved: name Līga Bērziņa → Līga Bērziņa-Ozola.", saved.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.StartsWith("Līga Bērziņa-Ozola · ", saved.QuerySelector(".who")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("Your browser's language", saved.QuerySelector("#profile-language")!.TextContent.Trim(), StringComparison.Ordinal);
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal("Līga Bērziņa changed their own profile: name Līga Bērziņa → Līga Bērziņa-Ozola.",
            await c.ExecuteScalarAsync<string>("SELECT details FROM administration_log WHERE action = 'own-profile-changed'"));
    }

    [SkippableFact]
    public async Task Changing_the_password_needs_the_current_one_and_ends_every_other_session_but_this_one()
    {
        using var factory = await StartAsync();
        var here = await SignInAsync(factory);
        var elsewhere = await SignInAsync(factory);

        var (wrongResponse, wrong) = await ChangePasswordAsync(here, "not my password at all", NewPassword);
        var (_, weak) = await ChangePasswordAsync(here, TibsWebFactory.DemoPassword, "short one");
        var (_, mismatch) = await ChangePasswordAsync(here, TibsWebFactory.DemoPassword, NewPassword, NewPassword + "!");
        var stillThere = await elsewhere.GetAsync("/work");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongResponse.StatusCode);
        Assert.Equal("This is not your current password: nothing was changed. Type it again.", FieldError(wrong, "CurrentPassword"));
        Assert.Equal("/work", stillThere.RequestMessage!.RequestUri!.AbsolutePath); // nothing changed: the other session lives
        Assert.Equal("The password must have at least 12 characters (it has 9). A few words with spaces make a good one.", FieldError(weak, "NewPassword"));
        Assert.Contains("At least 12 characters", weak.QuerySelector("#new-password-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("The two new passwords are not the same; type the same password twice.", FieldError(mismatch, "Confirmation"));
        Assert.All(mismatch.QuerySelectorAll("#password-form input[type=password]"), i => Assert.True(string.IsNullOrEmpty(i.GetAttribute("value"))));

        var (_, changed) = await ChangePasswordAsync(here, TibsWebFactory.DemoPassword, NewPassword);
        var hereNext = await here.GetAsync("/work");
        var elsewhereNext = await elsewhere.GetAsync("/work");

        Assert.Equal("Your password is changed. You stay signed in here; your 1 other session was signed out.", changed.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("/work", hereNext.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/account/sign-in", elsewhereNext.RequestMessage!.RequestUri!.AbsolutePath);
        await SignInAsync(factory, NewPassword);
        var old = factory.CreateClient();
        var form = await old.GetDocumentAsync("/account/sign-in");
        var refused = await HtmlForms.ParseAsync(await old.SubmitAsync(form, "/account/sign-in", new Dictionary<string, string> { ["Email"] = Liga, ["Password"] = TibsWebFactory.DemoPassword }));
        Assert.Equal("The e-mail address or password is not correct.", refused.QuerySelector(".alert.error")!.TextContent.Trim());

        await using var c = await fixture.Factory.OpenAsync();
        var log = (await c.QueryAsync<string>("SELECT details FROM administration_log WHERE action = 'own-password-changed'")).ToList();
        Assert.Equal("Līga Bērziņa changed their own password.", Assert.Single(log));
        Assert.DoesNotContain(NewPassword, string.Join("\n", await c.QueryAsync<string>("SELECT details FROM administration_log")), StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOwnProfileTests(SqliteFixture fixture) : OwnProfileTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOwnProfileTests(PostgresFixture fixture) : OwnProfileTests(fixture);
