using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The structured editor in a browser: a coordinator adds a field and an outcome with a condition built from its
/// parts, and sees the YAML beside the form change before saving (the preview saves nothing).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StructuredEditorBrowserTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task A_coordinator_adds_a_field_and_an_outcome_with_a_condition_and_sees_the_yaml_change_before_saving()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("structured-editor", async page =>
        {
            page.SetDefaultTimeout(30_000);
            await AccessibilityBrowserTests.SignInAsync(page, "coordinator@tibs.example");
            await page.GotoAsync(fixture.BaseUrl + "/definitions/joint-smart-strategy/draft/steps/intake");
            await page.Locator("#edit-step[data-live='true']").WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "structured editor");
            var yaml = page.Locator("#yaml-preview");
            Assert.DoesNotContain("key: budget-estimate", await yaml.InnerTextAsync(), StringComparison.Ordinal);

            // A new field in the empty last field row, by its visible labels.
            var field = await page.Locator(".field-row").CountAsync();
            await page.GetByLabel($"Field {field}: Key", new() { Exact = true }).FillAsync("budget-estimate");
            await page.GetByLabel($"Field {field}: Label", new() { Exact = true }).FillAsync("Budget estimate");
            await page.GetByLabel($"Field {field}: Type", new() { Exact = true }).SelectOptionAsync("number");
            await page.GetByLabel($"Field {field}: Smallest", new() { Exact = true }).FillAsync("0");
            await Assertions.Expect(yaml).ToContainTextAsync("key: budget-estimate");

            // A new outcome with a condition built from what to read, how to compare and a value.
            var outcome = await page.Locator(".outcome-row").CountAsync();
            var target = await page.GetByLabel("Outcome 1: Leads to", new() { Exact = true }).InputValueAsync();
            await page.GetByLabel($"Outcome {outcome}: Key", new() { Exact = true }).FillAsync("fast-track");
            await page.GetByLabel($"Outcome {outcome}: Label", new() { Exact = true }).FillAsync("Fast track for Latvia");
            await page.GetByLabel($"Outcome {outcome}: Leads to", new() { Exact = true }).SelectOptionAsync(target);
            await page.GetByLabel($"Outcome {outcome}, condition 1: Condition", new() { Exact = true }).SelectOptionAsync("expression");
            await page.GetByLabel($"Outcome {outcome}, condition 1: Expression: read", new() { Exact = true }).SelectOptionAsync("case.country");
            await page.GetByLabel($"Outcome {outcome}, condition 1: Compared", new() { Exact = true }).SelectOptionAsync("==");
            await page.GetByLabel($"Outcome {outcome}, condition 1: Value", new() { Exact = true }).FillAsync("LV");
            await Assertions.Expect(yaml).ToContainTextAsync("key: fast-track");
            await Assertions.Expect(yaml).ToContainTextAsync("case.country == \\\"LV\\\"");
            Assert.Equal("case.country == \"LV\"", await page.GetByLabel($"Outcome {outcome}, condition 1: Expression", new() { Exact = true }).InputValueAsync());
            await Assertions.Expect(page.Locator(".live-preview .mermaid-source")).ToContainTextAsync("Fast track for Latvia");
            Assert.Equal(0, await page.Locator("#step-saved").CountAsync());
            await AxeChecks.AssertAccessibleAsync(page, "structured editor with the live preview");

            // A wrong value is named beside its input before saving, and goes when it is put right. Nothing was saved:
            // the draft page still shows the text without the new field.
            await page.GetByLabel($"Field {field}: Smallest", new() { Exact = true }).FillAsync("none");
            await Assertions.Expect(page.Locator($"#fields-{field - 1}-min-live")).ToContainTextAsync("must be a number");
            await page.GetByLabel($"Field {field}: Smallest", new() { Exact = true }).FillAsync("0");
            await Assertions.Expect(page.Locator(".live-error")).ToHaveCountAsync(0);
            await page.GotoAsync(fixture.BaseUrl + "/definitions/joint-smart-strategy/draft");
            Assert.DoesNotContain("budget-estimate", await page.Locator("textarea#yaml").InputValueAsync(), StringComparison.Ordinal);
        });
    }
}
