using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Partner organisations through the pages, on each database: coordinators maintain them (specific errors, a name
/// unique per country, a concurrent edit reported, archive, no deletion while users belong); users belong to one
/// (invitation, the administrator's user page, the users list and its filter, Preferences; "No organisation yet"
/// after the upgrade); the case list filtered by the organisation of the cases' brokers. Every change is in the log.
/// </summary>
public abstract class PartnerOrganisationTests(DatabaseFixture fixture)
{
    private const string Admin = "admin@tibs.example";
    private const string Coordinator = "coordinator@tibs.example";

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture, null, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IEmailSender>(new NoMail());
        });
    }

    private static async Task<HttpClient> SignInAsync(TibsWebFactory factory, string email)
    {
        var client = factory.CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var home = await HtmlForms.ParseAsync(await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword }));
        Assert.True(home.QuerySelector(".who") is not null, $"{email} could not sign in");
        return client;
    }

    private async Task<Guid> IdAsync(string sql, object? args = null)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<Guid>(sql, args);
    }

    private Task<Guid> OrganisationAsync(string name) => IdAsync("SELECT id FROM organisations WHERE name = @name", new { name });

    private Task<Guid> UserAsync(string email) => IdAsync("SELECT id FROM users WHERE email = @email", new { email });

    private async Task<List<string>> LogAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return [.. await c.QueryAsync<string>("SELECT action FROM administration_log ORDER BY occurred_at, id")];
    }

    private static async Task<IHtmlDocument> AddAsync(HttpClient client, string name, string kind, string country, string web = "")
    {
        var form = await client.GetDocumentAsync("/coordination/organisations/add");
        var values = new Dictionary<string, string> { ["Name"] = name, ["CountryCode"] = country, ["WebAddress"] = web };
        if (kind.Length > 0)
        {
            values["Kind"] = kind; // no kind: no radio button chosen
        }

        return await HtmlForms.ParseAsync(await client.SubmitAsync(form, "/coordination/organisations/add", values, "#organisation-form"));
    }

    private static string? Error(IHtmlDocument page, string field) => page.QuerySelector($"#{field}-error")?.TextContent.Trim();

    [SkippableFact]
    public async Task A_coordinator_adds_an_organisation_with_errors_told_per_field_and_a_name_unique_per_country()
    {
        using var factory = await StartAsync();
        var coordinator = await SignInAsync(factory, Coordinator);

        var list = await coordinator.GetDocumentAsync("/coordination/organisations");
        var wrong = await AddAsync(coordinator, "  ", "", "NO", "www.latgale");
        var taken = await AddAsync(coordinator, "vidzeme  PLANNING region", "regional-development-agency", "LV");
        time.Advance(TimeSpan.FromMinutes(1));
        var added = await AddAsync(coordinator, "Latgale Planning Region", "regional-development-agency", "LV", "https://latgale.example");
        var elsewhere = await AddAsync(coordinator, "Vidzeme Planning Region", "other", "EE");

        Assert.Equal("11 organisations, 11 active", list.QuerySelector("#organisation-count")!.TextContent.Trim());
        var vidzeme = list.QuerySelectorAll("#organisations tbody tr").Single(tr => tr.QuerySelector("td")!.TextContent.Trim() == "Vidzeme Planning Region");
        Assert.Equal(["Vidzeme Planning Region", "Regional development agency", "Latvia"], vidzeme.QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()));
        Assert.Equal("1", vidzeme.QuerySelector(".users")!.TextContent.Trim());

        Assert.Equal("Nothing was saved: Enter the organisation's name.", wrong.QuerySelector("#organisation-error")!.TextContent.Trim());
        Assert.Equal("Enter the organisation's name.", Error(wrong, "Name"));
        Assert.StartsWith("Choose the kind of organisation: Regional development agency, University, Chamber of commerce", Error(wrong, "Kind"), StringComparison.Ordinal);
        Assert.Equal("Choose the organisation's country: one of Poland, Latvia, Estonia, Lithuania, Finland, Germany, Denmark, Sweden.", Error(wrong, "CountryCode"));
        Assert.Equal("Enter the web address in full, starting with https:// (such as https://www.example.org), or leave it empty.", Error(wrong, "WebAddress"));
        Assert.Equal("www.latgale", wrong.QuerySelector("#WebAddress")!.GetAttribute("value")); // the input is kept

        Assert.Equal("Latvia already has an organisation named \"vidzeme PLANNING region\": choose another name, or edit that one.", Error(taken, "Name"));
        Assert.Equal("Latgale Planning Region is added.", added.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("13 organisations, 13 active", elsewhere.QuerySelector("#organisation-count")!.TextContent.Trim());
        Assert.Equal(["organisation-added", "organisation-added"], await LogAsync());
    }

    [SkippableFact]
    public async Task A_concurrent_edit_is_reported_with_the_saved_values_and_the_input_kept_not_overwritten()
    {
        using var factory = await StartAsync();
        var coordinator = await SignInAsync(factory, Coordinator);
        var admin = await SignInAsync(factory, Admin);
        var id = await OrganisationAsync("Hamburg Chamber of Commerce");
        var url = $"/coordination/organisations/{id}";
        var mine = await coordinator.GetDocumentAsync(url);
        var theirs = await admin.GetDocumentAsync(url);

        var first = await HtmlForms.ParseAsync(await admin.SubmitAsync(theirs, url, new Dictionary<string, string> { ["Name"] = "Hamburg Chamber of Commerce and Trade" }, "#organisation-form"));
        var second = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(mine, url, new Dictionary<string, string> { ["WebAddress"] = "https://hamburg-chamber.example/international" }, "#organisation-form"));

        Assert.Equal("Hamburg Chamber of Commerce and Trade is saved.", first.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.StartsWith("Someone else changed Hamburg Chamber of Commerce and Trade since you opened it. Nothing was saved; your input is kept", second.QuerySelector("#organisation-error")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Hamburg Chamber of Commerce and Trade", second.QuerySelector("#saved-values")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Hamburg Chamber of Commerce", second.QuerySelector("#Name")!.GetAttribute("value"));
        Assert.Equal("https://hamburg-chamber.example/international", second.QuerySelector("#WebAddress")!.GetAttribute("value"));
        await using (var c = await fixture.Factory.OpenAsync())
        {
            Assert.Equal("https://hamburg-chamber.example", await c.ExecuteScalarAsync<string>("SELECT web_address FROM organisations WHERE id = @id", new { id }));
        }

        // Having seen the saved values, saving again writes the input.
        var again = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(second, url, new Dictionary<string, string>(), "#organisation-form"));
        Assert.Equal("Hamburg Chamber of Commerce is saved.", again.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal(["organisation-changed", "organisation-changed"], await LogAsync());
    }

    [SkippableFact]
    public async Task An_organisation_with_users_is_archived_not_deleted_and_is_no_longer_offered_for_new_users()
    {
        using var factory = await StartAsync();
        var coordinator = await SignInAsync(factory, Coordinator);
        var id = await OrganisationAsync("Vidzeme Planning Region");
        var url = $"/coordination/organisations/{id}";
        var page = await coordinator.GetDocumentAsync(url);

        var refused = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(page, url, new Dictionary<string, string>(), "#delete-form"));
        var archived = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(refused, url, new Dictionary<string, string>(), "#archive-form"));
        time.Advance(TimeSpan.FromMinutes(1));
        await AddAsync(coordinator, "Empty Test Agency", "other", "SE");
        time.Advance(TimeSpan.FromMinutes(1));
        var emptyId = await OrganisationAsync("Empty Test Agency");
        var empty = await coordinator.GetDocumentAsync($"/coordination/organisations/{emptyId}");
        var deleted = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(empty, $"/coordination/organisations/{emptyId}", new Dictionary<string, string>(), "#delete-form"));
        var admin = await SignInAsync(factory, Admin);
        var invite = await admin.GetDocumentAsync("/admin/users/invite");
        var evaluator = await SignInAsync(factory, "evaluator@tibs.example");
        var log = await evaluator.GetDocumentAsync("/audit/administration-log");

        Assert.Equal("Vidzeme Planning Region cannot be deleted: users belong to it. Archive it instead, or move its users to another organisation first.", refused.QuerySelector("#organisation-error")!.TextContent.Trim());
        Assert.Equal("Vidzeme Planning Region is archived: its users keep it, and it is no longer offered for new users.", archived.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.StartsWith("Archived", archived.QuerySelector("#organisation-status")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Empty Test Agency is deleted.", deleted.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("11 organisations, 10 active", deleted.QuerySelector("#organisation-count")!.TextContent.Trim());
        var offered = invite.QuerySelectorAll("#OrganisationId option").Select(o => o.TextContent.Trim()).ToList();
        Assert.DoesNotContain(offered, o => o.StartsWith("Vidzeme", StringComparison.Ordinal));
        Assert.Contains("South Estonia Science Park (Estonia)", offered);
        Assert.Equal(["organisation-deleted", "organisation-added", "organisation-archived"], log.QuerySelectorAll("#administration-log tbody tr").Select(tr => tr.GetAttribute("data-action")));
        await using var c = await fixture.Factory.OpenAsync();
        Assert.Equal(id, await c.ExecuteScalarAsync<Guid>("SELECT organisation_id FROM users WHERE email = 'broker.lv008@tibs.example'"));
    }

    [SkippableFact]
    public async Task Users_without_an_organisation_are_told_so_and_an_administrator_sets_it()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin); // the application starts and seeds its demo data
        await using (var c = await fixture.Factory.OpenAsync())
        {
            // As after the upgrade: users from before organisations have none.
            await c.ExecuteAsync("UPDATE users SET organisation_id = NULL WHERE email IN ('broker.ee008@tibs.example', 'broker.dk05@tibs.example')");
        }

        var broker = await SignInAsync(factory, "broker.ee008@tibs.example");
        var before = await broker.GetDocumentAsync("/account/preferences");
        var without = await admin.GetDocumentAsync("/admin/users?organisation=none");
        var brokerId = await UserAsync("broker.ee008@tibs.example");
        var page = await admin.GetDocumentAsync($"/admin/users/{brokerId}");
        var unchosen = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{brokerId}", new Dictionary<string, string> { ["OrganisationId"] = "" }, "#organisation-form"));
        var park = await OrganisationAsync("South Estonia Science Park");
        var set = await HtmlForms.ParseAsync(await admin.SubmitAsync(page, $"/admin/users/{brokerId}", new Dictionary<string, string> { ["OrganisationId"] = park.ToString() }, "#organisation-form"));
        var after = await broker.GetDocumentAsync("/account/preferences");
        var members = await admin.GetDocumentAsync($"/admin/users?organisation={park}");

        Assert.Equal("No organisation yet: an administrator sets it.", before.QuerySelector("#profile-organisation")!.TextContent.Trim());
        Assert.Equal(["Kadri Tamm", "Søren Nielsen"], without.QuerySelectorAll("#users tbody tr td:first-child").Select(td => td.TextContent.Trim()).Order(StringComparer.Ordinal));
        Assert.All(without.QuerySelectorAll("#users tbody tr .organisation"), td => Assert.Equal("No organisation yet", td.TextContent.Trim()));
        Assert.Equal("No organisation yet", page.QuerySelector("#user-organisation")!.TextContent.Trim());
        Assert.Equal("Choose the organisation the person belongs to.", Error(unchosen, "OrganisationId"));
        Assert.Equal("Kadri Tamm now belongs to South Estonia Science Park.", set.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("South Estonia Science Park", set.QuerySelector("#user-organisation")!.TextContent.Trim());
        Assert.Equal("South Estonia Science Park (Estonia)", after.QuerySelector("#profile-organisation")!.TextContent.Trim());
        Assert.Equal(["Kadri Tamm"], members.QuerySelectorAll("#users tbody tr td:first-child").Select(td => td.TextContent.Trim()));
        Assert.Equal(["organisation-set"], await LogAsync());
    }

    [SkippableFact]
    public async Task An_invitation_requires_an_active_organisation_once_one_exists()
    {
        using var factory = await StartAsync();
        var admin = await SignInAsync(factory, Admin);
        var form = await admin.GetDocumentAsync("/admin/users/invite");
        var values = new Dictionary<string, string> { ["Email"] = "new.broker@tibs.example", ["DisplayName"] = "New Broker", ["Role"] = "evaluator", ["OrganisationId"] = "" };

        var refused = await HtmlForms.ParseAsync(await admin.SubmitAsync(form, "/admin/users/invite", values));
        values["OrganisationId"] = (await OrganisationAsync("Kymenlaakso Development Agency")).ToString();
        var invited = await HtmlForms.ParseAsync(await admin.SubmitAsync(form, "/admin/users/invite", values));

        Assert.Equal("Choose the organisation the person belongs to.", Error(refused, "OrganisationId"));
        Assert.Equal("new.broker@tibs.example", refused.QuerySelector("#Email")!.GetAttribute("value"));
        Assert.Equal("Kymenlaakso Development Agency", invited.QuerySelector("tr[data-email='new.broker@tibs.example'] .organisation")!.TextContent.Trim());
    }

    [SkippableFact]
    public async Task The_case_list_shows_the_cases_whose_broker_belongs_to_the_chosen_organisation()
    {
        using var factory = await StartAsync();
        var latvian = await OpenCaseAsync(factory, "broker.lv008@tibs.example", "Vidzeme Wood Solutions");
        var estonian = await OpenCaseAsync(factory, "broker.ee008@tibs.example", "Valga Smart Sensors");
        var coordinator = await SignInAsync(factory, Coordinator);
        var vidzeme = await OrganisationAsync("Vidzeme Planning Region");
        var park = await OrganisationAsync("South Estonia Science Park");

        var all = await coordinator.GetDocumentAsync("/cases");
        var ofVidzeme = await coordinator.GetDocumentAsync($"/cases?organisation={vidzeme}");
        var ofPark = await coordinator.GetDocumentAsync($"/cases?organisation={park}&status=active");
        var ofNobody = await coordinator.GetDocumentAsync($"/cases?organisation={await OrganisationAsync("Hamburg Chamber of Commerce")}");

        string[] Cases(IHtmlDocument page) => [.. page.QuerySelectorAll("a[href^='/cases/']").Select(a => a.GetAttribute("href")!).Where(h => h == latvian || h == estonian).Distinct()];
        Assert.Equal(new[] { estonian, latvian }.Order(StringComparer.Ordinal), Cases(all).Order(StringComparer.Ordinal));
        Assert.Equal([latvian], Cases(ofVidzeme));
        Assert.Equal([estonian], Cases(ofPark));
        Assert.Empty(Cases(ofNobody));
        Assert.Equal("Vidzeme Planning Region (Latvia)", ofVidzeme.QuerySelector("#organisation option[selected]")!.TextContent.Trim());
        Assert.Contains($"organisation={vidzeme}", ofVidzeme.QuerySelector("a[href*='handler=export']")!.GetAttribute("href"), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Brokers_and_evaluators_may_not_maintain_organisations_and_a_wrong_indicator_filter_is_told()
    {
        using var factory = await StartAsync();
        var broker = await SignInAsync(factory, "broker.lv008@tibs.example");
        var evaluator = await SignInAsync(factory, "evaluator@tibs.example");

        var brokerSees = await broker.GetAsync("/coordination/organisations");
        var evaluatorAdds = await evaluator.GetAsync("/coordination/organisations/add");
        var wrong = await evaluator.GetDocumentAsync($"/indicators?organisation={Guid.NewGuid()}");
        var chosen = await evaluator.GetDocumentAsync($"/indicators?organisation={await OrganisationAsync("Vidzeme Planning Region")}");

        Assert.Equal("/account/access-denied", brokerSees.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/account/access-denied", evaluatorAdds.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("There is no such partner organisation: choose one from the list.", wrong.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Vidzeme Planning Region (Latvia)", chosen.QuerySelector("#organisation option[selected]")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await evaluator.GetAsync(chosen.QuerySelector("#indicators-csv")!.GetAttribute("href"))).StatusCode);
    }

    /// <summary>The broker opens a case for their region's demo company through /cases/new; its address.</summary>
    private static async Task<string> OpenCaseAsync(TibsWebFactory factory, string broker, string company)
    {
        var client = await SignInAsync(factory, broker);
        var form = await client.GetDocumentAsync("/cases/new");
        var value = form.QuerySelectorAll("#company option").First(o => o.TextContent == company).GetAttribute("value")!;
        var response = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = value, ["title"] = "" });
        Assert.Matches("^/cases/[0-9a-f-]{36}$", response.RequestMessage!.RequestUri!.AbsolutePath);
        return response.RequestMessage.RequestUri.AbsolutePath;
    }

    private sealed class NoMail : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartnerOrganisationTests(SqliteFixture fixture) : PartnerOrganisationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartnerOrganisationTests(PostgresFixture fixture) : PartnerOrganisationTests(fixture);
