using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Sign-in with an OpenID Connect provider (decision 0042), on each database, against a real provider started inside
/// the test (OpenIddict over HTTPS on a free port). The application is configured by the settings alone; the browser
/// follows every redirect between the application and the provider with the cookies of each.
/// </summary>
public abstract class SingleSignOnTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Broker = "broker.lv008@tibs.example";
    private const string Admin = "admin@tibs.example";

    private TestIdentityProvider provider = null!;

    public async Task InitializeAsync() => provider = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync() => await provider.DisposeAsync();

    private async Task<TibsWebFactory> StartAsync(Dictionary<string, string?>? extra = null, bool singleSignOn = true)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var settings = singleSignOn ? provider.Settings() : [];
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return TibsWebFactory.For(fixture, settings, s =>
        {
            s.AddSingleton<IEmailSender>(new NoMail());

            // The provider's certificate was made by the test: the application's back channel trusts it (and only it).
            s.Configure<OpenIdConnectOptions>("oidc", o => o.BackchannelHttpHandler = provider.TrustingHandler());
        });
    }

    /// <summary>A browser's visit to the sign-in page, the click on the provider's button, and every redirect after it.</summary>
    private async Task<(HttpClient Browser, IHtmlDocument Page, Uri Url)> SignInWithProviderAsync(TibsWebFactory factory, HttpClient? browser = null)
    {
        browser ??= factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await HtmlForms.ParseAsync(await browser.GetAsync("/account/sign-in"));
        var button = signIn.QuerySelector("a#single-sign-on") ?? throw new InvalidOperationException("No single sign-on button on the sign-in page.");
        var (response, url) = await FollowAsync(browser, button.GetAttribute("href")!);
        return (browser, await HtmlForms.ParseAsync(response), url);
    }

    private async Task<(HttpResponseMessage Response, Uri Url)> FollowAsync(HttpClient browser, string start)
    {
        using var atProvider = new HttpClient(provider.TrustingHandler());
        var url = new Uri(browser.BaseAddress!, start);
        for (var hops = 0; hops < 15; hops++)
        {
            var client = url.Authority == provider.Authority.Authority ? atProvider : browser;
            var response = await client.GetAsync(url);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.RedirectKeepVerb))
            {
                Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return (response, url);
            }

            url = new Uri(url, response.Headers.Location!);
        }

        throw new InvalidOperationException("More than 15 redirects.");
    }

    private static bool SignedIn(IHtmlDocument page) => page.QuerySelector(".who") is not null;

    private static string? Error(IHtmlDocument page) => page.QuerySelector("#sign-in-error")?.TextContent.Trim();

    private async Task<List<(string Action, string Details)>> LogAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return [.. (await c.QueryAsync<(string, string)>("SELECT action, details FROM administration_log ORDER BY occurred_at, id"))];
    }

    private async Task<List<(string Issuer, string Subject, string Email)>> LinksAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return [.. await c.QueryAsync<(string, string, string)>(
            "SELECT l.issuer, l.subject, u.email FROM user_external_logins l JOIN users u ON u.id = l.user_id ORDER BY u.email")];
    }

    private async Task<int> CountAsync(string sql)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<int>(sql);
    }

    private static async Task<HttpClient> PasswordSignInAsync(TibsWebFactory factory, string email)
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var home = await HtmlForms.ParseAsync(await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword }));
        Assert.True(SignedIn(home), $"{email} could not sign in with the password: {Error(home)}");
        return client;
    }

    [SkippableFact]
    public async Task Without_the_settings_the_sign_in_page_has_no_button_and_the_start_address_does_not_exist()
    {
        using var factory = await StartAsync(singleSignOn: false);
        var client = factory.CreateClient();

        var page = await client.GetDocumentAsync("/account/sign-in");
        var start = await client.GetAsync("/account/single-sign-on");

        Assert.Null(page.QuerySelector("#single-sign-on"));
        Assert.DoesNotContain("Sign in with", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        await PasswordSignInAsync(factory, Broker);
    }

    [SkippableFact]
    public async Task A_user_whose_e_mail_matches_signs_in_with_the_provider_and_sees_their_home_and_local_sign_in_still_works()
    {
        using var factory = await StartAsync();
        provider.Person = new("kc-liga", "Broker.LV008@TIBS.example", true, "pwd");

        var signInPage = await factory.CreateClient().GetDocumentAsync("/account/sign-in");
        var (browser, home, url) = await SignInWithProviderAsync(factory);

        Assert.Equal("Sign in with Keycloak", signInPage.QuerySelector("#single-sign-on")!.TextContent.Trim());
        Assert.NotNull(signInPage.QuerySelector("form input[name=Password]")); // the local form stays beside it
        Assert.True(SignedIn(home), $"not signed in; the page says: {Error(home)}");
        Assert.Contains("Līga Bērziņa", home.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/work", url.AbsolutePath); // a broker's home
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/work")).StatusCode);
        Assert.Equal([(provider.Authority.ToString(), "kc-liga", Broker)], await LinksAsync());
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM user_sessions"));
        var (action, details) = Assert.Single(await LogAsync());
        Assert.Equal("sso-linked", action);
        Assert.Contains("Līga Bērziņa <broker.lv008@tibs.example> signed in with Keycloak for the first time", details, StringComparison.Ordinal);

        var local = await PasswordSignInAsync(factory, "broker.ee008@tibs.example");
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/work")).StatusCode);

        // A new e-mail address at the provider still finds the linked user; the link is not made again.
        provider.Person = new("kc-liga", "liga.new-name@elsewhere.example", true, "pwd");
        var (_, again, _) = await SignInWithProviderAsync(factory);
        Assert.True(SignedIn(again), $"not signed in after the change of address: {Error(again)}");
        Assert.Single(await LogAsync());
    }

    [SkippableFact]
    public async Task Unknown_addresses_deactivated_users_unverified_addresses_and_a_second_identity_are_refused_in_words_and_no_account_is_made()
    {
        using var factory = await StartAsync();
        await factory.CreateClient().GetAsync("/account/sign-in"); // the demo users are there once the application runs
        var users = await CountAsync("SELECT COUNT(*) FROM users");

        provider.Person = new("kc-stranger", "stranger@elsewhere.example", true);
        var (_, unknown, unknownUrl) = await SignInWithProviderAsync(factory);

        provider.Person = new("kc-kadri", "broker.ee008@tibs.example", false);
        var (_, unverified, _) = await SignInWithProviderAsync(factory);

        provider.Person = new("kc-nomail", null, null);
        var (_, noMail, _) = await SignInWithProviderAsync(factory);

        var admin = await PasswordSignInAsync(factory, Admin);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            var jonas = await c.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE email = 'broker.lt01@tibs.example'");
            var page = await admin.GetDocumentAsync($"/admin/users/{jonas}");
            var done = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{jonas}", new Dictionary<string, string>(), "form[action*='handler=Deactivate']"));
            Assert.Contains("is deactivated", done.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        }

        provider.Person = new("kc-jonas", "broker.lt01@tibs.example", true);
        var (_, deactivated, _) = await SignInWithProviderAsync(factory);

        provider.Person = new("kc-liga", Broker, true);
        var (_, first, _) = await SignInWithProviderAsync(factory);
        provider.Person = new("kc-someone-else", Broker, true);
        var (_, second, _) = await SignInWithProviderAsync(factory);

        Assert.Equal("/account/sign-in", unknownUrl.AbsolutePath);
        Assert.False(SignedIn(unknown));
        Assert.Equal("No account here uses the e-mail address stranger@elsewhere.example. Ask an administrator to invite you with this address; accounts are not created by signing in.", Error(unknown));
        Assert.Equal("Keycloak says your e-mail address broker.ee008@tibs.example is not verified. Verify it there first, then sign in again.", Error(unverified));
        Assert.Equal("Keycloak did not send your e-mail address, so it cannot be matched to an account here. Ask the administrator of Keycloak to release it, or sign in with your password.", Error(noMail));
        Assert.Equal("Your account is deactivated, so signing in with Keycloak is not possible either. Ask an administrator.", Error(deactivated));
        Assert.True(SignedIn(first));
        Assert.False(SignedIn(second));
        Assert.Equal("The account of broker.lv008@tibs.example is linked to another Keycloak identity. Sign in with that one, or ask an administrator to remove the link.", Error(second));
        Assert.Equal(users, await CountAsync("SELECT COUNT(*) FROM users"));
        Assert.Equal([(provider.Authority.ToString(), "kc-liga", Broker)], await LinksAsync());
        var log = await LogAsync();
        Assert.Equal(["sso-refused", "sso-refused", "sso-refused", "deactivated", "sso-refused", "sso-linked", "sso-refused"], log.Select(l => l.Action).ToList());
        Assert.Contains("Līga Bērziņa <broker.lv008@tibs.example> could not sign in with Keycloak (identity kc-someone-else", log[^1].Details, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_invited_user_signs_in_with_the_provider_and_their_invitation_is_used_up()
    {
        using var factory = await StartAsync();
        var admin = await PasswordSignInAsync(factory, Admin);
        var form = await admin.GetDocumentAsync("/admin/users/invite");
        var organisation = form.QuerySelectorAll("#OrganisationId option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;
        await admin.SubmitAsync(form, "/admin/users/invite", new Dictionary<string, string>
        {
            ["Email"] = "new.evaluator@tibs.example",
            ["DisplayName"] = "Nora Evaluator",
            ["Role"] = "evaluator",
            ["OrganisationId"] = organisation,
        });
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM user_links WHERE used_at IS NULL"));

        provider.Person = new("kc-nora", "new.evaluator@tibs.example", true);
        var (_, home, _) = await SignInWithProviderAsync(factory);

        Assert.True(SignedIn(home), $"not signed in: {Error(home)}");
        Assert.Contains("Nora Evaluator", home.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM user_links WHERE used_at IS NULL"));
        Assert.Contains("The invitation is accepted this way; no password is set.", (await LogAsync())[^1].Details, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_user_page_says_the_user_signs_in_with_the_provider_and_an_administrator_removes_the_link()
    {
        using var factory = await StartAsync();
        provider.Person = new("kc-liga", Broker, true);
        await SignInWithProviderAsync(factory);
        var admin = await PasswordSignInAsync(factory, Admin);
        Guid liga;
        await using (var c = await fixture.Factory.OpenAsync())
        {
            liga = await c.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE email = @Broker", new { Broker });
        }

        var page = await admin.GetDocumentAsync($"/admin/users/{liga}");
        var unlinked = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{liga}", new Dictionary<string, string>(), "form[action*='handler=Unlink']"));

        Assert.Equal("Signs in with Keycloak", page.QuerySelector("#user-single-sign-on")!.TextContent.Trim());
        Assert.Equal("Līga Bērziņa is no longer linked to a Keycloak identity; their next sign-in with Keycloak links again by e-mail address.", unlinked.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.StartsWith("Not linked yet", unlinked.QuerySelector("#user-single-sign-on")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(unlinked.QuerySelector("form[action*='handler=Unlink']"));
        Assert.Contains("Single sign-on link removed", unlinked.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await LinksAsync());

        provider.Person = new("kc-liga-new", Broker, true);
        var (_, relinked, _) = await SignInWithProviderAsync(factory);
        Assert.True(SignedIn(relinked), $"not signed in after the link was removed: {Error(relinked)}");
        Assert.Equal([(provider.Authority.ToString(), "kc-liga-new", Broker)], await LinksAsync());
    }

    [SkippableFact]
    public async Task The_providers_multi_factor_sign_in_counts_as_the_second_step_otherwise_the_own_second_step_is_asked()
    {
        using var factory = await StartAsync(new() { ["Authentication:RequireTwoStepFor"] = "administrator" });

        provider.Person = new("kc-admin", Admin, true, "pwd");
        var (_, withoutMfa, setUpUrl) = await SignInWithProviderAsync(factory);

        provider.Person = new("kc-admin", Admin, true, "pwd", "mfa");
        var (browser, withMfa, _) = await SignInWithProviderAsync(factory);

        Assert.False(SignedIn(withoutMfa));
        Assert.Equal("/account/two-step/set-up", setUpUrl.AbsolutePath);
        Assert.True(SignedIn(withMfa), $"not signed in: {Error(withMfa)}");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/users")).StatusCode);
    }

    [SkippableFact]
    public async Task When_the_provider_refuses_the_application_the_sign_in_page_says_so_and_nobody_is_signed_in()
    {
        using var factory = await StartAsync(new() { ["Authentication:OpenIdConnect:ClientSecret"] = "not-the-secret" });
        provider.Person = new("kc-liga", Broker, true);

        var (_, page, url) = await SignInWithProviderAsync(factory);

        Assert.Equal("/account/sign-in", url.AbsolutePath);
        Assert.False(SignedIn(page));
        Assert.Equal("Signing in with Keycloak did not finish: it was cancelled, ran out or was refused there. Try again, or sign in with your password.", Error(page));
        Assert.Empty(await LinksAsync());
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM user_sessions"));
    }

    private sealed class NoMail : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSingleSignOnTests(SqliteFixture fixture) : SingleSignOnTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSingleSignOnTests(PostgresFixture fixture) : SingleSignOnTests(fixture);

/// <summary>Single sign-on settings that cannot work stop the start, naming the setting and what is wrong.</summary>
public sealed class SingleSignOnStartupTests
{
    [Fact]
    public void An_http_authority_outside_development_and_a_missing_client_id_stop_the_start_in_words()
    {
        var message = Web.KeyRingStartupTests.StartupFailure(
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            "--Database:Provider=Sqlite",
            $"--Database:DataDirectory={Path.Combine(Path.GetTempPath(), "tibs-tests", "sso-" + Guid.NewGuid().ToString("N"))}",
            "--Demo:Password=" + TibsWebFactory.DemoPassword,
            $"--DataProtection:KeyFile={TibsWebFactory.NewKeyFile()}",
            "--Jobs:RunServer=false",
            "--Authentication:OpenIdConnect:Authority=http://keycloak.example.org/realms/tibs",
        ]);

        Assert.Contains("Authentication:OpenIdConnect:Authority must start with https:// (plain http:// is accepted only in Development); it is \"http://keycloak.example.org/realms/tibs\".", message, StringComparison.Ordinal);
        Assert.Contains("Authentication:OpenIdConnect:ClientId is required when Authority is set", message, StringComparison.Ordinal);
    }
}
