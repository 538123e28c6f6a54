using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The structured editor of a step, as plain forms: a timer added and changed, a wrong value named by its field.</summary>
public sealed class EditStepPageTests
{
    private const string Key = "joint-smart-strategy";
    private const string DraftUrl = "/definitions/" + Key + "/draft";
    private const string StepUrl = DraftUrl + "/steps/intake";

    [Fact]
    public async Task A_coordinator_adds_a_timer_in_the_form_and_sees_it_among_the_changes_against_the_published_version()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, "coordinator@tibs.example");
        var draft = await client.GetDocumentAsync(DraftUrl);
        Assert.Equal(StepUrl, draft.QuerySelector("#steps li[data-step='intake'] a")!.GetAttribute("href"));

        var form = await client.GetDocumentAsync(StepUrl);
        Assert.Contains("comments are not kept", form.QuerySelector("#rewrite-note")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("P5D", ((AngleSharp.Html.Dom.IHtmlInputElement)form.QuerySelector("#due")!).Value);
        var response = await client.SubmitAsync(form, StepUrl, new Dictionary<string, string>
        {
            ["Timers[0].After"] = "P20BD",
            ["Timers[0].Action"] = "escalate",
            ["Timers[0].To"] = "coordinator",
        }, "#edit-step");

        Assert.Equal(StepUrl, response.RequestMessage!.RequestUri!.AbsolutePath);
        var saved = await HtmlForms.ParseAsync(response);
        Assert.Contains("saved in draft version 6", saved.QuerySelector("#step-saved")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("P20BD", ((AngleSharp.Html.Dom.IHtmlInputElement)saved.QuerySelector("#timers-0-after")!).Value);
        var link = saved.QuerySelector("#changes-link")!.GetAttribute("href")!;
        Assert.Equal($"/definitions/{Key}/compare?from=5&to=6", link);
        var changes = await client.GetDocumentAsync(link);
        var added = Assert.Single(changes.QuerySelectorAll("table.changes tbody tr"));
        Assert.Contains("P20BD", added.TextContent, StringComparison.Ordinal);
        Assert.Contains("escalate", added.TextContent, StringComparison.Ordinal);

        var store = factory.Services.GetRequiredService<IWorkflowStore>();
        var before = (await store.GetVersionAsync(Key, 6))!;
        var wrong = await HtmlForms.ParseAsync(await client.SubmitAsync(saved, StepUrl, new Dictionary<string, string> { ["Timers[0].After"] = "in twenty days" }, "#edit-step"));
        var after = wrong.QuerySelector("#timers-0-after")!;
        Assert.Contains("is-invalid", after.ClassName, StringComparison.Ordinal);
        Assert.Equal("timers-0-after-error", after.GetAttribute("aria-describedby"));
        Assert.NotEmpty(wrong.QuerySelector("#timers-0-after-error")!.TextContent);
        Assert.Contains("Nothing was saved", wrong.QuerySelector("#step-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before.RowVersion, (await store.GetVersionAsync(Key, 6))!.RowVersion);

        // The form opened before the save above is stale: refused in words, nothing overwritten.
        var stale = await HtmlForms.ParseAsync(await client.SubmitAsync(form, StepUrl, new Dictionary<string, string> { ["Due"] = "P6D" }, "#edit-step"));
        Assert.Contains("Someone else changed this draft", stale.QuerySelector("#conflict")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("due: P5D", (await store.GetVersionAsync(Key, 6))!.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_cannot_open_the_step_editor()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase();
        var client = await CaseForms.SignedInAsync(factory, "broker.lv008@tibs.example");

        var response = await client.GetAsync(StepUrl);

        Assert.Equal("/account/access-denied", response.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
