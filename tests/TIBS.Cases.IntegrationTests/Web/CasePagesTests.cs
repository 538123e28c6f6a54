using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The case pages through their real forms: open, step forms generated from the definition, conflicts, notes, files, actions, access.</summary>
public sealed partial class CasePagesTests : IClassFixture<CasePagesTests.App>
{
    private readonly App app;

    public CasePagesTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    [GeneratedRegex(@"^/cases/([0-9a-f-]{36})$")]
    private static partial Regex CaseUrl();

    /// <summary>The Latvian broker opens a case for Vidzeme Wood Solutions through /cases/new.</summary>
    private async Task<(HttpClient Client, string Url, IHtmlDocument Page)> OpenCaseAsync()
    {
        var client = await SignedInAsync(app.Factory, "broker.lv008@tibs.example");
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var response = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var url = response.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Matches(CaseUrl(), url);
        return (client, url, await HtmlForms.ParseAsync(response));
    }

    /// <summary>Values for every empty input of the step form, as a broker would fill it in.</summary>
    private static Dictionary<string, string[]> Filled(IHtmlDocument page, params (string Key, string Value)[] overrides)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var form = (IHtmlFormElement)page.QuerySelector("#step-form")!;
        foreach (var e in form.Elements)
        {
            var name = e.GetAttribute("name");
            if (name is null || e is IHtmlButtonElement || name is "version" or "__RequestVerificationToken" || name.Contains('[', StringComparison.Ordinal) || values.ContainsKey(name))
            {
                continue;
            }

            values[name] = e switch
            {
                IHtmlSelectElement s => [s.Options.Select(o => o.Value).FirstOrDefault(v => v.Length > 0) ?? ""],
                IHtmlInputElement { Type: "radio" } => ["yes"],
                IHtmlInputElement { Type: "checkbox" } c => [c.Value],
                IHtmlInputElement { Type: "date" } => ["2026-01-10"],
                IHtmlInputElement { Type: "file" } => [],
                IHtmlInputElement i when i.GetAttribute("inputmode") == "decimal" => ["1"],
                _ => ["Filled in by the broker"],
            };
        }

        foreach (var (k, v) in overrides)
        {
            values[k] = [v];
        }

        return values.Where(v => v.Value.Length > 0).ToDictionary();
    }

    [Fact]
    public async Task A_broker_opens_a_case_and_sees_the_first_steps_generated_form()
    {
        var (_, _, page) = await OpenCaseAsync();

        Assert.StartsWith("LV008-2026-", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Intake", page.QuerySelector("#step-heading")!.TextContent);
        Assert.Equal("Needs assessment", page.QuerySelector(".stage-progress li.current")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#step-form input[name=consent-date][type=date]"));
        Assert.NotEmpty(page.QuerySelectorAll("#step-form .required-mark"));
        Assert.All(page.QuerySelectorAll("#step-form input:not([type=hidden]):not([type=radio]):not([type=checkbox]), #step-form select, #step-form textarea"),
            e => Assert.NotNull(page.QuerySelector($"label[for='{e.Id}']")));
        Assert.Contains(page.QuerySelectorAll("#step-form button[name=outcome]"), b => b.TextContent.Length > 0);
        Assert.Contains("class intake current", page.QuerySelector("pre.mermaid")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completing_the_step_moves_the_case_on_and_records_it_in_the_timeline()
    {
        var (client, url, page) = await OpenCaseAsync();
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;

        var response = await PostAsync(client, page, "#step-form", Filled(page, ("contact-data-consent", "yes")), ("outcome", outcome));
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(url, response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("First contact", after.QuerySelector("#step-heading")!.TextContent);
        Assert.Contains("Step completed", after.QuerySelector(".timeline")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Filled in by the broker", after.QuerySelector(".timeline")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Audit trail verified: all 2 events are intact; no signed checkpoint covers this case yet.", after.QuerySelector("#audit-status")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_tampered_audit_trail_is_shown_as_broken()
    {
        var (client, url, _) = await OpenCaseAsync();
        var db = app.Factory.Services.GetRequiredService<TIBS.Cases.Data.IDbConnectionFactory>();
        await using (var c = await db.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE case_events SET kind = 'case-reopened' WHERE case_id = @id", new { id = url[7..] });
        }

        var page = await client.GetDocumentAsync(url);

        Assert.Equal("Audit trail broken (an event was edited): Event 1 (Case reopened) was edited: its content does not match its hash.", page.QuerySelector("#audit-status")!.TextContent.Trim());
    }

    [Fact]
    public async Task Invalid_input_gets_an_error_per_field_and_keeps_what_was_typed()
    {
        var (client, _, page) = await OpenCaseAsync();
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;

        var response = await PostAsync(client, page, "#step-form",
            Filled(page, ("consent-date", "31.02.2026"), ("notes", "Met Līga Bērziņa at the fair"), ("contact-data-consent", "yes")), ("outcome", outcome));
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("31.02.2026", after.QuerySelector("#f-consent-date-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("31.02.2026", after.QuerySelector("#f-consent-date")!.GetAttribute("value"));
        Assert.Equal("Met Līga Bērziņa at the fair", after.QuerySelector("#f-notes")!.TextContent);
        Assert.Equal("Intake", after.QuerySelector("#step-heading")!.TextContent);
    }

    [Fact]
    public async Task Unmet_conditions_are_explained_in_words()
    {
        var (client, _, page) = await OpenCaseAsync();
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;

        var response = await PostAsync(client, page, "#step-form", Filled(page, ("contact-data-consent", "no")), ("outcome", outcome));
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotEmpty(after.QuerySelectorAll("#case-error li"));
        Assert.Equal("no", after.QuerySelector("#step-form input[name=contact-data-consent][checked]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_second_of_two_people_completing_the_same_step_is_told_and_keeps_the_input()
    {
        var (first, url, page) = await OpenCaseAsync();
        var second = await SignedInAsync(app.Factory, "broker.lv008@tibs.example");
        var secondPage = await second.GetDocumentAsync(url);
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;

        var ok = await PostAsync(first, page, "#step-form", Filled(page, ("contact-data-consent", "yes")), ("outcome", outcome));
        var late = await PostAsync(second, secondPage, "#step-form", Filled(secondPage, ("contact-data-consent", "yes"), ("notes", "Typed by the second broker")), ("outcome", outcome));
        var latePage = await HtmlForms.ParseAsync(late);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("This case was changed after you opened it", latePage.QuerySelector("#case-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("First contact", latePage.QuerySelector("#step-heading")!.TextContent);
        var details = await new CaseCommands(app.Factory.Services).GetDetailsAsync(Guid.Parse(url[7..]));
        Assert.Single(details!.Events, e => e.Kind == "step-completed");
    }

    [Fact]
    public async Task Notes_and_attachments_are_added_and_files_download_as_attachments()
    {
        var (client, url, page) = await OpenCaseAsync();

        var empty = await PostAsync(client, page, "form[action$='handler=Note']", Values(("body", "  ")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        var noted = await HtmlForms.ParseAsync(await PostAsync(client, page, "form[action$='handler=Note']", Values(("body", "Met the CEO at the Valmiera fair."))));
        Assert.Contains("Met the CEO at the Valmiera fair.", noted.QuerySelector("#notes-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);

        var pdf = "%PDF-1.7\n%test\n"u8.ToArray();
        var bad = await PostAsync(client, noted, "form[action$='handler=Attachment']", Values(), files: new Dictionary<string, (string, byte[])> { ["file"] = ("tool.exe", [0x4D, 0x5A, 0, 0]) });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bad.StatusCode);
        Assert.Contains(".exe files cannot be attached", (await HtmlForms.ParseAsync(bad)).QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
        var fake = await PostAsync(client, noted, "form[action$='handler=Attachment']", Values(), files: new Dictionary<string, (string, byte[])> { ["file"] = ("letter.pdf", "hello"u8.ToArray()) });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, fake.StatusCode);
        Assert.Contains("does not look like a .pdf file", (await HtmlForms.ParseAsync(fake)).QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
        var nothing = await PostAsync(client, noted, "form[action$='handler=Attachment']", Values(), files: new Dictionary<string, (string, byte[])> { ["file"] = ("empty.pdf", []) });
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Equal("Choose a file to attach.", (await HtmlForms.ParseAsync(nothing)).QuerySelector(".field-error")!.TextContent.Trim());
        var uploaded = await HtmlForms.ParseAsync(await PostAsync(client, noted, "form[action$='handler=Attachment']", Values(), files: new Dictionary<string, (string, byte[])> { ["file"] = ("letter of intent.pdf", pdf) }));

        var link = uploaded.QuerySelectorAll("a").First(a => a.TextContent == "letter of intent.pdf").GetAttribute("href")!;
        var download = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Contains("File attached", uploaded.QuerySelector(".timeline")!.TextContent, StringComparison.Ordinal);
        _ = url;
    }

    [Theory]
    [InlineData("../../../etc/letter.pdf")]
    [InlineData(@"C:\Users\liga\Documents\letter.pdf")]
    [InlineData(@"..\..\letter.pdf")]
    public async Task A_file_name_with_a_path_keeps_only_its_base_name(string submitted)
    {
        var (client, _, page) = await OpenCaseAsync();

        var uploaded = await PostAsync(client, page, "form[action$='handler=Attachment']", Values(), files: new Dictionary<string, (string, byte[])> { ["file"] = (submitted, "%PDF-1.7\n"u8.ToArray()) });
        var after = await HtmlForms.ParseAsync(uploaded);
        var link = after.QuerySelectorAll("a").SingleOrDefault(a => a.TextContent == "letter.pdf");

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.NotNull(link);
        var download = await client.GetAsync(link.GetAttribute("href"));
        Assert.Equal("letter.pdf", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.DoesNotContain(after.QuerySelectorAll("a"), a => a.TextContent.Contains('/', StringComparison.Ordinal) && a.TextContent.Contains("letter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hold_and_resume_through_the_case_action_forms()
    {
        var (client, _, page) = await OpenCaseAsync();

        var held = await HtmlForms.ParseAsync(await PostAsync(client, page, "form:has(input[name=action][value=hold])", Values(("reason", "Summer break"))));
        Assert.Equal("On hold", held.QuerySelector("#case-status")!.TextContent);
        Assert.Null(held.QuerySelector("#step-form"));
        var resumed = await HtmlForms.ParseAsync(await PostAsync(client, held, "form:has(input[name=action][value=resume])", Values()));
        Assert.Equal("Active", resumed.QuerySelector("#case-status")!.TextContent);
        Assert.NotNull(resumed.QuerySelector("#step-form"));
    }

    [Fact]
    public async Task Withdrawing_without_a_reason_is_refused_with_the_reason_asked_for()
    {
        var (client, _, page) = await OpenCaseAsync();

        var response = await PostAsync(client, page, "form:has(input[name=action][value=withdraw])", Values(("reason", "")));
        var after = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("needs a reason", after.QuerySelector("#case-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Active", after.QuerySelector("#case-status")!.TextContent);
    }

    [Fact]
    public async Task A_note_written_while_someone_else_completed_the_step_is_added_without_a_conflict()
    {
        var (client, url, page) = await OpenCaseAsync();
        var completed = await PostAsync(client, page, "#step-form", Filled(page, ("contact-data-consent", "yes")), button: ("outcome", page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var stale = page.QuerySelector("#step-form [name=version]")!.GetAttribute("value");
        Assert.NotEqual(stale, (await HtmlForms.ParseAsync(completed)).QuerySelector("#step-form [name=version]")!.GetAttribute("value"));

        var noted = await PostAsync(client, page, "form[action$='handler=Note']", Values(("body", "Written on the page opened before the step moved on.")));
        var shown = await HtmlForms.ParseAsync(noted);

        Assert.Equal(HttpStatusCode.OK, noted.StatusCode);
        Assert.Null(shown.QuerySelector("#case-error"));
        Assert.Contains("Written on the page opened before the step moved on.", shown.QuerySelector("#notes-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.True((await new CaseCommands(app.Factory.Services).VerifyAuditAsync(Guid.Parse(url.Split('/')[^1])))!.IsIntact);
    }

    [Fact]
    public async Task A_closed_case_offers_no_changes_and_a_page_left_open_from_before_is_refused_in_words()
    {
        var (client, url, page) = await OpenCaseAsync();
        var stale = page;
        var withdrawn = await HtmlForms.ParseAsync(await PostAsync(client, page, "form:has(input[name=action][value=withdraw])", Values(("reason", "The company was sold"))));
        Assert.StartsWith("Closed", withdrawn.QuerySelector("#case-status")!.TextContent, StringComparison.Ordinal);
        Assert.Null(withdrawn.QuerySelector("form[action$='handler=Note']"));
        Assert.Null(withdrawn.QuerySelector("form[action$='handler=Attachment']"));
        Assert.Null(withdrawn.QuerySelector("form[action$='handler=Action']"));
        Assert.Null(withdrawn.QuerySelector("#step-form"));

        // The same forms posted from a tab opened before the withdrawal (with the version it showed then, and now).
        var version = withdrawn.QuerySelector("[name=version]")?.GetAttribute("value");
        foreach (var v in new[] { stale.QuerySelector("form[action$='handler=Note'] [name=version]")!.GetAttribute("value")!, version })
        {
            if (v is null)
            {
                continue;
            }

            var note = await PostAsync(client, stale, "form[action$='handler=Note']", Values(("body", "Late note"), ("version", v)));
            var file = await PostAsync(client, stale, "form[action$='handler=Attachment']", Values(("version", v)), files: new Dictionary<string, (string, byte[])> { ["file"] = ("late.pdf", "%PDF-1.7\n"u8.ToArray()) });
            foreach (var response in new[] { note, file })
            {
                Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict, $"{response.StatusCode}");
                var shown = await HtmlForms.ParseAsync(response);
                Assert.Contains("closed", shown.QuerySelector("#case-error")?.TextContent ?? shown.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
            }
        }

        var after = await client.GetDocumentAsync(url);
        Assert.DoesNotContain("Late note", after.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("late.pdf", after.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_regions_evaluators_and_administrators_get_no_data()
    {
        var (_, url, _) = await OpenCaseAsync();

        var german = await SignedInAsync(app.Factory, "broker.de60@tibs.example");
        var evaluator = await SignedInAsync(app.Factory, "evaluator@tibs.example");
        var admin = await SignedInAsync(app.Factory, "admin@tibs.example");
        var coordinator = await SignedInAsync(app.Factory, "coordinator@tibs.example");
        var anonymous = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.NotFound, (await german.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await evaluator.GetAsync(url)).StatusCode); // open cases are not for evaluators
        Assert.Equal(HttpStatusCode.NotFound, (await german.GetAsync($"/cases/{Guid.NewGuid()}")).StatusCode);
        var adminResponse = await admin.GetAsync(url);
        Assert.Equal("/account/access-denied", adminResponse.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync(url)).StatusCode);
        var anon = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, anon.StatusCode);
        Assert.StartsWith("/account/sign-in", anon.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        var germanList = await german.GetDocumentAsync("/cases");
        Assert.DoesNotContain(germanList.QuerySelectorAll("#case-list a"), a => a.GetAttribute("href") == url);
    }

    [Fact]
    public async Task A_coordinator_reads_the_case_but_cannot_complete_a_brokers_step()
    {
        var (_, url, _) = await OpenCaseAsync();
        var coordinator = await SignedInAsync(app.Factory, "coordinator@tibs.example");

        var page = await coordinator.GetDocumentAsync(url);

        Assert.Null(page.QuerySelector("#step-form"));
        Assert.Contains("completed by: broker", page.QuerySelector("#step-readonly")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_case_list_filters_by_text_and_step()
    {
        var (client, url, _) = await OpenCaseAsync();
        var reference = (await client.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent.Split(' ')[0];

        var byText = await client.GetDocumentAsync($"/cases?q={reference}");
        var byStep = await client.GetDocumentAsync("/cases?step=final-evaluation");

        Assert.Single(byText.QuerySelectorAll("#case-list tbody tr"));
        Assert.Equal(reference, byText.QuerySelector("#case-list tbody a")!.TextContent);
        Assert.NotNull(byStep.QuerySelector("#no-cases"));
    }
}
