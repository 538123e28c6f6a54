using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Two brokers of one region on the same case page: a conflict shows what the other changed and keeps the typed input
/// (in its form, or to copy when the form is gone); drafts are saved, come back, stay private and go with completion
/// and closing.
/// </summary>
public abstract class DraftsAndConflictsPageTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";
    private const string Anna = "anna.ozola@tibs.example";

    private sealed record Setup(TibsWebFactory Factory, Guid CaseId, string Url, Guid LeadId) : IDisposable
    {
        public CaseCommands Cases => new CaseCommands(Factory.Services);

        public void Dispose() => Factory.Dispose();
    }

    /// <summary>A second broker of Vidzeme (Anna Ozola) and a case of Līga Bērziņa's for Vidzeme Wood Solutions.</summary>
    private async Task<Setup> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        _ = factory.Services; // the host starts and seeds the demo data
        var users = factory.Services.GetRequiredService<IUserStore>();
        await SignedInAsync(factory, Liga);
        var now = DateTimeOffset.UtcNow;
        var anna = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = Anna,
            DisplayName = "Anna Ozola",
            Role = Roles.Broker,
            RegionCode = "LV008",
            PasswordHash = "",
            SecurityStamp = "anna",
            CreatedAt = now,
            UpdatedAt = now,
        };
        await users.InsertAsync(anna with { PasswordHash = factory.Services.GetRequiredService<IPasswordHasher<UserAccount>>().HashPassword(anna, TibsWebFactory.DemoPassword) });
        var liga = (await users.FindByEmailAsync(Liga))!;
        await using var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var lead = await c.ExecuteScalarAsync<Guid>("SELECT id FROM companies WHERE name = 'Vidzeme Wood Solutions'");
        var opened = await new CaseCommands(factory.Services).OpenCaseAsync(lead, null, new Actor(liga.Id, WorkflowRole.Broker, "LV008"));
        return new Setup(factory, opened.Case!.Id, $"/cases/{opened.Case.Id}", lead);
    }

    /// <summary>Every field of the current step filled in validly, with <paramref name="overrides"/>.</summary>
    private static async Task<Dictionary<string, string[]>> FilledAsync(Setup s, params (string Key, string Value)[] overrides)
    {
        var details = (await s.Cases.GetDetailsAsync(s.CaseId))!;
        var input = FormFiller.Fill(details.CurrentStep!.Fields, s.LeadId, overrides.ToDictionary(o => o.Key, o => o.Value));
        return input.Strings.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    private static string Outcome(IHtmlDocument page) => page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;

    /// <summary>Clicks a button that posts its form elsewhere (formaction), like "Save draft".</summary>
    private static Task<HttpResponseMessage> ClickAsync(HttpClient client, IHtmlDocument page, string form, string buttonText, IReadOnlyDictionary<string, string[]> values)
    {
        var button = page.QuerySelectorAll($"{form} button").First(b => b.TextContent.Trim() == buttonText);
        page.QuerySelector(form)!.SetAttribute("action", button.GetAttribute("formaction"));
        return PostAsync(client, page, form, values, (button.GetAttribute("name")!, button.GetAttribute("value")!));
    }

    [SkippableFact]
    public async Task When_the_step_was_completed_meanwhile_the_page_says_who_did_it_and_offers_the_typed_values_to_copy()
    {
        using var s = await StartAsync();
        var liga = await SignedInAsync(s.Factory, Liga);
        var anna = await SignedInAsync(s.Factory, Anna);
        var ligasPage = await liga.GetDocumentAsync(s.Url);
        var annasPage = await anna.GetDocumentAsync(s.Url);

        var ligasInput = await FilledAsync(s, ("notes", "Sawmill visit: kiln capacity doubled"));

        var done = await PostAsync(anna, annasPage, "#step-form", await FilledAsync(s), ("outcome", Outcome(annasPage)));
        var late = await PostAsync(liga, ligasPage, "#step-form", ligasInput, ("outcome", Outcome(ligasPage)));
        var shown = await HtmlForms.ParseAsync(late);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("The step 'Intake' was completed meanwhile", shown.QuerySelector("#case-error")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("here is what you typed", shown.QuerySelector("#case-error")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"Anna Ozola completed Intake \(.+\), so the case is now at First contact at \d\d:\d\d UTC", shown.QuerySelector("#conflict-changes")!.TextContent);
        Assert.Contains(shown.QuerySelectorAll(".offered-input textarea[readonly]"), t => t.TextContent == "Sawmill visit: kiln capacity doubled");
        Assert.Equal("First contact", shown.QuerySelector("#step-heading")!.TextContent);
        Assert.DoesNotContain("Sawmill visit", shown.QuerySelector("#step-form")!.InnerHtml, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task When_the_step_is_still_open_the_typed_values_stay_in_its_form_with_the_change_listed()
    {
        using var s = await StartAsync();
        var liga = await SignedInAsync(s.Factory, Liga);
        var page = await liga.GetDocumentAsync(s.Url);
        var annaId = (await s.Factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(Anna))!.Id;
        await using (var c = await s.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            var partner = await c.ExecuteScalarAsync<Guid>("SELECT id FROM companies WHERE region_code = 'DE60' ORDER BY name");
            var current = (await s.Cases.GetDetailsAsync(s.CaseId))!.Case;
            Assert.True((await s.Cases.ShortlistPartnerAsync(s.CaseId, current.Version, partner, new Actor(annaId, WorkflowRole.Broker, "LV008"))).Succeeded);
        }

        var late = await PostAsync(liga, page, "#step-form", await FilledAsync(s, ("notes", "Typed before the partner came")), ("outcome", Outcome(page)));
        var shown = await HtmlForms.ParseAsync(late);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("your input is kept in the form", shown.QuerySelector("#case-error")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Anna Ozola shortlisted", shown.QuerySelector("#conflict-changes")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Intake", shown.QuerySelector("#step-heading")!.TextContent);
        Assert.Equal("Typed before the partner came", shown.QuerySelector("#step-form textarea[name=notes]")!.TextContent);
        Assert.Empty(shown.QuerySelectorAll(".offered-input"));
    }

    [SkippableFact]
    public async Task A_draft_comes_back_to_its_author_only_is_not_audited_and_goes_with_the_completion()
    {
        using var s = await StartAsync();
        var liga = await SignedInAsync(s.Factory, Liga);
        var page = await liga.GetDocumentAsync(s.Url);
        var events = (await s.Cases.GetDetailsAsync(s.CaseId))!.Events.Count;

        var saved = await ClickAsync(liga, page, "#step-form", "Save draft", Values(("notes", "Half-way: waiting for the CEO"), ("consent-date", "not a date yet")));
        var back = await liga.GetDocumentAsync(s.Url);
        var annas = await (await SignedInAsync(s.Factory, Anna)).GetDocumentAsync(s.Url);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("Half-way: waiting for the CEO", back.QuerySelector("#step-form textarea[name=notes]")!.TextContent);
        Assert.Equal("not a date yet", back.QuerySelector("#step-form input[name=consent-date]")!.GetAttribute("value"));
        Assert.Matches(@"^Draft saved \d\d:\d\d UTC — it is only visible to you\.$", back.QuerySelector("#step-form .draft-saved")!.TextContent.Trim());
        Assert.DoesNotContain("Half-way", annas.Body!.InnerHtml, StringComparison.Ordinal);
        Assert.Null(annas.QuerySelector(".draft-saved"));
        Assert.Equal(events, (await s.Cases.GetDetailsAsync(s.CaseId))!.Events.Count);

        var completed = await PostAsync(liga, back, "#step-form", await FilledAsync(s, ("notes", "Done")), ("outcome", Outcome(back)));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal(0, await DraftCountAsync(s));
    }

    [SkippableFact]
    public async Task A_draft_checks_lengths_but_not_required_fields_and_is_refused_to_those_who_may_not_act()
    {
        using var s = await StartAsync();
        var liga = await SignedInAsync(s.Factory, Liga);
        var page = await liga.GetDocumentAsync(s.Url);
        var coordinator = await SignedInAsync(s.Factory, "coordinator@tibs.example");

        var huge = await ClickAsync(liga, page, "#step-form", "Save draft", Values(("notes", new string('x', 20_001))));
        var hugePage = await HtmlForms.ParseAsync(huge);
        var byCoordinator = await coordinator.PostAsync($"{s.Url}?handler=SaveDraft", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = (await coordinator.GetDocumentAsync(s.Url)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["draftForm"] = "step",
            ["notes"] = "Not mine to draft",
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, huge.StatusCode);
        Assert.Contains("at most 20,000 characters", hugePage.QuerySelector("#step-form")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/account/access-denied", byCoordinator.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(0, await DraftCountAsync(s));
    }

    [SkippableFact]
    public async Task A_draft_whose_step_was_completed_by_someone_else_is_offered_to_copy_and_closing_the_case_removes_all_drafts()
    {
        using var s = await StartAsync();
        var liga = await SignedInAsync(s.Factory, Liga);
        var anna = await SignedInAsync(s.Factory, Anna);
        var page = await liga.GetDocumentAsync(s.Url);
        await ClickAsync(liga, page, "#step-form", "Save draft", Values(("notes", "My unfinished intake notes")));
        var annasPage = await anna.GetDocumentAsync(s.Url);
        await PostAsync(anna, annasPage, "#step-form", await FilledAsync(s), ("outcome", Outcome(annasPage)));

        var back = await liga.GetDocumentAsync(s.Url);

        var offered = back.QuerySelector(".offered-input")!;
        Assert.Contains("Your draft of Intake", offered.TextContent, StringComparison.Ordinal);
        Assert.Contains("The step 'Intake' was completed meanwhile", offered.TextContent, StringComparison.Ordinal);
        Assert.Contains(offered.QuerySelectorAll("textarea[readonly]"), t => t.TextContent == "My unfinished intake notes");
        Assert.DoesNotContain("My unfinished", back.QuerySelector("#step-form")!.InnerHtml, StringComparison.Ordinal);

        await ClickAsync(anna, await anna.GetDocumentAsync(s.Url), "#step-form", "Save draft", Values(("summary", "Anna's first-contact draft")));
        Assert.Equal(2, await DraftCountAsync(s));
        var withdraw = (await s.Cases.GetDetailsAsync(s.CaseId))!;
        var ligaId = (await s.Factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(Liga))!.Id;
        var action = withdraw.Plan.CaseActions.First(a => a.Kind == TIBS.Cases.Workflows.Definitions.CaseActionKind.Withdraw);
        Assert.True((await s.Cases.ApplyCaseActionAsync(s.CaseId, withdraw.Case.Version, action.Key, "The company withdrew", new Actor(ligaId, WorkflowRole.Broker, "LV008"))).Succeeded);
        Assert.Equal(0, await DraftCountAsync(s));
    }

    private static async Task<int> DraftCountAsync(Setup s)
    {
        await using var c = await s.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM case_drafts WHERE case_id = @id", new { id = s.CaseId });
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDraftsAndConflictsPageTests(SqliteFixture fixture) : DraftsAndConflictsPageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDraftsAndConflictsPageTests(PostgresFixture fixture) : DraftsAndConflictsPageTests(fixture);
