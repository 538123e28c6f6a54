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
/// The people pages tried as careless users and attackers would, on each database: links that were tampered with,
/// used, ran out or opened by someone else who is signed in; posts without the form's antiforgery token; other roles
/// posting to administrators' routes; hostile values (very long, control characters, markup, right-to-left marks,
/// emoji) in every field of the invitation, profile, organisation and training forms.
/// </summary>
public abstract partial class PeoplePagesUnderAttackTests(DatabaseFixture fixture)
{
    private const string Admin = "admin@tibs.example";
    private const string Coordinator = "coordinator@tibs.example";
    private const string Liga = "broker.lv008@tibs.example";
    private const string GoodPassword = "correct horse battery staple";

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly CapturedMail mail = new();

    /// <summary>Values a form must survive: each is refused with words naming the field, or kept exactly as typed and shown as text.</summary>
    private static readonly Dictionary<string, string> Hostile = new()
    {
        ["long"] = new string('ā', 10_000),
        ["nul"] = "Anna\0Berg",
        ["bell"] = "Anna\u0007Berg",
        ["markup"] = "<script>alert('x')</script><b>Anna</b>",
        ["right-to-left"] = "\u202Egnp.exe\u202C Anna \u200F",
        ["emoji"] = "Anna 👩🏽‍💼 Bērziņa",
    };

    public static TheoryData<string> HostileKinds() => [.. Hostile.Keys];

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
        var home = await HtmlForms.ParseAsync(await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password }));
        Assert.True(home.QuerySelector(".who") is not null, $"{email} could not sign in: {home.QuerySelector(".alert.error")?.TextContent}");
        return client;
    }

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of the form <paramref name="formSelector"/> on <paramref name="pageUrl"/>.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string formSelector, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var page = await client.GetDocumentAsync(pageUrl);
        var token = page.QuerySelector($"{formSelector} input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No form '{formSelector}' with a token on {pageUrl}.");
        return await client.PostAsync(action ?? pageUrl, new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]));
    }

    private async Task<string> InviteAsync(HttpClient admin, string email, string name)
    {
        var before = mail.Sent.Count;
        var response = await PostFormAsync(admin, "/admin/users/invite", "#invite-form", InviteFields(await OrganisationAsync(admin), email, name));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, mail.Sent.Count);
        return LinkPattern().Match(mail.Sent[^1].TextBody) is { Success: true } m ? new Uri(m.Value).PathAndQuery : throw new InvalidOperationException("No link in the mail.");
    }

    private static List<KeyValuePair<string, string>> InviteFields(string organisation, string email, string name) =>
        [new("Email", email), new("DisplayName", name), new("Role", "broker"), new("Regions", "LT02"), new("OrganisationId", organisation)];

    private static async Task<string> OrganisationAsync(HttpClient admin) =>
        (await admin.GetDocumentAsync("/admin/users/invite")).QuerySelectorAll("#OrganisationId option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;

    private static string MainText(IHtmlDocument page) => page.QuerySelector("main")!.TextContent;

    private async Task<int> CountAsync(string sql, object? parameters = null)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<int>(sql, parameters);
    }

    [SkippableFact]
    public async Task Tampered_used_and_expired_links_are_refused_in_words_with_fitting_status_codes()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var link = await InviteAsync(admin, "ona.petraitiene@tibs.example", "Ona Petraitienė");
        var late = await InviteAsync(admin, "late.invitee@tibs.example", "Late Invitee");
        var token = link.Split("token=")[1];
        var anonymous = factory.CreateClient();

        // One character changed, one cut off, one added: none is the link.
        foreach (var tampered in (string[])[token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), token[..^1], token + "A", "", new string('A', 10_000)])
        {
            var response = await anonymous.GetAsync("/account/set-password?token=" + Uri.EscapeDataString(tampered));
            var page = await HtmlForms.ParseAsync(response);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.StartsWith("This link is not valid: check that you opened the whole link from the e-mail", page.QuerySelector("#link-problem")!.TextContent.Trim(), StringComparison.Ordinal);
            Assert.Null(page.QuerySelector("#set-password-form"));
        }

        // A post with a tampered token sets nothing, even with a good password.
        var form = await anonymous.GetDocumentAsync(link);
        var tamperedPost = await anonymous.PostAsync("/account/set-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token[..^1],
            ["Password"] = GoodPassword,
            ["Confirmation"] = GoodPassword,
            ["__RequestVerificationToken"] = form.QuerySelector("#set-password-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        }));
        Assert.Equal(HttpStatusCode.NotFound, tamperedPost.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE email = 'ona.petraitiene@tibs.example' AND password_hash <> ''"));

        // Used: the second visit and a second post are told so, with 410 Gone.
        var done = await anonymous.SubmitAsync(form, link, new Dictionary<string, string> { ["Password"] = GoodPassword, ["Confirmation"] = GoodPassword }, "#set-password-form");
        Assert.Equal("/account/sign-in", done.RequestMessage!.RequestUri!.AbsolutePath);
        var again = await anonymous.GetAsync(link);
        var replay = await anonymous.SubmitAsync(form, link, new Dictionary<string, string> { ["Password"] = "another long passphrase here", ["Confirmation"] = "another long passphrase here" }, "#set-password-form");
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal("This link has been used already: each link works once. Sign in, or ask an administrator for a new link.",
            (await HtmlForms.ParseAsync(replay)).QuerySelector("#link-problem")!.TextContent.Trim());
        await SignInAsync(factory, "ona.petraitiene@tibs.example", GoodPassword); // the first password stands

        // Ran out: 410 Gone with the time it ran out.
        time.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        var expired = await anonymous.GetAsync(late);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.StartsWith("This link ran out on ", (await HtmlForms.ParseAsync(expired)).QuerySelector("#link-problem")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_invitation_opened_while_someone_else_is_signed_in_sets_the_invitees_password_and_changes_nobodys_session()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var link = await InviteAsync(admin, "jurgis.invitee@tibs.example", "Jurgis Invitee");
        var liga = await SignInAsync(factory, Liga);

        var page = await liga.GetDocumentAsync(link);
        Assert.Contains("Choose a password for jurgis.invitee@tibs.example", MainText(page), StringComparison.Ordinal);
        Assert.Contains("You are signed in as Līga Bērziņa", MainText(page), StringComparison.Ordinal);
        var done = await HtmlForms.ParseAsync(await liga.SubmitAsync(page, link, new Dictionary<string, string> { ["Password"] = GoodPassword, ["Confirmation"] = GoodPassword }, "#set-password-form"));

        Assert.Contains("Your password is set", MainText(done), StringComparison.Ordinal);
        Assert.StartsWith("Līga Bērziņa", done.QuerySelector(".who")!.TextContent.Trim(), StringComparison.Ordinal); // still Līga, never the invitee
        Assert.Equal(HttpStatusCode.OK, (await liga.GetAsync("/work")).StatusCode);
        await SignInAsync(factory, "jurgis.invitee@tibs.example", GoodPassword);
        await SignInAsync(factory, Liga); // Līga's own password is untouched
    }

    [SkippableFact]
    public async Task Posts_without_the_forms_token_are_refused_in_words_and_change_nothing()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var organisation = await OrganisationAsync(admin);
        var liga = await SignInAsync(factory, Liga);
        var ligaId = await IdAsync(Liga);

        var posts = new (HttpClient Client, string Url, Dictionary<string, string> Fields)[]
        {
            (admin, "/admin/users/invite", new() { ["Email"] = "csrf@tibs.example", ["DisplayName"] = "Forged Invitee", ["Role"] = "administrator", ["OrganisationId"] = organisation }),
            (admin, $"/admin/users/{ligaId}?handler=Deactivate", []),
            (liga, "/account/profile?handler=Profile", new() { ["DisplayName"] = "Forged Name" }),
            (liga, "/account/profile?handler=Password", new() { ["CurrentPassword"] = TibsWebFactory.DemoPassword, ["NewPassword"] = "forged password for liga", ["Confirmation"] = "forged password for liga" }),
        };
        foreach (var (client, url, fields) in posts)
        {
            var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
            var refusal = await HtmlForms.ParseAsync(response);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(refusal.Body!.TextContent.Contains("The request was not understood. If you submitted a form, reload the page and try again.", StringComparison.Ordinal), url + ": " + refusal.Body!.TextContent);
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE email = 'csrf@tibs.example'"));
        await SignInAsync(factory, Liga); // active, with the same password
        Assert.Equal("Līga Bērziņa", (await liga.GetDocumentAsync("/account/profile")).QuerySelector("#DisplayName")!.GetAttribute("value"));
    }

    [SkippableFact]
    public async Task Other_roles_posting_to_administrators_routes_are_refused_with_403_in_words_and_change_nothing()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var organisation = await OrganisationAsync(admin);
        var ligaId = await IdAsync(Liga);
        foreach (var email in (string[])[Liga, Coordinator, "evaluator@tibs.example"])
        {
            var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var signIn = await client.GetDocumentAsync("/account/sign-in");
            await client.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });

            // The token of a page the role may open (its own profile) is valid for the session: only the role stops these.
            var token = (await client.GetDocumentAsync("/account/profile")).QuerySelector("#profile-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            foreach (var (url, fields) in new (string, Dictionary<string, string>)[]
            {
                ("/admin/users/invite", new() { ["Email"] = $"by.{email}", ["DisplayName"] = "Smuggled Administrator", ["Role"] = "administrator", ["OrganisationId"] = organisation }),
                ($"/admin/users/{ligaId}?handler=Deactivate", []),
                ($"/admin/users/{ligaId}?handler=Access", new() { ["Role"] = "administrator" }),
                ($"/admin/users/{ligaId}?handler=Reset", []),
            })
            {
                fields["__RequestVerificationToken"] = token;
                var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
                var answer = response.StatusCode == HttpStatusCode.Redirect ? await client.GetAsync(response.Headers.Location) : response;
                Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
                var page = await HtmlForms.ParseAsync(answer);
                Assert.Equal("Not allowed", page.QuerySelector("h1")!.TextContent.Trim());
                Assert.Contains("Your role does not give access to that page.", MainText(page), StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE display_name = 'Smuggled Administrator'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM administration_log"));
        Assert.Empty(mail.Sent);
        await SignInAsync(factory, Liga);
    }

    [SkippableTheory]
    [MemberData(nameof(HostileKinds))]
    public async Task Hostile_values_in_the_invitation_are_refused_per_field_or_kept_as_text(string kind)
    {
        var value = Hostile[kind];
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var organisation = await OrganisationAsync(admin);

        // The e-mail address: never anything but an address.
        var email = await PostFormAsync(admin, "/admin/users/invite", "#invite-form", InviteFields(organisation, value, "Hostile Address"));
        AssertRefused(kind, email, await HtmlForms.ParseAsync(email), "Email", "Enter the person's e-mail address, such as name@example.org.");

        // The name: too long or a control character is refused; anything else is kept and shown as text.
        var name = await PostFormAsync(admin, "/admin/users/invite", "#invite-form", InviteFields(organisation, $"{kind}@tibs.example", value));
        var page = await HtmlForms.ParseAsync(name);
        if (ExpectRefused(kind))
        {
            AssertRefused(kind, name, page, "DisplayName", kind == "long" ? "Enter the person's name (at most 200 characters)." : "The name contains the control character");
            Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE email = @email", new { email = $"{kind}@tibs.example" }));
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, name.StatusCode);
            var row = page.QuerySelector($"tr[data-email='{kind}@tibs.example']")!;
            Assert.Equal(value, row.QuerySelector("td")!.TextContent.Trim());
            Assert.Empty(row.QuerySelectorAll("script, b"));
            Assert.Contains($"Hello {value},", mail.Sent[^1].TextBody, StringComparison.Ordinal);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(HostileKinds))]
    public async Task Hostile_values_in_the_profile_organisation_and_training_forms_are_refused_per_field_or_kept_as_text(string kind)
    {
        var value = Hostile[kind];
        using var factory = await StartAsync();
        var liga = await SignInAsync(factory, Liga);
        var coordinator = await SignInAsync(factory, Coordinator);

        // Profile: the name; Preferences: the language and the time zone (choices, never free text).
        var profile = await PostFormAsync(liga, "/account/profile", "#profile-form", [new("DisplayName", value)], "/account/profile?handler=Profile");
        var profilePage = await HtmlForms.ParseAsync(profile);
        if (ExpectRefused(kind))
        {
            AssertRefused(kind, profile, profilePage, "DisplayName", kind == "long" ? "Your name is too long: at most 200 characters" : "Your name contains the control character");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            Assert.Equal(value, profilePage.QuerySelector("#DisplayName")!.GetAttribute("value"));
        }

        var language = await PostFormAsync(liga, "/account/preferences", "#preferences-form", [new("EmailDelivery", "single"), new("Language", value), new("TimeZone", "")]);
        AssertRefused(kind, language, await HtmlForms.ParseAsync(language), "Language", "Choose a language from the list");
        var zone = await PostFormAsync(liga, "/account/preferences", "#preferences-form", [new("EmailDelivery", "single"), new("Language", ""), new("TimeZone", value)]);
        AssertRefused(kind, zone, await HtmlForms.ParseAsync(zone), "TimeZone", "is not a time zone this system knows");

        // Organisation: the name and the web address.
        List<KeyValuePair<string, string>> Organisation(string name, string web) => [new("Name", name), new("Kind", "university"), new("CountryCode", "LT"), new("WebAddress", web)];
        var organisation = await PostFormAsync(coordinator, "/coordination/organisations/add", "main form", Organisation(value, ""));
        var organisationPage = await HtmlForms.ParseAsync(organisation);
        if (ExpectRefused(kind))
        {
            AssertRefused(kind, organisation, organisationPage, "Name", kind == "long" ? "The name is 10000 characters long; at most 200 fit." : "The name contains the control character");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, organisation.StatusCode);
            Assert.Contains(organisationPage.QuerySelectorAll("main td, main th"), cell => cell.TextContent.Trim() == value);
            Assert.Empty(organisationPage.QuerySelectorAll("main script, main b"));
        }

        var web = await PostFormAsync(coordinator, "/coordination/organisations/add", "main form", Organisation("Hostile Web Address University", value));
        AssertRefused(kind, web, await HtmlForms.ParseAsync(web), "WebAddress", kind == "long" ? "at most 500 fit" : "Enter the web address in full");

        // Training: the trainer and the completion date.
        var brokerPage = $"/coordination/training/brokers/{await IdAsync(Liga)}";
        var module = (await coordinator.GetDocumentAsync(brokerPage)).QuerySelectorAll("#ModuleId option").Single(o => o.TextContent == "Partner search and matchmaking").GetAttribute("value")!;
        List<KeyValuePair<string, string>> Training(string date, string trainer) => [new("ModuleId", module), new("CompletedOn", date), new("Trainer", trainer)];
        var yesterday = time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var trainer = await PostFormAsync(coordinator, brokerPage, "#record-form", Training(yesterday, value));
        var trainerPage = await HtmlForms.ParseAsync(trainer);
        if (ExpectRefused(kind))
        {
            AssertRefused(kind, trainer, trainerPage, "Trainer", kind == "long" ? "The trainer is too long" : "The trainer contains the control character");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, trainer.StatusCode);
            Assert.Contains(trainerPage.QuerySelectorAll("main td"), cell => cell.TextContent.Trim() == value);
            Assert.Empty(trainerPage.QuerySelectorAll("main script, main b"));
        }

        var date = await PostFormAsync(coordinator, brokerPage, "#record-form", Training(value, "Baltic Innovation Academy"));
        var datePage = await HtmlForms.ParseAsync(date);
        AssertRefused(kind, date, datePage, "CompletedOn", "is not a date (yyyy-mm-dd)");
        Assert.True(MainText(datePage).Length < 20_000, "The refusal repeats the whole of a very long value.");
    }

    [SkippableFact]
    public async Task Core_refuses_control_characters_in_names_and_addresses_whatever_door_they_come_through()
    {
        using var factory = await StartAsync();
        _ = factory.CreateClient();
        var services = factory.Services;
        var admin = (await services.GetRequiredService<TIBS.Cases.Core.Accounts.IUserStore>().FindByEmailAsync(Admin))!.AsActor();
        var organisation = (await services.GetRequiredService<TIBS.Cases.Core.Organisations.IOrganisationStore>().ListAsync()).First(o => !o.Organisation.IsArchived).Organisation.Id;

        // The pages' request guard stops these first; the API, jobs and the command line reach the handlers directly.
        var invite = await services.GetRequiredService<TIBS.Cases.Core.Accounts.Administration.InviteUser>().HandleAsync(
            new("nul.name@tibs.example", "Anna\0Berg", "broker", ["LT02"], organisation), admin);
        var add = await services.GetRequiredService<TIBS.Cases.Core.Organisations.AddOrganisation>().HandleAsync(
            new("Kaunas\0Transfer", "university", "LT", "https://kaunas.example/\u0007"), admin);

        Assert.Equal("The name contains the control character U+0000, which cannot be stored; remove it.", Assert.Single(invite.FieldErrors, e => e.Field == "DisplayName").Message);
        Assert.Equal("The name contains the control character U+0000, which cannot be stored; remove it.", Assert.Single(add.FieldErrors, e => e.Field == "Name").Message);
        Assert.Equal("The web address contains the control character U+0007, which cannot be stored; remove it.", Assert.Single(add.FieldErrors, e => e.Field == "WebAddress").Message);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM users WHERE email = 'nul.name@tibs.example'"));
        Assert.Empty(mail.Sent);
    }

    [SkippableFact]
    public async Task Guessing_the_current_password_on_the_profile_page_is_slowed_down_like_sign_in()
    {
        using var factory = await StartAsync();
        var liga = await SignInAsync(factory, Liga);
        var answers = new List<HttpResponseMessage>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            answers.Add(await PostFormAsync(liga, "/account/profile", "#password-form",
                [new("CurrentPassword", $"guess number {attempt} of many"), new("NewPassword", "a new long passphrase"), new("Confirmation", "a new long passphrase")], "/account/profile?handler=Password"));
        }

        // The right password, while the wait lasts, is not even checked.
        var right = await PostFormAsync(liga, "/account/profile", "#password-form",
            [new("CurrentPassword", TibsWebFactory.DemoPassword), new("NewPassword", "a new long passphrase"), new("Confirmation", "a new long passphrase")], "/account/profile?handler=Password");
        var rightPage = await HtmlForms.ParseAsync(right);

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.UnprocessableEntity, a.StatusCode));
        Assert.Contains("This is not your current password", MainText(await HtmlForms.ParseAsync(answers[0])), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[3].StatusCode); // three failures are free, then each attempt waits
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("Too many attempts, try again in", MainText(rightPage), StringComparison.Ordinal);
        Assert.NotNull(right.Headers.RetryAfter);

        // The wait over, the right password changes it; a stranger at sign-in meets the same wait meanwhile.
        time.Advance(TimeSpan.FromMinutes(2));
        var changed = await PostFormAsync(liga, "/account/profile", "#password-form",
            [new("CurrentPassword", TibsWebFactory.DemoPassword), new("NewPassword", "a new long passphrase"), new("Confirmation", "a new long passphrase")], "/account/profile?handler=Password");
        Assert.Contains("Your password is changed", MainText(await HtmlForms.ParseAsync(changed)), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Guessing_codes_to_turn_two_step_sign_in_off_is_slowed_down_and_a_required_role_cannot_turn_it_off()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture, new Dictionary<string, string?> { ["Authentication:RequireTwoStepFor"] = "coordinator" }, s => s.AddSingleton<TimeProvider>(time));
        string Code(IHtmlDocument setUp) => new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(setUp.QuerySelector("#two-step-secret")!.TextContent.Replace(" ", "", StringComparison.Ordinal)))
            .ComputeTotp(time.GetUtcNow().UtcDateTime);

        // Līga enrols of her own accord on Preferences; the coordinator must, after the password, before anything else.
        var liga = await SignInAsync(factory, Liga);
        var preferences = await liga.GetDocumentAsync("/account/preferences");
        var ligaSetUp = await HtmlForms.ParseAsync(await liga.SubmitAsync(preferences, "/account/preferences", new Dictionary<string, string>(), "#start-two-step-form"));
        await liga.SubmitAsync(ligaSetUp, "/account/preferences", new Dictionary<string, string> { ["Code"] = Code(ligaSetUp) }, "#two-step-enrol-form");
        var coordinator = factory.CreateClient();
        var signIn = await coordinator.GetDocumentAsync("/account/sign-in");
        var mustEnrol = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(signIn, "/account/sign-in", new Dictionary<string, string> { ["Email"] = Coordinator, ["Password"] = TibsWebFactory.DemoPassword }));
        var enrolled = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(mustEnrol, "/account/two-step/set-up", new Dictionary<string, string> { ["Code"] = Code(mustEnrol) }, "#two-step-enrol-form"));
        Assert.NotNull(enrolled.QuerySelector(".who"));

        // Līga may turn it off, but guessing the code is slowed down like sign-in.
        var statuses = new List<HttpStatusCode>();
        IHtmlDocument last = null!;
        for (var guess = 0; guess < 5; guess++)
        {
            var response = await PostFormAsync(liga, "/account/preferences", "#turn-off-two-step-form", [new("confirmation", $"00000{guess}")], "/account/preferences?handler=TurnOffTwoStep");
            statuses.Add(response.StatusCode);
            last = await HtmlForms.ParseAsync(response);
        }

        Assert.Equal([HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity], statuses.Take(3));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.StartsWith("Too many attempts, try again in", last.QuerySelector("#turn-off-error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("On since", (await liga.GetDocumentAsync("/account/preferences")).QuerySelector("#two-step-status")!.TextContent.Trim(), StringComparison.Ordinal);

        // The coordinator's role requires it: the page says so instead of offering to turn it off, and a post is refused in words.
        var coordinatorPreferences = await coordinator.GetDocumentAsync("/account/preferences");
        Assert.Null(coordinatorPreferences.QuerySelector("#turn-off-two-step-form"));
        Assert.StartsWith("Your role requires two-step sign-in, so it stays on.", coordinatorPreferences.QuerySelector("#two-step-required")!.TextContent.Trim(), StringComparison.Ordinal);
        var token = coordinatorPreferences.QuerySelector("#renew-recovery-codes-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var refused = await coordinator.PostAsync("/account/preferences?handler=TurnOffTwoStep", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["confirmation"] = TibsWebFactory.DemoPassword,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.StartsWith("Your role (Partner coordinator) requires two-step sign-in, so it stays on.", (await HtmlForms.ParseAsync(refused)).QuerySelector("#turn-off-error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM administration_log WHERE action = 'two-step-disabled'"));
    }

    /// <summary>Very long values and control characters are refused; markup, right-to-left marks and emoji are text like any other.</summary>
    private static bool ExpectRefused(string kind) => kind is "long" or "nul" or "bell";

    /// <summary>
    /// The answer refuses the value and nothing is lost: a control character is refused for the whole form before any
    /// page sees it (400, in words); anything else is a field error in words (422) on the form, which is shown again.
    /// </summary>
    private static void AssertRefused(string kind, HttpResponseMessage response, IHtmlDocument page, string field, string words)
    {
        if (kind is "nul" or "bell")
        {
            // NUL is refused by the form reader itself ("could not be read"), any other control character by name.
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(page.Body!.TextContent.Contains(kind == "nul" ? "The form could not be read" : "The form contains the control character U+0007", StringComparison.Ordinal), page.Body!.TextContent);
            return;
        }

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{field}: {(int)response.StatusCode}, expected 422 with '{words}'");
        Assert.Contains(words, MainText(page), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("main form"));
        _ = field;
    }

    private async Task<Guid> IdAsync(string email)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE email = @email", new { email });
    }

    [GeneratedRegex(@"https?://\S+/account/set-password\?token=\S+")]
    private static partial Regex LinkPattern();

    /// <summary>The mails the application sent, kept in memory.</summary>
    private sealed class CapturedMail : IEmailSender
    {
        private readonly ConcurrentQueue<EmailMessage> sent = new();

        public IReadOnlyList<EmailMessage> Sent => [.. sent];

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            sent.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePeoplePagesUnderAttackTests(SqliteFixture fixture) : PeoplePagesUnderAttackTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPeoplePagesUnderAttackTests(PostgresFixture fixture) : PeoplePagesUnderAttackTests(fixture);
