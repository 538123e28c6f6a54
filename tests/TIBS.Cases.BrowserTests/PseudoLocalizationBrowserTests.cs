using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// Longer translated texts do not break the pages (decision 0049): with pseudo-localisation on (every interface text
/// accented and about 40 % longer) each main page, as the role that uses it sees it, fits a 1280 px and a 390 px window
/// without sideways scrolling, and no button, label, header cell or heading is narrower than its text. A full-page
/// screenshot of each page at each width is kept in <see cref="ScreenshotDirectory"/> (<c>pseudo/&lt;width&gt;/</c>),
/// and the case page as a Latvian, German and Polish broker sees it in <c>languages/</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PseudoLocalizationBrowserTests(BrowserFixture fixture)
{
    private static readonly int[] Widths = [1280, 390];

    /// <summary>Where the screenshots are kept: TIBS_SCREENSHOTS (CI sets it), else <c>screenshots/</c> next to the tests.</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("TIBS_SCREENSHOTS") is { Length: > 0 } d
        ? d
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The problems found on the pages visited so far (all pages are visited, then the test fails with all).</summary>
    private readonly List<string> problems = [];

    /// <summary>
    /// What overflows on the page as it is now: the page wider than the window, an element ending past the window's
    /// right edge outside a scrolling container, a text container (button, label, header cell, heading …) whose text
    /// is wider than its box (2 px tolerance). At most eight, the outermost first.
    /// </summary>
    private const string OverflowScript = """
        () => {
          const found = [];
          const root = document.documentElement;
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '')
            + ' "' + (e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 50) + '"';
          const contained = e => {
            if (!e.checkVisibility()) return true;
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
              if (getComputedStyle(p).overflowX !== 'visible') return true;
            }
            return false;
          };
          if (root.scrollWidth > root.clientWidth) {
            found.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
          }
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.right <= root.clientWidth + 1 || contained(e) || getComputedStyle(e).position === 'fixed') continue;
            const parent = e.parentElement.getBoundingClientRect();
            if (e.parentElement !== document.body && parent.right > root.clientWidth + 1) continue;
            found.push(`${name(e)} ends at ${Math.round(r.right)} px, past the ${root.clientWidth} px window`);
          }
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            const e = t.parentElement;
            if (!t.textContent.trim() || contained(e) || getComputedStyle(e).overflowX !== 'visible' || e.closest('.visually-hidden, .skip-link')) continue;
            range.selectNodeContents(t);
            const r = range.getBoundingClientRect();
            if (r.width > 0 && r.right > root.clientWidth + 1) {
              found.push(`${name(e)}: its text ends at ${Math.round(r.right)} px, past the ${root.clientWidth} px window`);
            }
          }
          const texts = 'button, .button, .btn, label, th, legend, summary, dt, h1, h2, h3, h4, .badge, .nav-link, nav a, input[type=submit]';
          for (const e of document.querySelectorAll(texts)) {
            const s = getComputedStyle(e);
            if (s.display === 'inline' || s.display === 'none' || e.clientWidth === 0 || e.closest('.visually-hidden')) continue;
            if (e.scrollWidth > e.clientWidth + 2) {
              found.push(`${name(e)}: its text needs ${e.scrollWidth} px, its box is ${e.clientWidth} px`);
            }
          }
          return found.slice(0, 8);
        }
        """;

    [SkippableFact]
    public async Task Every_main_page_fits_1280_and_390_px_with_pseudo_localised_texts()
    {
        fixture.EnsureAvailable();
        await using var app = await BrowserApp.StartAsync(
        [
            "--Authentication:RequireTwoStepFor=none",
            "--Certification:UncertifiedBrokers=Allowed",
            "--Localization:Pseudo=true",
        ]);

        string caseUrl = "";
        await InContextAsync(app.BaseUrl, null, async page =>
        {
            await VisitAsync(page, "/", "home");
            await VisitAsync(page, "/account/sign-in", "sign-in");
            var heading = await page.Locator("main h1").First.InnerTextAsync();
            Assert.True(heading.StartsWith('[') && heading.EndsWith(']') && heading.Contains('~'), $"The sign-in page's heading is not pseudo-localised: {heading}");
        });

        await InContextAsync(app.BaseUrl, null, async page =>
        {
            await SignInAsync(page, "broker.lv008@tibs.example");
            await CheckAsync(page, "broker-home");
            await VisitAsync(page, "/work", "my-work");
            await VisitAsync(page, "/cases/new", "case-new");
            await page.Locator("#company").SelectOptionAsync(new SelectOptionValue { Label = "Vidzeme Wood Solutions" });
            await page.Locator("form:has(#company) button[type=submit]").ClickAsync();
            await page.Locator("#step-heading").WaitForAsync();
            caseUrl = new Uri(page.Url).AbsolutePath;
            await CheckAsync(page, "case");
            await VisitAsync(page, caseUrl + "/partners", "case-partners");
            await VisitAsync(page, caseUrl + "/findings", "case-findings");
            await VisitAsync(page, "/cases", "cases");
            await VisitAsync(page, "/companies", "companies");
            await VisitAsync(page, "/companies/new", "company-new");
            await VisitAsync(page, "/companies/import", "company-import");
            await page.GotoAsync("/companies");
            await page.Locator("a.company-link", new() { HasText = "Vidzeme Wood Solutions" }).First.ClickAsync();
            await page.Locator("#edit-company").WaitForAsync();
            await CheckAsync(page, "company");
            await VisitAsync(page, (await page.Locator("#edit-company").GetAttributeAsync("href"))!, "company-edit");
            await VisitAsync(page, "/notifications", "inbox");
            await VisitAsync(page, "/account/preferences", "preferences");
            await VisitAsync(page, "/account/profile", "profile");
        });

        await InContextAsync(app.BaseUrl, null, async page =>
        {
            await SignInAsync(page, "coordinator@tibs.example");
            await CheckAsync(page, "coordinator-home");
            await VisitAsync(page, caseUrl, "case-coordinator");
            await VisitAsync(page, "/coordination", "coordination");
            await VisitAsync(page, "/coordination/organisations", "organisations");
            await VisitFirstLinkAsync(page, "/coordination/organisations/[0-9a-f-]{36}$", "organisation");
            await VisitAsync(page, "/coordination/training", "training");
            await VisitAsync(page, "/definitions", "definitions");
            await VisitAsync(page, "/definitions/joint-smart-strategy/v2", "definition-version");
            await VisitAsync(page, "/definitions/joint-smart-strategy/draft", "definition-draft");
            await VisitFirstLinkAsync(page, "/draft/steps/[^/]+$", "definition-step-editor");
            await VisitAsync(page, "/definitions/joint-smart-strategy/migrate", "definition-migrate");
            await VisitAsync(page, "/definitions/joint-smart-strategy/compare", "definition-compare");
            await VisitAsync(page, "/audit", "audit");
            await VisitAsync(page, "/audit/verify", "audit-verify");
            await VisitAsync(page, "/indicators", "indicators");
            await VisitAsync(page, "/indicators/cases", "indicators-cases");
            await VisitAsync(page, "/indicators/time-in-step", "indicators-time-in-step");
        });

        await InContextAsync(app.BaseUrl, null, async page =>
        {
            await SignInAsync(page, "admin@tibs.example");
            await CheckAsync(page, "admin-home");
            await VisitAsync(page, "/admin/users", "admin-users");
            await VisitFirstLinkAsync(page, "/admin/users/[0-9a-f-]{36}$", "admin-user");
            await VisitAsync(page, "/admin/users/invite", "admin-user-invite");
            await VisitAsync(page, "/admin/privacy", "admin-privacy");
            await VisitAsync(page, "/admin/privacy/retention", "admin-retention");
            await VisitAsync(page, "/admin/backups", "admin-backups");
            await VisitAsync(page, "/admin/personal-data", "admin-personal-data");
            await VisitAsync(page, "/audit/administration-log", "administration-log");
        });

        Assert.True(problems.Count == 0, $"{problems.Count} pages overflow with pseudo-localised texts (screenshots in {ScreenshotDirectory}):\n\n" + string.Join("\n\n", problems));
    }

    [SkippableTheory]
    [InlineData("lv", "lv-LV", "broker.lv008@tibs.example", "Vidzeme Wood Solutions")]
    [InlineData("de", "de-DE", "broker.de60@tibs.example", "Hamburg Maritime Analytics")]
    [InlineData("pl", "pl-PL", "broker.pl84@tibs.example", "Podlasie Dairy Tech")]
    public async Task The_case_page_of_a_case_in_progress_is_screenshotted_in_the_brokers_language(string language, string locale, string broker, string company)
    {
        fixture.EnsureAvailable();
        await InContextAsync(fixture.BaseUrl, locale, async page =>
        {
            await SignInAsync(page, broker);
            await page.GotoAsync("/cases/new");
            await page.Locator("#company").SelectOptionAsync(new SelectOptionValue { Label = company });
            await page.Locator("form:has(#company) button[type=submit]").ClickAsync();
            await page.Locator("#step-heading").WaitForAsync();
            Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));

            var path = Path.Combine(ScreenshotDirectory, "languages", $"case-{language}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Assert.True(new FileInfo(path).Length > 10_000, $"The screenshot {path} is empty.");
        });
    }

    /// <summary>A fresh browser context at 1280 × 900 (with <paramref name="locale"/>'s Accept-Language when given).</summary>
    private async Task InContextAsync(string baseUrl, string? locale, Func<IPage, Task> body)
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = 1280, Height = 900 },
            Locale = locale,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await body(page);
    }

    /// <summary>Signs in by the form's fields (their labels are pseudo-localised or translated).</summary>
    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(BrowserFixture.DemoPassword);
        await page.Locator("form:has(#Email) button[type=submit]").ClickAsync();
        await page.Locator(".who").WaitForAsync();
    }

    private async Task VisitAsync(IPage page, string url, string name)
    {
        var response = await page.GotoAsync(url);
        Assert.True(response is { Ok: true }, $"{name} ({url}) answered {response?.Status}");
        await CheckAsync(page, name);
    }

    /// <summary>Visits the first link of the page whose address matches <paramref name="pattern"/>.</summary>
    private async Task VisitFirstLinkAsync(IPage page, string pattern, string name)
    {
        var hrefs = await page.Locator("main a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var href = hrefs.FirstOrDefault(h => Regex.IsMatch(h, pattern));
        Assert.True(href is not null, $"{page.Url} has no link to {pattern} for {name}");
        await VisitAsync(page, href, name);
    }

    /// <summary>Checks the page at each width, keeping a full-page screenshot of each.</summary>
    private async Task CheckAsync(IPage page, string name)
    {
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);

            // Charts redraw at the new width after the next frames.
            await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100))))");
            var found = await page.EvaluateAsync<string[]>(OverflowScript);
            if (found.Length > 0)
            {
                problems.Add($"{name} ({new Uri(page.Url).AbsolutePath}) at {width} px:\n  " + string.Join("\n  ", found));
            }

            var path = Path.Combine(ScreenshotDirectory, "pseudo", width.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{name}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        await page.SetViewportSizeAsync(Widths[0], 900);
    }
}
