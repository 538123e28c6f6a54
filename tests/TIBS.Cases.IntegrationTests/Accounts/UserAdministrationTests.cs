using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// User administration through the pages, on each database: invitation → link → password → sign-in; links that ran
/// out or were used; deactivation that ends a live session; the last administrator; brokers kept out; the log.
/// </summary>
public abstract partial class UserAdministrationTests(DatabaseFixture fixture)
{
    private const string Admin = "admin@tibs.example";
    private const string GoodPassword = "correct horse battery staple";

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly CapturedMail mail = new();

    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture, null, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IEmailSender>(mail);
        });
    }

    private static async Task<HttpClient> SignInAsync(TibsWebFactory factory, string email, string password = TibsWebFactory.DemoPassword)
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        var home = await HtmlForms.ParseAsync(response);
        Assert.True(home.QuerySelector(".who") is not null, $"{email} could not sign in: {home.QuerySelector(".alert.error")?.TextContent}");
        return client;
    }

    private static async Task<IHtmlDocument> InviteAsync(HttpClient admin, string email, string name, string role, params string[] regions)
    {
        var form = await admin.GetDocumentAsync("/admin/users/invite");
        var organisation = form.QuerySelectorAll("#OrganisationId option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;
        var values = new Dictionary<string, string> { ["Email"] = email, ["DisplayName"] = name, ["Role"] = role, ["OrganisationId"] = organisation };
        var response = await admin.SubmitAsync(form, "/admin/users/invite", values);
        var page = await HtmlForms.ParseAsync(response);
        if (regions.Length > 0)
        {
            // Several checkboxes of one name: post them as a browser does.
            var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            var fields = new List<KeyValuePair<string, string>> { new("Email", email), new("DisplayName", name), new("Role", role), new("OrganisationId", organisation), new("__RequestVerificationToken", token) };
            fields.AddRange(regions.Select(r => new KeyValuePair<string, string>("Regions", r)));
            page = await HtmlForms.ParseAsync(await admin.PostAsync("/admin/users/invite", new FormUrlEncodedContent(fields)));
        }

        return page;
    }

    private static string LinkIn(EmailMessage message) =>
        LinkPattern().Match(message.TextBody) is { Success: true } m ? new Uri(m.Value).PathAndQuery : throw new InvalidOperationException("No link in the mail.");

    private static async Task<IHtmlDocument> SetPasswordAsync(HttpClient anonymous, string link, string password, string? confirmation = null)
    {
        var form = await anonymous.GetDocumentAsync(link);
        var response = await anonymous.SubmitAsync(form, link, new Dictionary<string, string> { ["Password"] = password, ["Confirmation"] = confirmation ?? password }, "#set-password-form");
        return await HtmlForms.ParseAsync(response);
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE email = @email", new { email });
    }

    [SkippableFact]
    public async Task An_invited_broker_sets_a_password_through_the_link_and_signs_in()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);

        var users = await InviteAsync(admin, "Asta.Broker@tibs.example", "Asta Vaitkutė", "broker", "LT01", "LT02");

        Assert.Contains("Asta Vaitkutė is invited", users.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        var row = users.QuerySelector("tr[data-email='asta.broker@tibs.example']")!;
        Assert.Equal(
            "Sostinės regionas (Capital region of Lithuania) (LT01), Vidurio ir vakarų Lietuvos regionas (Central and Western Lithuania, incl. Kaunas) (LT02)",
            row.QuerySelector(".regions")!.TextContent.Trim());
        Assert.Equal("Invited, no password yet", row.QuerySelector(".status")!.TextContent.Trim());
        var message = Assert.Single(mail.Sent);
        Assert.Equal("asta.broker@tibs.example", message.To);
        var link = LinkIn(message);
        var token = link.Split("token=")[1];

        var anonymous = factory.CreateClient();
        var welcome = await anonymous.GetDocumentAsync(link);
        Assert.Contains("Welcome, Asta Vaitkutė", welcome.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var common = await SetPasswordAsync(anonymous, link, "qwerty123456");
        Assert.Equal("This password is on the list of commonly used passwords; choose another one.", common.QuerySelector("#set-password-error")!.TextContent.Trim());
        var done = await SetPasswordAsync(anonymous, link, GoodPassword);
        Assert.Contains("Your password is set", done.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);

        var broker = await SignInAsync(factory, "asta.broker@tibs.example", GoodPassword);
        Assert.Equal(HttpStatusCode.OK, (await broker.GetAsync("/work")).StatusCode);

        await using var c = await fixture.Factory.OpenAsync();
        var stored = (await c.QueryAsync<string>("SELECT token_hash FROM user_links")).ToList();
        var details = string.Join("\n", await c.QueryAsync<string>("SELECT details FROM administration_log"));
        var regions = (await c.QueryAsync<string>("SELECT region_code FROM user_regions WHERE user_id = @id ORDER BY region_code", new { id = await UserIdAsync("asta.broker@tibs.example") })).ToList();
        Assert.DoesNotContain(token, stored);
        Assert.Equal(64, Assert.Single(stored).Length);
        Assert.DoesNotContain(token, details, StringComparison.Ordinal);
        Assert.DoesNotContain(GoodPassword, details, StringComparison.Ordinal);
        Assert.Equal(["LT01", "LT02"], regions);
        Assert.Equal("LT01", await c.ExecuteScalarAsync<string>("SELECT region_code FROM users WHERE email = 'asta.broker@tibs.example'"));
    }

    [SkippableFact]
    public async Task Links_that_ran_out_or_were_used_are_refused_in_words()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        await InviteAsync(admin, "late@tibs.example", "Late Invitee", "evaluator");
        await InviteAsync(admin, "twice@tibs.example", "Twice Invitee", "coordinator");
        var late = LinkIn(mail.Sent.Single(m => m.To == "late@tibs.example"));
        var twice = LinkIn(mail.Sent.Single(m => m.To == "twice@tibs.example"));
        var anonymous = factory.CreateClient();

        await SetPasswordAsync(anonymous, twice, GoodPassword);
        var usedResponse = await anonymous.GetAsync(twice);
        time.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        var expiredResponse = await anonymous.GetAsync(late);
        var forgedResponse = await anonymous.GetAsync("/account/set-password?token=not-a-real-token");
        var (used, expired, forged) = (await HtmlForms.ParseAsync(usedResponse), await HtmlForms.ParseAsync(expiredResponse), await HtmlForms.ParseAsync(forgedResponse));

        Assert.Equal(HttpStatusCode.Gone, usedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, expiredResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forgedResponse.StatusCode);

        Assert.Equal("This link has been used already: each link works once. Sign in, or ask an administrator for a new link.", used.QuerySelector("#link-problem")!.TextContent.Trim());
        Assert.StartsWith("This link ran out on ", expired.QuerySelector("#link-problem")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(expired.QuerySelector("#set-password-form"));
        Assert.StartsWith("This link is not valid", forged.QuerySelector("#link-problem")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_mail_that_cannot_be_sent_is_told_in_words_and_the_invitation_is_kept()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        mail.Unreachable = true;

        var users = await InviteAsync(admin, "offline@tibs.example", "Offline Invitee", "evaluator");

        var flash = users.QuerySelector(".alert-success")!.TextContent;
        Assert.Contains("Offline Invitee is invited, but the e-mail to offline@tibs.example could not be sent (Connection refused by mail.tibs.example:587)", flash, StringComparison.Ordinal);
        Assert.Contains("Send a new link from Offline Invitee's page once mail works again", flash, StringComparison.Ordinal);
        Assert.NotNull(users.QuerySelector("tr[data-email='offline@tibs.example']"));

        var id = await UserIdAsync("offline@tibs.example");
        var page = await admin.GetDocumentAsync($"/admin/users/{id}");
        var refused = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{id}", new Dictionary<string, string>(), "form[action*='handler=Reset']"));
        Assert.Contains("The link is saved, but the e-mail to offline@tibs.example could not be sent", refused.QuerySelector(".alert.error")!.TextContent, StringComparison.Ordinal);

        mail.Unreachable = false;
        var again = await admin.GetDocumentAsync($"/admin/users/{id}");
        var sent = await HtmlForms.ParseAsync(await admin.SubmitAsync(again, $"/admin/users/{id}", new Dictionary<string, string>(), "form[action*='handler=Reset']"));
        Assert.Contains("A link to set a new password went to offline@tibs.example", sent.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        var anonymous = factory.CreateClient();
        var done = await SetPasswordAsync(anonymous, LinkIn(Assert.Single(mail.Sent)), GoodPassword);
        Assert.Contains("Your password is set", done.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Deactivation_ends_a_live_session_of_the_user_at_once()
    {
        using var factory = await StartAsync();
        var broker = await SignInAsync(factory, "broker.lv008@tibs.example");
        Assert.Equal(HttpStatusCode.OK, (await broker.GetAsync("/work")).StatusCode);
        var admin = await SignInAsync(factory, Admin);
        var id = await UserIdAsync("broker.lv008@tibs.example");

        var page = await admin.GetDocumentAsync($"/admin/users/{id}");
        var answer = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{id}", new Dictionary<string, string>(), "form[action*='handler=Deactivate']"));
        var next = await broker.GetAsync("/work");

        Assert.Equal("Līga Bērziņa is deactivated; 1 session ended.", answer.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("Deactivated", answer.QuerySelector("#user-status")!.TextContent.Trim());
        Assert.Equal("/account/sign-in", next.RequestMessage!.RequestUri!.AbsolutePath); // signed out: sent to sign-in
        var again = factory.CreateClient();
        var form = await again.GetDocumentAsync("/account/sign-in");
        var refused = await HtmlForms.ParseAsync(await again.SubmitAsync(form, "/account/sign-in", new Dictionary<string, string> { ["Email"] = "broker.lv008@tibs.example", ["Password"] = TibsWebFactory.DemoPassword }));
        Assert.Equal("The e-mail address or password is not correct.", refused.QuerySelector(".alert.error")!.TextContent.Trim());

        var reactivated = await HtmlForms.ParseAsync(await admin.SubmitAsync(answer, $"/admin/users/{id}", new Dictionary<string, string>(), "form[action*='handler=Reactivate']"));
        Assert.Equal("Līga Bērziņa is active again.", reactivated.QuerySelector(".alert-success")!.TextContent.Trim());
        await SignInAsync(factory, "broker.lv008@tibs.example");
    }

    [SkippableFact]
    public async Task The_last_active_administrator_can_neither_be_deactivated_nor_lose_the_role()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var id = await UserIdAsync(Admin);
        var page = await admin.GetDocumentAsync($"/admin/users/{id}");

        var deactivate = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{id}", new Dictionary<string, string>(), "form[action*='handler=Deactivate']"));
        var demote = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{id}", new Dictionary<string, string> { ["Role"] = "coordinator" }, "#access-form"));

        Assert.Equal("System Administrator is the last active administrator and cannot be deactivated: make another user an administrator first.", deactivate.QuerySelector("#user-error")!.TextContent.Trim());
        Assert.Equal("System Administrator is the last active administrator and cannot lose the administrator role: make another user an administrator first.", demote.QuerySelector("#user-error")!.TextContent.Trim());
        Assert.Equal("Active", demote.QuerySelector("#user-status")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode); // still an administrator
    }

    [SkippableFact]
    public async Task A_broker_is_refused_on_every_administration_route_and_the_log_lists_each_action()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var brokerId = await UserIdAsync("broker.ee008@tibs.example");
        await InviteAsync(admin, "new.person@tibs.example", "New Person", "coordinator");
        time.Advance(TimeSpan.FromMinutes(1));
        var page = await admin.GetDocumentAsync($"/admin/users/{brokerId}");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Role", "broker"), new("Regions", "EE008"), new("Regions", "LV008"),
            new("__RequestVerificationToken", page.QuerySelector("#access-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
        };
        var changed = await HtmlForms.ParseAsync(await admin.PostAsync($"/admin/users/{brokerId}?handler=Access", new FormUrlEncodedContent(fields)));
        Assert.Contains("Kadri Tamm is now Innovation broker, regions EE008, LV008", changed.QuerySelector(".alert-success")!.TextContent, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(1));
        page = await admin.GetDocumentAsync($"/admin/users/{brokerId}");
        await admin.SubmitAsync(page, $"/admin/users/{brokerId}", new Dictionary<string, string>(), "form[action*='handler=Reset']");
        time.Advance(TimeSpan.FromMinutes(1));
        page = await admin.GetDocumentAsync($"/admin/users/{brokerId}");
        await admin.SubmitAsync(page, $"/admin/users/{brokerId}", new Dictionary<string, string>(), "form[action*='handler=Deactivate']");
        var inLatvia = await admin.GetDocumentAsync("/admin/users?region=LV008&role=broker");

        var broker = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInWithJarAsync(broker, "broker.lv008@tibs.example");
        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var route in (string[])["/admin", "/admin/users", "/admin/users/invite", $"/admin/users/{brokerId}", "/audit/administration-log"])
        {
            var response = await broker.GetAsync(route);
            answers[route] = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/access-denied", StringComparison.Ordinal)
                ? HttpStatusCode.Forbidden
                : response.StatusCode;
        }

        var evaluator = await SignInAsync(factory, "evaluator@tibs.example");
        var log = await evaluator.GetDocumentAsync("/audit/administration-log");

        Assert.Equal(["Kadri Tamm", "Līga Bērziņa"], inLatvia.QuerySelectorAll("#users tbody tr td:first-child").Select(td => td.TextContent.Trim()).Order(StringComparer.Ordinal));
        Assert.All(answers, a => Assert.True(a.Value is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{a.Key}: {a.Value}"));
        Assert.Equal(
            ["deactivated", "password-reset-sent", "access-changed", "invited"],
            log.QuerySelectorAll("#administration-log tbody tr").Select(tr => tr.GetAttribute("data-action")));
        Assert.All(log.QuerySelectorAll("#administration-log tbody tr"), tr => Assert.Contains("System Administrator", tr.TextContent, StringComparison.Ordinal));
    }

    private static async Task SignInWithJarAsync(HttpClient client, string email)
    {
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [GeneratedRegex(@"https?://\S+/account/set-password\?token=\S+")]
    private static partial Regex LinkPattern();

    /// <summary>The mails the application sent, kept in memory.</summary>
    private sealed class CapturedMail : IEmailSender
    {
        private readonly ConcurrentQueue<EmailMessage> sent = new();

        public IReadOnlyList<EmailMessage> Sent => [.. sent];

        /// <summary>When set, every send fails as an unreachable mail server does.</summary>
        public bool Unreachable { get; set; }

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            if (Unreachable)
            {
                throw new IOException("Connection refused by mail.tibs.example:587");
            }

            sent.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteUserAdministrationTests(SqliteFixture fixture) : UserAdministrationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresUserAdministrationTests(PostgresFixture fixture) : UserAdministrationTests(fixture);
