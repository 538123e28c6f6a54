using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The definition editor's pages in a browser: the BPMN export drawn by bpmn-js (vendored from npm) without import
/// warnings, and Compare versions, both without serious accessibility problems.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DefinitionEditorBrowserTests(BrowserFixture fixture)
{
    private const string Coordinator = "coordinator@tibs.example";

    [SkippableFact]
    public async Task The_version_page_draws_the_bpmn_export_with_bpmn_js_without_warnings()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("bpmn-export", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await AccessibilityBrowserTests.SignInAsync(page, Coordinator);
            await page.GotoAsync(fixture.BaseUrl + "/definitions/joint-smart-strategy/v4");

            await page.GetByText("Show the BPMN diagram").ClickAsync();
            var details = page.Locator("details.bpmn-diagram[data-drawn='done']");
            await details.WaitForAsync();

            Assert.Equal("0", await details.GetAttributeAsync("data-warnings"));
            Assert.True(await page.Locator(".bpmn-canvas .djs-element[data-element-id='Task_intake']").CountAsync() == 1, "the intake step is drawn as a task");
            Assert.True(await page.Locator(".bpmn-canvas .djs-connection").CountAsync() > 10, "the sequence flows are drawn");
            await AxeChecks.AssertAccessibleAsync(page, "version page with the BPMN diagram");

            await page.GotoAsync(fixture.BaseUrl + "/definitions/joint-smart-strategy/compare?from=3&to=4");
            Assert.Contains("Solutions taken up or up-scaled", await page.Locator("table.changes tr[data-kind='added']").InnerTextAsync(), StringComparison.Ordinal);
            await AxeChecks.AssertAccessibleAsync(page, "compare versions");
        });
    }

    [SkippableFact]
    public async Task The_yaml_view_highlights_the_text_and_marks_a_problem_inline_as_the_coordinator_types()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("yaml-view", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await AccessibilityBrowserTests.SignInAsync(page, Coordinator);
            await page.GotoAsync(fixture.BaseUrl + "/definitions/joint-smart-strategy/draft");
            await page.Locator(".yaml-editor[data-ready='true'] .cm-content").WaitForAsync();
            Assert.False(await page.Locator("textarea#yaml").IsVisibleAsync());
            Assert.True(await page.Locator(".yaml-editor .cm-content span").CountAsync() > 10, "the YAML is highlighted");
            await AxeChecks.AssertAccessibleAsync(page, "draft editor with the YAML view");

            // A step pointing nowhere: the check marks it inline and the textarea (the form's field) follows the editor.
            await page.EvaluateAsync("""
                () => {
                    const view = window.tibsYamlEditor;
                    const text = view.state.doc.toString();
                    const at = text.indexOf('to: first-contact');
                    view.dispatch({ changes: { from: at, to: at + 'to: first-contact'.length, insert: 'to: nowhere-at-all' } });
                }
                """);
            await page.Locator(".yaml-editor .cm-lintRange-error").First.WaitForAsync();
            Assert.Contains("problem", await page.Locator("#yaml-live-problems").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("to: nowhere-at-all", await page.Locator("textarea#yaml").InputValueAsync(), StringComparison.Ordinal);
            await page.Locator(".yaml-editor .cm-lint-marker-error").First.HoverAsync();
            await page.Locator(".cm-tooltip-lint").WaitForAsync();
            Assert.StartsWith("stages[", await page.Locator(".cm-tooltip-lint").InnerTextAsync(), StringComparison.Ordinal);
        });
    }
}
