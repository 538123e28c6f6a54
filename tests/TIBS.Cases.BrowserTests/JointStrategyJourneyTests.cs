using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The whole SME Joint Smart Strategy in a browser, on the default definition's latest version: a Latvian broker
/// registers an SME and opens a case, completes needs assessment, the coordinator validates the profile, the broker
/// shortlists a German and an Estonian SME; each partner's track goes to the broker of its region through My work,
/// the German partner agrees, the Estonian one declines, and the join continues the case by itself; the agreement is
/// signed with an uploaded document, follow-up check-ins and the final evaluation complete the case. The coordinator
/// then changes a timer in the structured editor, reads the change before publishing, and publishes the next
/// version. A screenshot of each stage is kept.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JointStrategyJourneyTests(BrowserFixture fixture)
{
    /// <summary>
    /// Fills every empty input of a form as a broker would: the first option of selects (or one whose text contains
    /// a wanted word), "yes" for yes/no, a date, a number, text; the first row of tables. Overrides by field name.
    /// </summary>
    private const string FillScript = """
        ([selector, overrides]) => {
          const form = document.querySelector(selector);
          const done = new Set();
          for (const el of form.elements) {
            const name = el.name;
            if (!name || el.type === 'hidden' || el.type === 'submit' || el.type === 'file') continue;
            const tableRow = name.match(/\[(\d+)\]\./);
            if (tableRow && tableRow[1] !== '0') continue;
            const wanted = overrides[name];
            if (el.tagName === 'SELECT') {
              if (el.multiple) continue;
              const options = [...el.options].filter(o => o.value);
              const pick = wanted ? options.find(o => o.value === wanted || o.text.includes(wanted)) : options[0];
              if (pick) el.value = pick.value;
            } else if (el.type === 'radio') {
              if (done.has(name)) continue;
              const value = wanted ?? 'yes';
              const radio = form.querySelector(`input[name="${name}"][value="${value}"]`);
              if (radio) radio.checked = true;
              done.add(name);
            } else if (el.type === 'checkbox') {
              if (done.has(name)) continue;
              el.checked = true;
              done.add(name);
            } else if (el.type === 'date') {
              el.value = wanted ?? '2026-11-20';
            } else if (el.type === 'email' || el.type === 'tel' || el.type === 'url') {
              el.value = wanted ?? { email: 'contact@example.org', tel: '+371 2612 3456', url: 'https://example.com' }[el.type];
            } else if (el.getAttribute('inputmode') === 'decimal') {
              el.value = wanted ?? '3';
            } else if (!el.value) {
              el.value = wanted ?? 'Agreed with the company';
            }
          }
        }
        """;

    internal static async Task FillAsync(IPage page, string selector, Dictionary<string, string>? overrides = null) =>
        await page.EvaluateAsync(FillScript, new object[] { selector, overrides ?? [] });

    /// <summary>Signs in with the demo password on the sign-in page, which reads in <paramref name="words"/>' language (English by default).</summary>
    internal static async Task SignInAsync(IPage page, string email, JourneyWords? words = null)
    {
        words ??= JourneyWords.English;
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel(words.EMail).FillAsync(email);
        await page.GetByLabel(words.Password).FillAsync(BrowserFixture.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = words.SignIn }).ClickAsync();
        await page.Locator(".who").WaitForAsync();
    }

    internal static async Task SignOutAsync(IPage page, JourneyWords? words = null) =>
        await page.GetByRole(AriaRole.Button, new() { Name = (words ?? JourneyWords.English).SignOut }).ClickAsync();

    /// <summary>Shortlists <paramref name="partners"/> on the case's partner search; two partners are then in the pipeline.</summary>
    internal static async Task ShortlistAsync(IPage page, string caseUrl, JourneyWords words, params string[] partners)
    {
        await page.GotoAsync(caseUrl + "/partners");
        foreach (var partner in partners)
        {
            var candidate = page.Locator("li, article, .card, tr").Filter(new() { HasText = partner }).GetByRole(AriaRole.Button, new() { Name = words.Shortlist, Exact = true }).First;
            await candidate.ClickAsync();
            await page.WaitForLoadStateAsync();
        }

        await Assertions.Expect(page.Locator(".pipeline-status")).ToHaveCountAsync(partners.Length);
    }

    /// <summary>
    /// Records the four quarterly check-ins, each once its window has opened: three months pass between them and the
    /// session does not outlive the jump, so the broker signs in again each time.
    /// </summary>
    internal static async Task RecordCheckInsAsync(IPage page, ShiftedClock clock, string caseUrl, string email, JourneyWords words)
    {
        for (var k = 1; k <= 4; k++)
        {
            await SignOutAsync(page, words);
            clock.AdvanceMonths(3);
            await SignInAsync(page, email, words);
            await page.GotoAsync(caseUrl);
            var checkInForm = page.Locator("form[action*='handler=CheckIn']");
            await FillAsync(page, "form[action*='handler=CheckIn']");
            await checkInForm.GetByRole(AriaRole.Button, new() { Name = words.RecordCheckIn(k) }).ClickAsync();
            await page.WaitForLoadStateAsync();
            if (await page.Locator("#case-error").CountAsync() > 0)
            {
                Assert.Fail($"Check-in {k} failed: {await page.Locator("#case-error").InnerTextAsync()}");
            }
        }
    }

    /// <summary>
    /// Completes the current step through its generated form with the outcome button named <paramref name="outcome"/>;
    /// axe checks the page first unless <paramref name="checkAccessibility"/> is false.
    /// </summary>
    internal static async Task CompleteAsync(IPage page, string expectedStep, string outcome, Dictionary<string, string>? overrides = null, bool checkAccessibility = true)
    {
        Assert.Equal(expectedStep, await page.Locator("#step-heading").InnerTextAsync());
        if (checkAccessibility)
        {
            await AxeChecks.AssertAccessibleAsync(page, $"Case page at {expectedStep}");
        }

        await FillAsync(page, "#step-form", overrides);
        await page.Locator("#step-form").GetByRole(AriaRole.Button, new() { Name = outcome, Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync();
        if (await page.Locator("#case-error").CountAsync() > 0)
        {
            var fields = await page.Locator("#step-form .alert-danger").AllInnerTextsAsync();
            Assert.Fail($"Completing '{expectedStep}' with '{outcome}' failed: {await page.Locator("#case-error").InnerTextAsync()} {string.Join(" ", fields)}");
        }
    }

    internal static async Task ShotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"journey-{name}.png"), FullPage = true });
        await AxeChecks.AssertAccessibleAsync(page, name);
    }

    private static async Task<string> OutcomeLabelAsync(IPage page, int index = 0) =>
        await page.Locator("#step-form button[name=outcome]").Nth(index).InnerTextAsync();

    [SkippableFact]
    public async Task A_joint_smart_strategy_goes_from_intake_to_completed_across_two_regions()
    {
        fixture.EnsureAvailable();
        await fixture.RunInPageAsync("journey", async page =>
        {
            page.SetDefaultTimeout(30_000);

            // A Latvian broker registers an SME and opens a case.
            await SignInAsync(page, "broker.lv008@tibs.example");
            await page.GotoAsync("/companies/new");
            await page.Locator("#Input_Name").FillAsync("Smiltene Smart Farming");
            await page.Locator("#Input_CountryCode").SelectOptionAsync("LV");
            await page.Locator("#Input_RegionCode").SelectOptionAsync("LV008");
            await page.Locator("#Input_SizeClass").SelectOptionAsync("small");
            await page.Locator("#nace-A").CheckAsync();
            await page.Locator("#s3-ict-digitalisation").CheckAsync();
            await page.Locator("#s3-bioeconomy").CheckAsync();
            await page.Locator("#Input_Offers").FillAsync("Field sensor data from 40 farms");
            await page.Locator("#Input_Needs").FillAsync("Data platform and logistics analytics partner");
            await page.Locator("#Input_Keywords").FillAsync("data platform, sensors, logistics");
            await page.Locator("#Input_Languages").FillAsync("lv, en, de");
            await page.Locator("main form button.btn-primary[type=submit]").Last.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/(?!new$)[^/]+$"), new() { Timeout = 30_000 });
            await ShotAsync(page, "01-company-registered");

            await page.GotoAsync("/cases/new");
            await page.Locator("#company").SelectOptionAsync(new SelectOptionValue { Label = "Smiltene Smart Farming" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the case" }).ClickAsync();
            await page.Locator("#step-heading").WaitForAsync();
            var caseUrl = new Uri(page.Url).AbsolutePath;

            // Needs assessment.
            await CompleteAsync(page, "Intake", await OutcomeLabelAsync(page), new() { ["contact-data-consent"] = "yes" });
            await CompleteAsync(page, "First contact", await OutcomeLabelAsync(page));
            await CompleteAsync(page, "Needs assessment", await OutcomeLabelAsync(page), new() { ["target-countries"] = "DE" });
            await CompleteAsync(page, "Internationalisation readiness", await OutcomeLabelAsync(page));
            await CompleteAsync(page, "Eligibility", await OutcomeLabelAsync(page), new() { ["eligible"] = "yes" });
            await ShotAsync(page, "02-needs-assessed");
            await CompleteAsync(page, "Cooperation profile", await OutcomeLabelAsync(page));
            await SignOutAsync(page);

            // The coordinator validates the profile.
            await SignInAsync(page, "coordinator@tibs.example");
            await page.GotoAsync(caseUrl);
            await CompleteAsync(page, "Profile validation", await OutcomeLabelAsync(page), new() { ["decision"] = "validated" });
            await ShotAsync(page, "03-profile-validated");
            await SignOutAsync(page);

            // The broker shortlists two partners in two countries through partner search: a German and an Estonian SME.
            await SignInAsync(page, "broker.lv008@tibs.example");
            await ShortlistAsync(page, caseUrl, JourneyWords.English, "Hamburg Maritime Analytics", "Valga Smart Sensors");
            await ShotAsync(page, "04-partners-shortlisted");
            await page.GotoAsync(caseUrl);
            await CompleteAsync(page, "Matching", await OutcomeLabelAsync(page), new() { ["shortlist[0].candidate"] = "Hamburg Maritime Analytics", ["shortlist[0].country"] = "DE" });

            // Expressions of interest run as one partner track per partner, each done by the broker of the partner's region.
            Assert.Equal("Expressions of interest", await page.Locator("#step-heading").InnerTextAsync());
            var tracks = page.Locator("#tracks tr.track");
            Assert.Equal(2, await tracks.CountAsync());
            Assert.Equal(2, await tracks.Filter(new() { HasText = "Contacted" }).CountAsync());
            var hamburgRow = await tracks.Filter(new() { HasText = "Hamburg Maritime Analytics" }).InnerTextAsync();
            Assert.Contains("Germany", hamburgRow, StringComparison.Ordinal);
            Assert.Contains("Partner broker", hamburgRow, StringComparison.Ordinal);
            Assert.Contains("Estonia", await tracks.Filter(new() { HasText = "Valga Smart Sensors" }).InnerTextAsync(), StringComparison.Ordinal);
            await ShotAsync(page, "05-partner-tracks");
            await SignOutAsync(page);

            // The Hamburg broker finds the track in My work: the partner is interested, then agrees.
            await SignInAsync(page, "broker.de60@tibs.example");
            await page.GotoAsync("/work");
            var myTrack = page.Locator("#open-tracks a").Filter(new() { HasText = "Hamburg Maritime Analytics" });
            Assert.Equal(1, await myTrack.CountAsync());
            await ShotAsync(page, "06-hamburg-my-work");
            await myTrack.ClickAsync();
            await page.Locator("#tracks").WaitForAsync();
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "The partner declined — Valga Smart Sensors" }).CountAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "The partner is interested — Hamburg Maritime Analytics" }).ClickAsync();
            await page.WaitForLoadStateAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "The partner agrees to a joint strategy — Hamburg Maritime Analytics" }).ClickAsync();
            await page.WaitForLoadStateAsync();
            Assert.Contains("Agreed", await tracks.Filter(new() { HasText = "Hamburg Maritime Analytics" }).Locator(".track-state").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("Expressions of interest", await page.Locator("#step-heading").InnerTextAsync());
            await SignOutAsync(page);

            // The Estonian broker's partner declines: every track has ended with one agreement, so the join continues the case.
            await SignInAsync(page, "broker.ee008@tibs.example");
            await page.GotoAsync("/work");
            await page.Locator("#open-tracks a").Filter(new() { HasText = "Valga Smart Sensors" }).ClickAsync();
            await page.Locator("#tracks").WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "The partner declined — Valga Smart Sensors" }).ClickAsync();
            await page.WaitForLoadStateAsync();
            await SignOutAsync(page);

            await SignInAsync(page, "broker.lv008@tibs.example");
            await page.GotoAsync(caseUrl);
            Assert.Equal("Joint strategy", await page.Locator("#step-heading").InnerTextAsync());
            var timeline = await page.Locator("section[aria-labelledby=timeline-heading]").InnerTextAsync();
            Assert.Contains("Valga Smart Sensors: Contacted → Declined", timeline, StringComparison.Ordinal);
            Assert.Contains("Hamburg Maritime Analytics: Interested → Agreed", timeline, StringComparison.Ordinal);
            Assert.Contains("Partner tracks joined", timeline, StringComparison.Ordinal);
            Assert.Contains("Outcome: Partner found → Joint strategy", timeline, StringComparison.Ordinal);
            await ShotAsync(page, "07-partners-joined");

            // Agreement: joint strategy and the signed document.
            await CompleteAsync(page, "Joint strategy", await OutcomeLabelAsync(page), new() { ["joint-actions[0].owner"] = "Hamburg Maritime Analytics" });
            Assert.Equal("Signed agreement", await page.Locator("#step-heading").InnerTextAsync());
            await page.Locator("#step-form input[type=file]").First.SetInputFilesAsync(new FilePayload
            {
                Name = "joint-strategy-signed.pdf",
                MimeType = "application/pdf",
                Buffer = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"u8.ToArray(),
            });
            await CompleteAsync(page, "Signed agreement", await OutcomeLabelAsync(page));
            await ShotAsync(page, "08-agreement-signed");

            // Follow-up: four quarterly check-ins, then the final evaluation.
            await RecordCheckInsAsync(page, fixture.Clock, caseUrl, "broker.lv008@tibs.example", JourneyWords.English);
            await ShotAsync(page, "09-check-ins-recorded");
            await CompleteAsync(page, "Implementation follow-up", "Follow-up finished", new() { ["implementation-status"] = "implemented" });
            await CompleteAsync(page, "Final evaluation", await OutcomeLabelAsync(page));

            Assert.StartsWith("Closed", await page.Locator("#case-status").InnerTextAsync(), StringComparison.Ordinal);
            await ShotAsync(page, "10-completed");
            await SignOutAsync(page);

            // The coordinator shortens matching's escalation timer in the structured editor, reads the change against
            // version 5 before publishing, and publishes it as version 6 with a change note; the completed case stays on 5.
            await SignInAsync(page, "coordinator@tibs.example");
            await page.GotoAsync("/definitions/joint-smart-strategy/draft");
            await page.Locator("#steps li[data-step='matching'] a").ClickAsync();
            await page.Locator("#edit-step").WaitForAsync();
            Assert.Equal("P30BD", await page.Locator("#timers-0-after").InputValueAsync());
            await page.Locator("#timers-0-after").FillAsync("P25BD");
            await page.Locator("#save-step").ClickAsync();
            await page.Locator("#step-saved").WaitForAsync();
            await page.Locator("#changes-link").ClickAsync();
            var changes = await page.Locator("table.changes").InnerTextAsync();
            Assert.Contains("Matching", changes, StringComparison.Ordinal);
            Assert.Contains("P30BD", changes, StringComparison.Ordinal);
            Assert.Contains("P25BD", changes, StringComparison.Ordinal);
            await ShotAsync(page, "11-changes-before-publishing");
            await page.GotoAsync("/definitions/joint-smart-strategy/draft");
            var draftNumber = (await page.Locator("#publish button[type=submit]").InnerTextAsync()).Replace("Publish version ", "", StringComparison.Ordinal);
            await page.Locator("#change-note").FillAsync("Matching escalates to the coordinator after 25 business days instead of 30.");
            await page.Locator("#publish button[type=submit]").ClickAsync();
            await page.WaitForLoadStateAsync();
            await page.GotoAsync($"/definitions/joint-smart-strategy/v{draftNumber}");
            Assert.Contains("Matching escalates to the coordinator after 25 business days", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await page.GotoAsync(caseUrl);
            Assert.Equal("Workflow (SME Joint Smart Strategy, version 5)", await page.Locator("#diagram-heading").InnerTextAsync());
        });
    }
}
