using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static TIBS.Cases.BrowserTests.JointStrategyJourneyTests;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The evaluator's path in a browser, by visible labels: a Latvian strategy ends; the evaluator filters the completed
/// strategies, starts an audit, reviews and records a finding; the Latvian broker answers it; the evaluator concludes,
/// and the strategy's page shows the conclusion; its dossier downloads as a PDF naming the SME and the case list as
/// XLSX. axe reports nothing serious on /audit and the audit's pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditJourneyTests(BrowserFixture fixture)
{
    [SkippableFact]
    public async Task An_evaluator_audits_a_completed_strategy_and_the_broker_answers_the_finding()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("audit-journey", async page =>
        {
            page.SetDefaultTimeout(30_000);

            // A strategy of a Latvian SME ends.
            await SignInAsync(page, "broker.lv008@tibs.example");
            await page.GotoAsync("/companies/new");
            await page.Locator("#Input_Name").FillAsync("Rūjiena Audit Dairy");
            await page.Locator("#Input_CountryCode").SelectOptionAsync("LV");
            await page.Locator("#Input_RegionCode").SelectOptionAsync("LV008");
            await page.Locator("#Input_SizeClass").SelectOptionAsync("small");
            await page.Locator("#s3-bioeconomy").CheckAsync();
            await page.Locator("main form button.btn-primary[type=submit]").Last.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/(?!new$)[^/]+$"), new() { Timeout = 30_000 });
            await page.GotoAsync("/cases/new");
            await page.Locator("#company").SelectOptionAsync(new SelectOptionValue { Label = "Rūjiena Audit Dairy" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the case" }).ClickAsync();
            await page.Locator("#step-heading").WaitForAsync();
            var strategyUrl = new Uri(page.Url).AbsolutePath;
            await page.Locator("#reason-withdraw").FillAsync("The dairy postponed its plans.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the case" }).ClickAsync();
            await page.GetByText("The case has ended").WaitForAsync();
            await SignOutAsync(page);

            // The evaluator filters the completed strategies and starts an audit.
            await SignInAsync(page, "evaluator@tibs.example");
            Assert.Equal("/audit", new Uri(page.Url).AbsolutePath);
            await page.Locator("#filter-region").SelectOptionAsync(new SelectOptionValue { Label = "Vidzeme" });
            await page.GetByLabel("Audited", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Not audited" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            var row = page.Locator("#strategies tr", new() { HasText = "Rūjiena Audit Dairy" });
            await row.WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "Evaluators' home with filters");
            await row.GetByRole(AriaRole.Button).ClickAsync();
            await page.Locator("#step-heading").WaitForAsync();
            var auditUrl = new Uri(page.Url).AbsolutePath;
            await CompleteAsync(page, "Selection", "Start the document review");
            await CompleteAsync(page, "Document review", "Review done");

            // A finding, then the findings go to the broker.
            await page.GetByLabel("Severity").SelectOptionAsync(new SelectOptionValue { Label = "Major" });
            await page.GetByLabel("Step of the strategy it concerns").SelectOptionAsync(new SelectOptionValue { Label = "Intake" });
            await page.GetByLabel("What was found").FillAsync("The consent date is missing from the intake.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record the finding" }).ClickAsync();
            await page.Locator("#finding-list li[data-finding='1']").WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "Audit case with a finding");
            await CompleteAsync(page, "Findings", "Send the findings to the broker", new() { ["result"] = "findings" });
            await SignOutAsync(page);

            // The Latvian broker answers the finding.
            await SignInAsync(page, "broker.lv008@tibs.example");
            await page.GotoAsync(auditUrl);
            await page.GetByLabel("Answer to finding 1").FillAsync("The consent was given on the phone; the signed form is attached now.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Answer finding 1" }).ClickAsync();
            await page.Locator("[data-answer='1']").WaitForAsync();
            await CompleteAsync(page, "Broker response", "Send the response to the evaluator");
            await SignOutAsync(page);

            // The evaluator concludes; the strategy shows the audit's conclusion.
            await SignInAsync(page, "evaluator@tibs.example");
            await page.GotoAsync(auditUrl);
            await CompleteAsync(page, "Conclusion", "Accept with remarks", new() { ["conclusion"] = "accepted-with-remarks", ["remarks"] = "The consent was recorded late." });
            await page.GetByText("The case has ended: Accepted with remarks").WaitForAsync();
            await AxeChecks.AssertAccessibleAsync(page, "Concluded audit");
            await page.GotoAsync(strategyUrl);
            Assert.Contains("Concluded: Accepted with remarks", await page.Locator("#audit-list").InnerTextAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "audit-journey-concluded.png"), FullPage = true });

            // The strategy's dossier and the case list as XLSX download by their links.
            var dossier = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download dossier (PDF)" }).ClickAsync());
            var pdf = await File.ReadAllBytesAsync((await dossier.PathAsync())!);
            Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
            using (var document = UglyToad.PdfPig.PdfDocument.Open(pdf))
            {
                Assert.Contains("Rūjiena Audit Dairy", string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
            }

            await page.GotoAsync("/cases");
            var export = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export XLSX" }).ClickAsync());
            Assert.EndsWith(".xlsx", export.SuggestedFilename, StringComparison.Ordinal);
            Assert.Equal("PK"u8.ToArray(), (await File.ReadAllBytesAsync((await export.PathAsync())!))[..2]);
        });
    }
}
