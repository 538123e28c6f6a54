using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Two-step sign-in through the pages, on each database: enrolment on Preferences, the code after the password,
/// wrong and replayed codes, recovery codes, a remembered device, enrolment required of administrators, and the
/// administrators' reset. Codes are computed from the secret the page shows, at the fake clock's time.
/// </summary>
public abstract class TwoStepSignInTests(DatabaseFixture fixture)
{
    private const string Broker = "broker.lv008@tibs.example";
    private const string Admin = "admin@tibs.example";

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private async Task<TibsWebFactory> StartAsync(string requireFor = "none")
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture, new Dictionary<string, string?> { ["Authentication:RequireTwoStepFor"] = requireFor }, s => s.AddSingleton<TimeProvider>(time));
    }

    private string CodeFor(string secret, TimeSpan offset = default) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp((time.GetUtcNow() + offset).UtcDateTime);

    /// <summary>The password step: the page it ends on (the code page, the set-up page, or home).</summary>
    private static async Task<IHtmlDocument> PasswordAsync(HttpClient client, string email, string password = TibsWebFactory.DemoPassword)
    {
        var form = await client.GetDocumentAsync("/account/sign-in");
        return await HtmlForms.ParseAsync(await client.SubmitAsync(form, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password }));
    }

    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> CodeAsync(HttpClient client, IHtmlDocument codePage, string code, bool remember = false)
    {
        var values = new Dictionary<string, string> { ["Code"] = code };
        if (remember)
        {
            values["RememberDevice"] = "true";
        }

        var response = await client.SubmitAsync(codePage, "/account/two-step", values, "#two-step-form");
        return (response, await HtmlForms.ParseAsync(response));
    }

    private static bool SignedIn(IHtmlDocument page) => page.QuerySelector(".who") is not null;

    /// <summary>Signs the user in with the password only and switches two-step sign-in on through Preferences: (client, secret, recovery codes).</summary>
    private async Task<(HttpClient Client, string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(TibsWebFactory factory, string email)
    {
        var client = factory.CreateClient();
        Assert.True(SignedIn(await PasswordAsync(client, email)), $"{email} could not sign in with the password");
        var preferences = await client.GetDocumentAsync("/account/preferences");
        var setUp = await HtmlForms.ParseAsync(await client.SubmitAsync(preferences, "/account/preferences", new Dictionary<string, string>(), "#start-two-step-form"));
        var secret = setUp.QuerySelector("#two-step-secret")!.TextContent.Replace(" ", "", StringComparison.Ordinal);
        var done = await HtmlForms.ParseAsync(await client.SubmitAsync(setUp, "/account/preferences", new Dictionary<string, string> { ["Code"] = CodeFor(secret) }, "#two-step-enrol-form"));
        var codes = done.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        time.Advance(TimeSpan.FromSeconds(30)); // the enrolment used this time step's code
        return (client, secret, codes);
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE email = @email", new { email });
    }

    private async Task<List<string>> LoggedActionsAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return [.. await c.QueryAsync<string>("SELECT action FROM administration_log ORDER BY occurred_at, id")];
    }

    [SkippableFact]
    public async Task A_user_enrols_on_preferences_and_then_signs_in_with_the_code_from_the_app()
    {
        using var factory = await StartAsync();
        var client = factory.CreateClient();
        await PasswordAsync(client, Broker);
        var preferences = await client.GetDocumentAsync("/account/preferences");
        Assert.StartsWith("Off:", preferences.QuerySelector("#two-step-status")!.TextContent.Trim(), StringComparison.Ordinal);

        var setUp = await HtmlForms.ParseAsync(await client.SubmitAsync(preferences, "/account/preferences", new Dictionary<string, string>(), "#start-two-step-form"));
        var secret = setUp.QuerySelector("#two-step-secret")!.TextContent.Replace(" ", "", StringComparison.Ordinal);
        var qr = setUp.QuerySelector("#two-step-qr")!.GetAttribute("src")!;
        var wrong = await HtmlForms.ParseAsync(await client.SubmitAsync(setUp, "/account/preferences", new Dictionary<string, string> { ["Code"] = "000000" }, "#two-step-enrol-form"));
        var stillOff = await client.GetDocumentAsync("/account/preferences");
        var on = await HtmlForms.ParseAsync(await client.SubmitAsync(wrong, "/account/preferences", new Dictionary<string, string> { ["Code"] = CodeFor(secret) }, "#two-step-enrol-form"));
        var codes = on.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();

        Assert.Equal(32, secret.Length); // 20 random bytes in base32
        Assert.StartsWith("data:image/png;base64,", qr, StringComparison.Ordinal);
        Assert.StartsWith("This code is not correct.", wrong.QuerySelector("#enrol-code-error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(secret, wrong.QuerySelector("#two-step-secret")!.TextContent.Replace(" ", "", StringComparison.Ordinal)); // the same key while it is not confirmed
        Assert.StartsWith("Off:", stillOff.QuerySelector("#two-step-status")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Two-step sign-in is on. From now on you sign in with your password and a code from your app.", on.QuerySelector("#two-step-message")!.TextContent.Trim());
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Contains("10 recovery codes are left", on.QuerySelector("#two-step-status")!.TextContent, StringComparison.Ordinal);

        await using (var c = await fixture.Factory.OpenAsync())
        {
            var stored = await c.QuerySingleAsync<string>("SELECT protected_secret FROM user_two_step");
            var hashes = (await c.QueryAsync<string>("SELECT code_hash FROM user_recovery_codes")).ToList();
            Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(10, hashes.Count);
            Assert.All(codes, code => Assert.DoesNotContain(hashes, h => h.Contains(code.Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal)));
        }

        time.Advance(TimeSpan.FromSeconds(30));
        var browser = factory.CreateClient();
        var codePage = await PasswordAsync(browser, Broker);
        var beforeCode = await browser.GetAsync("/work");
        var (_, home) = await CodeAsync(browser, codePage, CodeFor(secret));

        Assert.NotNull(codePage.QuerySelector("#two-step-form"));
        Assert.False(SignedIn(codePage));
        Assert.Equal("/account/sign-in", beforeCode.RequestMessage!.RequestUri!.AbsolutePath); // a right password alone is no session
        Assert.True(SignedIn(home));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/work")).StatusCode);
        Assert.Equal(["two-step-enabled"], await LoggedActionsAsync());
    }

    [SkippableFact]
    public async Task Wrong_and_replayed_codes_are_refused_in_words_and_slow_down_further_attempts()
    {
        using var factory = await StartAsync();
        var (_, secret, _) = await EnrolAsync(factory, Broker);
        var first = factory.CreateClient();
        var (_, signedIn) = await CodeAsync(first, await PasswordAsync(first, Broker), CodeFor(secret));
        Assert.True(SignedIn(signedIn));

        var attacker = factory.CreateClient();
        var codePage = await PasswordAsync(attacker, Broker);
        var (_, replayed) = await CodeAsync(attacker, codePage, CodeFor(secret)); // the code that was just used
        var (_, older) = await CodeAsync(attacker, replayed, CodeFor(secret, TimeSpan.FromSeconds(-30)));
        var (_, wrong) = await CodeAsync(attacker, older, "123456");
        var (throttledResponse, throttled) = await CodeAsync(attacker, wrong, CodeFor(secret, TimeSpan.FromSeconds(30)));

        Assert.Equal("This code has been used already. Wait until your app shows the next code and enter that one.", replayed.QuerySelector("#two-step-error")!.TextContent.Trim());
        Assert.Equal("This code has been used already. Wait until your app shows the next code and enter that one.", older.QuerySelector("#two-step-error")!.TextContent.Trim());
        Assert.Equal("This code is not correct. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.", wrong.QuerySelector("#two-step-error")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.TooManyRequests, throttledResponse.StatusCode);
        Assert.Equal("Too many attempts, try again in 1 second.", throttled.QuerySelector("#two-step-error")!.TextContent.Trim());
        Assert.False(SignedIn(throttled)); // the right next code is not even checked while throttled

        time.Advance(TimeSpan.FromSeconds(30));
        var (_, later) = await CodeAsync(attacker, throttled, CodeFor(secret));
        Assert.True(SignedIn(later));
    }

    [SkippableFact]
    public async Task A_recovery_code_signs_in_once_and_new_codes_replace_the_old_ones()
    {
        using var factory = await StartAsync();
        var (client, _, codes) = await EnrolAsync(factory, Broker);

        var phoneless = factory.CreateClient();
        var (_, home) = await CodeAsync(phoneless, await PasswordAsync(phoneless, Broker), codes[3].ToUpperInvariant());
        time.Advance(TimeSpan.FromMinutes(1));
        var again = factory.CreateClient();
        var (_, refused) = await CodeAsync(again, await PasswordAsync(again, Broker), codes[3]);

        Assert.True(SignedIn(home));
        Assert.Equal("You signed in with a recovery code; it no longer works. 9 recovery codes are left: make new ones under Preferences.", home.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.StartsWith("This code is not correct.", refused.QuerySelector("#two-step-error")!.TextContent.Trim(), StringComparison.Ordinal);

        var preferences = await client.GetDocumentAsync("/account/preferences");
        Assert.Contains("9 recovery codes are left", preferences.QuerySelector("#two-step-status")!.TextContent, StringComparison.Ordinal);
        var renewed = await HtmlForms.ParseAsync(await client.SubmitAsync(preferences, "/account/preferences", new Dictionary<string, string>(), "#renew-recovery-codes-form"));
        var newCodes = renewed.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        time.Advance(TimeSpan.FromMinutes(1));
        var third = factory.CreateClient();
        var (_, oldRefused) = await CodeAsync(third, await PasswordAsync(third, Broker), codes[4]);
        var (_, newAccepted) = await CodeAsync(third, oldRefused, newCodes[0]);

        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(codes));
        Assert.StartsWith("This code is not correct.", oldRefused.QuerySelector("#two-step-error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.True(SignedIn(newAccepted));
        Assert.Equal(["two-step-enabled", "recovery-code-used", "recovery-codes-renewed", "recovery-code-used"], await LoggedActionsAsync());
    }

    [SkippableFact]
    public async Task A_remembered_device_skips_the_code_for_30_days_and_only_for_that_browser()
    {
        using var factory = await StartAsync();
        var (_, secret, _) = await EnrolAsync(factory, Broker);
        var laptop = factory.CreateClient();
        var (_, home) = await CodeAsync(laptop, await PasswordAsync(laptop, Broker), CodeFor(secret), remember: true);
        await laptop.SubmitAsync(home, "/", new Dictionary<string, string>(), "header form");

        var laptopAgain = await PasswordAsync(laptop, Broker);
        var otherBrowser = await PasswordAsync(factory.CreateClient(), Broker);
        await laptop.SubmitAsync(laptopAgain, "/", new Dictionary<string, string>(), "header form");
        time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        var monthLater = await PasswordAsync(laptop, Broker);

        Assert.True(SignedIn(home));
        Assert.True(SignedIn(laptopAgain)); // no code asked
        Assert.NotNull(otherBrowser.QuerySelector("#two-step-form"));
        Assert.NotNull(monthLater.QuerySelector("#two-step-form"));
    }

    [SkippableFact]
    public async Task Turning_two_step_sign_in_off_needs_a_current_code_or_the_password()
    {
        using var factory = await StartAsync();
        var (client, _, _) = await EnrolAsync(factory, Broker);
        var preferences = await client.GetDocumentAsync("/account/preferences");

        var refused = await HtmlForms.ParseAsync(await client.SubmitAsync(preferences, "/account/preferences", new Dictionary<string, string> { ["confirmation"] = "not my password" }, "#turn-off-two-step-form"));
        var off = await HtmlForms.ParseAsync(await client.SubmitAsync(refused, "/account/preferences", new Dictionary<string, string> { ["confirmation"] = TibsWebFactory.DemoPassword }, "#turn-off-two-step-form"));

        Assert.Equal("This is neither a current code from your app nor your password; two-step sign-in stays on.", refused.QuerySelector("#turn-off-error")!.TextContent.Trim());
        Assert.StartsWith("Two-step sign-in is off", off.QuerySelector(".alert-success")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("Off:", off.QuerySelector("#two-step-status")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.True(SignedIn(await PasswordAsync(factory.CreateClient(), Broker))); // the password alone again
        Assert.Equal(["two-step-enabled", "two-step-disabled"], await LoggedActionsAsync());
    }

    [SkippableFact]
    public async Task An_administrator_without_two_step_sign_in_must_set_it_up_before_anything_else()
    {
        using var factory = await StartAsync("administrator,coordinator");
        var admin = factory.CreateClient();

        var setUp = await PasswordAsync(admin, Admin);
        var adminPages = await admin.GetAsync("/admin/users");
        var secret = setUp.QuerySelector("#two-step-secret")!.TextContent.Replace(" ", "", StringComparison.Ordinal);
        var wrong = await HtmlForms.ParseAsync(await admin.SubmitAsync(setUp, "/account/two-step/set-up", new Dictionary<string, string> { ["Code"] = "12345" }, "#two-step-enrol-form"));
        var done = await HtmlForms.ParseAsync(await admin.SubmitAsync(wrong, "/account/two-step/set-up", new Dictionary<string, string> { ["Code"] = CodeFor(secret) }, "#two-step-enrol-form"));
        var broker = await PasswordAsync(factory.CreateClient(), Broker);

        Assert.NotNull(setUp.QuerySelector("#two-step-required"));
        Assert.False(SignedIn(setUp));
        Assert.Equal("/account/sign-in", adminPages.RequestMessage!.RequestUri!.AbsolutePath); // nothing else until enrolled
        Assert.Equal("Enter the 6-digit code your authenticator app shows.", wrong.QuerySelector("#enrol-code-error")!.TextContent.Trim());
        Assert.NotNull(done.QuerySelector("#two-step-on"));
        Assert.Equal(10, done.QuerySelectorAll("#recovery-codes li").Length);
        Assert.True(SignedIn(done));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
        Assert.True(SignedIn(broker)); // brokers are not required to

        time.Advance(TimeSpan.FromSeconds(30));
        var next = factory.CreateClient();
        var codePage = await PasswordAsync(next, Admin);
        Assert.NotNull(codePage.QuerySelector("#two-step-form"));
        Assert.True(SignedIn((await CodeAsync(next, codePage, CodeFor(secret))).Page));
    }

    [SkippableFact]
    public async Task An_administrator_resets_a_users_two_step_sign_in_and_ends_their_sessions()
    {
        using var factory = await StartAsync();
        var (broker, _, _) = await EnrolAsync(factory, Broker);
        var admin = factory.CreateClient();
        Assert.True(SignedIn(await PasswordAsync(admin, Admin)));
        var id = await UserIdAsync(Broker);

        var page = await admin.GetDocumentAsync($"/admin/users/{id}");
        var reset = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{id}", new Dictionary<string, string>(), "form[action*='handler=TwoStepReset']"));
        var brokerNext = await broker.GetAsync("/work");
        var passwordOnly = await PasswordAsync(factory.CreateClient(), Broker);

        Assert.StartsWith("On since ", page.QuerySelector("#user-two-step")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("The two-step sign-in of Līga Bērziņa is reset: they sign in with their password and set it up again; their sessions ended.", reset.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("Off", reset.QuerySelector("#user-two-step")!.TextContent.Trim());
        Assert.Null(reset.QuerySelector("form[action*='handler=TwoStepReset']"));
        Assert.Equal("/account/sign-in", brokerNext.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(SignedIn(passwordOnly));
        Assert.Equal(["two-step-enabled", "two-step-reset"], await LoggedActionsAsync());
        Assert.Contains("Two-step sign-in reset by an administrator", reset.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Personal_access_tokens_for_the_api_are_not_asked_for_a_code()
    {
        using var factory = await StartAsync("administrator,coordinator");
        var adminToken = await factory.TokenAsync(Admin); // required to enrol, not enrolled yet
        await EnrolAsync(factory, Broker);
        var brokerToken = await factory.TokenAsync(Broker);

        var admin = await (await factory.ApiClient(adminToken).GetAsync("/api/v1/me")).JsonAsync();
        var broker = await (await factory.ApiClient(brokerToken).GetAsync("/api/v1/me")).JsonAsync();

        Assert.Equal(Admin, admin.GetProperty("email").GetString());
        Assert.Equal(Broker, broker.GetProperty("email").GetString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTwoStepSignInTests(SqliteFixture fixture) : TwoStepSignInTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTwoStepSignInTests(PostgresFixture fixture) : TwoStepSignInTests(fixture);
