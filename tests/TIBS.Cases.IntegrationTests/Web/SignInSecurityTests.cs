using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Sign-in as an attacker would try it, on each database: the same answer for addresses with and without an
/// account, growing delays instead of a lockout, per account and per client address; sessions that end on
/// sign-out for every copy of the cookie; a key ring that is stored encrypted. Time is a fake clock.
/// </summary>
public abstract class SignInSecurityTests(DatabaseFixture fixture)
{
    private const string Known = "broker.se23@tibs.example";
    private const string Unknown = "nobody.here@tibs.example";
    private const string Attacker = "198.51.100.7";
    private const string RealUser = "192.0.2.44";

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private async Task<TibsWebFactory> StartAsync(Dictionary<string, string?>? settings = null, string? keyFile = null, bool reset = true)
    {
        fixture.EnsureAvailable();
        if (reset)
        {
            await fixture.ResetAsync();
        }

        var extra = new Dictionary<string, string?>
        {
            ["SignIn:FreeFailuresPerAccount"] = "3",
            ["SignIn:FirstDelay"] = "00:00:01",
            ["SignIn:MaxDelay"] = "00:00:30",
        };
        foreach (var (k, v) in settings ?? [])
        {
            extra[k] = v;
        }

        if (keyFile is not null)
        {
            extra["DataProtection:KeyFile"] = keyFile;
        }

        return TibsWebFactory.For(fixture, extra, s => s.AddSingleton<TimeProvider>(time));
    }

    private static HttpClient ClientFrom(TibsWebFactory factory, string address, bool cookies = true)
    {
        // Without a cookie jar the test carries cookies itself and sees every redirect.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = cookies, AllowAutoRedirect = cookies });
        client.DefaultRequestHeaders.Add(TibsWebFactory.PeerHeader, address);
        return client;
    }

    /// <summary>One sign-in attempt through the real form: (status, the alert's words, the page).</summary>
    private static async Task<(HttpStatusCode Status, string? Alert, IHtmlDocument Page)> TryAsync(HttpClient client, string email, string password)
    {
        var form = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(form, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        var page = await HtmlForms.ParseAsync(response);
        return (response.StatusCode, page.QuerySelector(".alert.error")?.TextContent.Trim(), page);
    }

    /// <summary>The page as a user sees it, with the address they typed and the per-request token taken out.</summary>
    private static string Visible(IHtmlDocument page, string email)
    {
        foreach (var token in page.QuerySelectorAll("input[name=__RequestVerificationToken]"))
        {
            token.RemoveAttribute("value");
        }

        return page.QuerySelector("main")!.OuterHtml.Replace(email, "EMAIL", StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Known_and_unknown_addresses_get_identical_answers_and_the_same_throttling()
    {
        using var factory = await StartAsync();
        var client = ClientFrom(factory, Attacker);

        for (var i = 0; i < 3; i++)
        {
            var known = await TryAsync(client, Known, $"guess-{i}");
            var unknown = await TryAsync(client, Unknown, $"guess-{i}");

            Assert.Equal(HttpStatusCode.OK, known.Status);
            Assert.Equal("The e-mail address or password is not correct.", known.Alert);
            Assert.Equal(known.Status, unknown.Status);
            Assert.Equal(Visible(known.Page, Known), Visible(unknown.Page, Unknown));
        }

        var knownThrottled = await TryAsync(client, Known, TibsWebFactory.DemoPassword);
        var unknownThrottled = await TryAsync(client, Unknown, "guess");

        Assert.Equal(HttpStatusCode.TooManyRequests, knownThrottled.Status);
        Assert.Equal("Too many attempts, try again in 1 second.", knownThrottled.Alert);
        Assert.Equal(Visible(knownThrottled.Page, Known), Visible(unknownThrottled.Page, Unknown));
        Assert.Null(knownThrottled.Page.QuerySelector(".who")); // the right password is not even checked while throttled
    }

    [SkippableFact]
    public async Task Each_further_failure_doubles_the_wait_up_to_the_cap()
    {
        using var factory = await StartAsync();
        var client = ClientFrom(factory, Attacker);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, Known, "wrong")).Status);
        }

        var waits = new List<string?>();
        for (var i = 0; i < 7; i++)
        {
            var throttled = await TryAsync(client, Known, "wrong");
            waits.Add(throttled.Alert);
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal("The e-mail address or password is not correct.", (await TryAsync(client, Known, "wrong")).Alert);
        }

        Assert.Equal(
            [1, 2, 4, 8, 16, 30, 30],
            waits.Select(w => int.Parse(w!.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(waits, w => Assert.Matches(@"^Too many attempts, try again in \d+ seconds?\.$", w));
    }

    [SkippableFact]
    public async Task Twenty_failures_by_an_attacker_never_lock_out_the_real_user()
    {
        using var factory = await StartAsync();
        var attacker = ClientFrom(factory, Attacker);
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30)); // the attacker waits out each delay, so every guess counts
            Assert.Equal("The e-mail address or password is not correct.", (await TryAsync(attacker, Known, $"guess-{i}")).Alert);
        }

        Assert.StartsWith("Too many attempts", (await TryAsync(attacker, Known, "again")).Alert, StringComparison.Ordinal);
        var user = ClientFrom(factory, RealUser);
        var early = await TryAsync(user, Known, TibsWebFactory.DemoPassword);
        time.Advance(TimeSpan.FromSeconds(30));
        var signedIn = await TryAsync(user, Known, TibsWebFactory.DemoPassword);

        Assert.Equal("Too many attempts, try again in 30 seconds.", early.Alert);
        Assert.Null(signedIn.Alert);
        Assert.Contains("Elin Andersson", signedIn.Page.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Spraying_one_password_over_many_addresses_is_slowed_down_per_client_address()
    {
        using var factory = await StartAsync(new() { ["SignIn:FreeFailuresPerAddress"] = "5" });
        var sprayer = ClientFrom(factory, Attacker);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("The e-mail address or password is not correct.", (await TryAsync(sprayer, $"user{i}@tibs.example", "Summer2026!")).Alert);
        }

        var sixth = await TryAsync(sprayer, "coordinator@tibs.example", "Summer2026!");
        var elsewhere = await TryAsync(ClientFrom(factory, RealUser), "coordinator@tibs.example", TibsWebFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.Status);
        Assert.Equal("Too many attempts, try again in 1 second.", sixth.Alert);
        Assert.NotNull(elsewhere.Page.QuerySelector(".who"));
    }

    [SkippableFact]
    public async Task The_rate_limiter_refuses_a_client_address_that_posts_too_often()
    {
        using var factory = await StartAsync(new() { ["SignIn:AddressPermitLimit"] = "3", ["SignIn:AddressWindow"] = "01:00:00" });
        var busy = ClientFrom(factory, Attacker);
        var form = await busy.GetDocumentAsync("/account/sign-in");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await busy.SubmitAsync(form, "/account/sign-in", new Dictionary<string, string> { ["Email"] = $"user{i}@tibs.example", ["Password"] = "x" }));
        }

        var other = await TryAsync(ClientFrom(factory, RealUser), "coordinator@tibs.example", TibsWebFactory.DemoPassword);

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[3].StatusCode);
        Assert.Matches(@"^Too many attempts, try again in \d+ seconds?\.$", await answers[3].Content.ReadAsStringAsync());
        Assert.True(answers[3].Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.NotNull(other.Page.QuerySelector(".who"));
    }

    [SkippableFact]
    public async Task A_cookie_copied_before_sign_out_is_refused_after_it()
    {
        using var factory = await StartAsync();
        var (session, antiforgeryCookie) = await SignInCookiesAsync(factory);

        var browser = ClientFrom(factory, RealUser, cookies: false);
        var copy = ClientFrom(factory, Attacker, cookies: false);
        browser.DefaultRequestHeaders.Add("Cookie", [session, antiforgeryCookie]);
        copy.DefaultRequestHeaders.Add("Cookie", session);
        var beforeOwn = await browser.GetAsync("/work");
        var beforeCopy = await copy.GetAsync("/work");

        var work = await HtmlForms.ParseAsync(beforeOwn);
        var signOut = await browser.SubmitAsync(work, "/work", new Dictionary<string, string>(), "header form");
        var afterCopy = await copy.GetAsync("/work");
        var afterOwn = await browser.GetAsync("/work");

        Assert.Equal(HttpStatusCode.OK, beforeOwn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, beforeCopy.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterCopy.StatusCode);
        Assert.StartsWith("/account/sign-in", afterCopy.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, afterOwn.StatusCode);
    }

    [SkippableFact]
    public async Task Revoking_all_sessions_of_a_user_signs_out_every_browser_of_that_user_only()
    {
        using var factory = await StartAsync();
        var (laptop, _) = await SignInCookiesAsync(factory);
        var (phone, _) = await SignInCookiesAsync(factory);
        var (other, _) = await ClientFrom(factory, RealUser, cookies: false).SignInWithoutCookieJarAsync("broker.pl84@tibs.example", TibsWebFactory.DemoPassword);
        var users = factory.Services.GetRequiredService<TIBS.Cases.Core.Accounts.IUserStore>();
        var liga = (await users.FindByEmailAsync("broker.lv008@tibs.example"))!;

        var revoked = await factory.Services.GetRequiredService<TIBS.Cases.Core.Accounts.SessionService>().RevokeAllSessionsAsync(liga.Id);

        Assert.Equal(2, revoked);
        Assert.Equal(HttpStatusCode.Redirect, (await WorkWithAsync(factory, laptop)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await WorkWithAsync(factory, phone)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WorkWithAsync(factory, HtmlForms.SetCookie(other, "tibs.auth"))).StatusCode);
    }

    private static Task<HttpResponseMessage> WorkWithAsync(TibsWebFactory factory, string sessionCookie)
    {
        var client = ClientFrom(factory, RealUser, cookies: false);
        client.DefaultRequestHeaders.Add("Cookie", sessionCookie);
        return client.GetAsync("/work");
    }

    [SkippableFact]
    public async Task The_key_ring_is_stored_encrypted_and_read_back_with_the_key_file_after_a_restart()
    {
        var keyFile = TibsWebFactory.NewKeyFile();
        string session;
        using (var first = await StartAsync(keyFile: keyFile))
        {
            (session, _) = await SignInCookiesAsync(first);
        }

        await using var c = await fixture.Factory.OpenAsync();
        var stored = (await c.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        using var second = await StartAsync(keyFile: keyFile, reset: false);
        var again = ClientFrom(second, RealUser, cookies: false);
        again.DefaultRequestHeaders.Add("Cookie", session);
        var work = await again.GetAsync("/work");

        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
        Assert.Equal(HttpStatusCode.OK, work.StatusCode); // the restarted node decrypted the key ring with the same key file
    }

    /// <summary>Signs the Latvian broker in without a cookie jar: the session cookie and the antiforgery cookie.</summary>
    private static async Task<(string Session, string Antiforgery)> SignInCookiesAsync(TibsWebFactory factory)
    {
        var (response, antiforgery) = await ClientFrom(factory, RealUser, cookies: false).SignInWithoutCookieJarAsync("broker.lv008@tibs.example", TibsWebFactory.DemoPassword);
        return (HtmlForms.SetCookie(response, "tibs.auth"), antiforgery);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSignInSecurityTests(SqliteFixture fixture) : SignInSecurityTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSignInSecurityTests(PostgresFixture fixture) : SignInSecurityTests(fixture);
