using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The coordinators' definition pages: the list, the draft editor (save, conflict, publish, download) and migration.</summary>
public sealed class DefinitionPagesTests
{
    private const string Key = "joint-smart-strategy";
    private const string DraftUrl = "/definitions/" + Key + "/draft";
    private const string MigrateUrl = "/definitions/" + Key + "/migrate";
    private const string Coordinator = "coordinator@tibs.example";

    private static string Yaml(IHtmlDocument page) => ((IHtmlTextAreaElement)page.QuerySelector("#save-draft textarea[name=Yaml]")!).Value;

    [Fact]
    public async Task The_index_lists_the_shipped_versions_and_the_one_new_cases_start_on()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);

        var page = await client.GetDocumentAsync("/definitions");

        var section = page.QuerySelector($"section.definition[data-key='{Key}']")!;
        Assert.NotNull(section);
        var v1 = section.QuerySelector("tr[data-version='1']")!;
        var v2 = section.QuerySelector("tr[data-version='2']")!;
        var v3 = section.QuerySelector("tr[data-version='3']")!;
        var v4 = section.QuerySelector("tr[data-version='4']")!;
        Assert.Equal("published", v1.GetAttribute("data-status"));
        Assert.Equal("published", v2.GetAttribute("data-status"));
        Assert.Equal("published", v3.GetAttribute("data-status"));
        Assert.Equal("published", v4.GetAttribute("data-status"));
        var v5 = section.QuerySelector("tr[data-version='5']")!;
        Assert.Equal("published", v5.GetAttribute("data-status"));
        Assert.NotNull(v5.QuerySelector(".current"));
        Assert.Contains("file", v1.TextContent, StringComparison.Ordinal);
        Assert.Null(v4.QuerySelector(".current"));
        Assert.Null(v1.QuerySelector(".current"));
        Assert.Null(v2.QuerySelector(".current"));
        Assert.Null(v3.QuerySelector(".current"));
        Assert.Contains("version 5", section.QuerySelector(".starts-on")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(section.QuerySelector($"a[href='/definitions/{Key}/v1']"));

        var version = await client.GetDocumentAsync($"/definitions/{Key}/v1");
        Assert.Contains("version: 1", version.QuerySelector("pre.yaml")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("stateDiagram", version.QuerySelector("pre.mermaid")!.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(version.QuerySelectorAll("ul.steps li"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/definitions/{Key}/v99")).StatusCode);
    }

    [Fact]
    public async Task A_draft_with_an_error_shows_the_path_and_keeps_the_text()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var editor = await client.GetDocumentAsync(DraftUrl);
        var yaml = Yaml(editor);
        Assert.Contains("version: 6", yaml, StringComparison.Ordinal);
        var broken = yaml.Replace("to: first-contact", "to: nowhere-step", StringComparison.Ordinal);

        var response = await client.SubmitAsync(editor, DraftUrl, new Dictionary<string, string> { ["Yaml"] = broken }, "#save-draft");

        var page = await HtmlForms.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var problems = page.QuerySelectorAll("#problems li").Select(li => li.TextContent).ToList();
        Assert.Contains(problems, p => p.Contains("stages[", StringComparison.Ordinal) && p.Contains("(line ", StringComparison.Ordinal) && p.Contains("nowhere-step", StringComparison.Ordinal));
        Assert.Contains("to: nowhere-step", Yaml(page), StringComparison.Ordinal);

        // Publishing the invalid draft lists the errors and changes nothing.
        var published = await HtmlForms.ParseAsync(await client.SubmitAsync(page, DraftUrl, new Dictionary<string, string> { ["ChangeNote"] = "Sends first contact elsewhere." }, "#publish"));
        Assert.NotEmpty(published.QuerySelectorAll("#publish-errors li"));
        var store = factory.Services.GetRequiredService<IWorkflowStore>();
        Assert.Equal(5, (await store.GetPublishedVersionAsync(Key))!.Number);
        Assert.Equal(VersionStatus.Draft, (await store.GetVersionAsync(Key, 6))!.Status);
    }

    [Fact]
    public async Task A_draft_too_large_or_hostile_is_answered_with_its_problem_and_keeps_the_server_well()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var editor = await client.GetDocumentAsync(DraftUrl);
        var yaml = Yaml(editor);

        var large = await client.SubmitAsync(editor, DraftUrl, new Dictionary<string, string> { ["Yaml"] = yaml + "# " + new string('x', 600 * 1024) + "\n" }, "#save-draft");
        var deep = await client.SubmitAsync(editor, DraftUrl, new Dictionary<string, string> { ["Yaml"] = new string('[', 8000) + new string(']', 8000) }, "#save-draft");

        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Contains("larger than 512 KB", (await HtmlForms.ParseAsync(large)).QuerySelector("#problems")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        var deepPage = await HtmlForms.ParseAsync(deep);
        Assert.Contains("nested more than 32 levels", deepPage.QuerySelector("#problems")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("(line 1)", deepPage.QuerySelector("#problems")!.TextContent, StringComparison.Ordinal);
        var store = factory.Services.GetRequiredService<IWorkflowStore>();
        Assert.DoesNotContain("xxxxxxxx", (await store.GetVersionAsync(Key, 6))?.Content ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_draft_saved_and_published_becomes_the_version_new_cases_start_on()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var editor = await client.GetDocumentAsync(DraftUrl);
        var yaml = Yaml(editor);
        var index = yaml.IndexOf("due: P5D", StringComparison.Ordinal);
        Assert.True(index > 0);
        var changed = string.Concat(yaml.AsSpan(0, index), "due: P7D", yaml.AsSpan(index + "due: P5D".Length));

        var saved = await HtmlForms.ParseAsync(await client.SubmitAsync(editor, DraftUrl, new Dictionary<string, string> { ["Yaml"] = changed }, "#save-draft"));
        Assert.Null(saved.QuerySelector("#problems"));
        Assert.NotNull(saved.QuerySelector(".saved"));

        var download = await client.GetAsync(DraftUrl + "?handler=Download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains("due: P7D", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Without a change note nothing is published and the note's field says why.
        var noNote = await HtmlForms.ParseAsync(await client.SubmitAsync(saved, DraftUrl, new Dictionary<string, string>(), "#publish"));
        Assert.Contains("Write a change note", noNote.QuerySelector("#change-note-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", noNote.QuerySelector("#change-note")!.GetAttribute("aria-invalid"));
        Assert.Equal(5, (await factory.Services.GetRequiredService<IWorkflowStore>().GetPublishedVersionAsync(Key))!.Number);

        const string note = "The first step is due after seven days instead of five.";
        var response = await client.SubmitAsync(noNote, DraftUrl, new Dictionary<string, string> { ["ChangeNote"] = note }, "#publish");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"/definitions/{Key}/v6", response.RequestMessage!.RequestUri!.AbsolutePath);
        var confirmation = (await HtmlForms.ParseAsync(response)).QuerySelector("#published-message");
        Assert.NotNull(confirmation);
        Assert.Contains("Version 6 is published", confirmation.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/definitions/{Key}/migrate", confirmation.QuerySelector("a")!.GetAttribute("href"));
        var v5 = await client.GetDocumentAsync($"/definitions/{Key}/v6");
        Assert.Null(v5.QuerySelector("#published-message"));
        Assert.Equal(note, v5.QuerySelector("dd.change-note")!.TextContent);

        var store = factory.Services.GetRequiredService<IWorkflowStore>();
        var published = (await store.GetPublishedVersionAsync(Key))!;
        Assert.Equal(6, published.Number);
        Assert.Equal(VersionSource.Editor, published.Source);
        var list = await client.GetDocumentAsync("/definitions");
        Assert.NotNull(list.QuerySelector($"section[data-key='{Key}'] tr[data-version='6'] .current"));
        Assert.Contains("version 6", list.QuerySelector($"section[data-key='{Key}'] .starts-on")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(note, list.QuerySelector($"section[data-key='{Key}'] tr[data-version='6'] .change-note")!.TextContent);
        Assert.Equal("No change note", list.QuerySelector($"section[data-key='{Key}'] tr[data-version='5'] .change-note")!.TextContent);
    }

    [Fact]
    public async Task Compare_versions_shows_the_field_v4_added_and_the_draft_links_to_its_changes()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);

        var page = await client.GetDocumentAsync($"/definitions/{Key}/compare?from=3&to=4");

        var added = Assert.Single(page.QuerySelectorAll("table.changes tr[data-kind='added']"));
        Assert.Contains("Solutions taken up or up-scaled", added.TextContent, StringComparison.Ordinal);
        Assert.Contains("type: number", added.TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.QuerySelectorAll("table.changes tr[data-kind='changed']"));
        Assert.Contains(page.QuerySelectorAll(".text-diff [data-kind='added']"), l => l.TextContent.Contains("key: solutions-taken-up", StringComparison.Ordinal));
        Assert.Equal("No change note", page.QuerySelector(".change-notes dd[data-version='4']")!.TextContent);
        Assert.Equal("4", page.QuerySelector("#to option[selected]")!.GetAttribute("value"));

        var wrong = await client.GetAsync($"/definitions/{Key}/compare?from=3&to=99");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Contains("There is no version 99", (await HtmlForms.ParseAsync(wrong)).QuerySelector("#compare-problem")!.TextContent, StringComparison.Ordinal);
        var typo = await HtmlForms.ParseAsync(await client.GetAsync($"/definitions/{Key}/compare?from=three"));
        Assert.Contains("The first version must be a version number", typo.QuerySelector("#compare-problem")!.TextContent, StringComparison.Ordinal);

        var editor = await client.GetDocumentAsync(DraftUrl);
        var yaml = Yaml(editor);
        var at = yaml.IndexOf("due: P5D", StringComparison.Ordinal);
        var changed = string.Concat(yaml.AsSpan(0, at), "due: P9D", yaml.AsSpan(at + "due: P5D".Length));
        var saved = await HtmlForms.ParseAsync(await client.SubmitAsync(editor, DraftUrl, new Dictionary<string, string> { ["Yaml"] = changed }, "#save-draft"));
        var link = saved.QuerySelector("#changes-link")!.GetAttribute("href")!;
        Assert.Equal($"/definitions/{Key}/compare?from=5&to=6", link);
        var draftChanges = await client.GetDocumentAsync(link);
        var due = Assert.Single(draftChanges.QuerySelectorAll("table.changes tbody tr"));
        Assert.Contains("P5D", due.TextContent, StringComparison.Ordinal);
        Assert.Contains("P9D", due.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_based_on_a_stale_draft_is_a_conflict_and_keeps_the_text()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var first = await client.GetDocumentAsync(DraftUrl);
        var yaml = Yaml(first);
        await client.SubmitAsync(first, DraftUrl, new Dictionary<string, string> { ["Yaml"] = yaml }, "#save-draft");

        var pageA = await client.GetDocumentAsync(DraftUrl);
        var pageB = await client.GetDocumentAsync(DraftUrl);
        var a = await HtmlForms.ParseAsync(await client.SubmitAsync(pageA, DraftUrl, new Dictionary<string, string> { ["Yaml"] = yaml + "\n# by A\n" }, "#save-draft"));
        Assert.Null(a.QuerySelector("#conflict"));

        var b = await HtmlForms.ParseAsync(await client.SubmitAsync(pageB, DraftUrl, new Dictionary<string, string> { ["Yaml"] = yaml + "\n# by B\n" }, "#save-draft"));

        Assert.Contains("Someone else changed this draft", b.QuerySelector("#conflict")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("# by B", Yaml(b), StringComparison.Ordinal);
        var stored = await factory.Services.GetRequiredService<IWorkflowStore>().GetVersionAsync(Key, 6);
        Assert.Contains("# by A", stored!.Content, StringComparison.Ordinal);

        // A stale first page (no draft when it was opened) conflicts too.
        var again = await HtmlForms.ParseAsync(await client.SubmitAsync(first, DraftUrl, new Dictionary<string, string> { ["Yaml"] = yaml }, "#save-draft"));
        Assert.NotNull(again.QuerySelector("#conflict"));
    }

    [Fact]
    public async Task A_dry_run_from_1_to_2_without_open_cases_is_empty_and_a_bad_mapping_line_is_reported()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, Coordinator);
        var form = await client.GetDocumentAsync(MigrateUrl);

        var dry = await HtmlForms.ParseAsync(await client.SubmitAsync(form, MigrateUrl, new Dictionary<string, string> { ["From"] = "1", ["To"] = "2", ["Mappings"] = "" }, "#migration"));

        Assert.Null(dry.QuerySelector("#input-errors"));
        Assert.Null(dry.QuerySelector(".plan-errors"));
        Assert.Contains("0 cases would move", dry.QuerySelector("#result .summary")!.TextContent, StringComparison.Ordinal);

        var bad = await HtmlForms.ParseAsync(await client.SubmitAsync(form, MigrateUrl, new Dictionary<string, string> { ["From"] = "1", ["To"] = "2", ["Mappings"] = "needs-assessment -> needs\nfollow-up => check-ins" }, "#migration"));

        var error = bad.QuerySelector("#input-errors")!.TextContent;
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("follow-up => check-ins", error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 1", error, StringComparison.Ordinal);
        Assert.Null(bad.QuerySelector("#result"));
        Assert.Contains("follow-up => check-ins", ((IHtmlTextAreaElement)bad.QuerySelector("#mappings")!).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_is_refused()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, "broker.lv008@tibs.example");

        foreach (var url in new[] { "/definitions", DraftUrl, MigrateUrl, $"/definitions/{Key}/v2" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal("/account/access-denied", response.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }
}
