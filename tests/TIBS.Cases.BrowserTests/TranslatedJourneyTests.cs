using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static TIBS.Cases.BrowserTests.JointStrategyJourneyTests;

namespace TIBS.Cases.BrowserTests;

/// <summary>
/// The joint smart strategy's journey as a Latvian broker and a German partner broker read it: the Latvian broker
/// (a browser in Latvian) chooses Latvian in Preferences, the Hamburg broker (a browser in German) German with the
/// language switch in the header; every element they use is found by the words they see — the interface's
/// translations and the definition's (workflows/joint-smart-strategy/v5.lv.yaml, v5.de.yaml) — written out here as
/// literal text, and the headings, states, messages and dates they read are checked in their language, dates in
/// their culture and their region's time zone. The coordinator and the Estonian broker keep English.
/// </summary>
/// <remarks>
/// The journey runs on an application of its own: the shared one's clock is moved on by other journeys, and a version
/// published in the editor there has no translations yet.
/// </remarks>
[Collection(BrowserCollection.Name)]
public sealed class TranslatedJourneyTests(BrowserFixture fixture)
{
    private const string LatvianBroker = "broker.lv008@tibs.example";
    private const string HamburgBroker = "broker.de60@tibs.example";
    private const string Company = "Gaujas Agro Sensori";
    private const string Hamburg = "Hamburg Maritime Analytics";
    private const string Valga = "Valga Smart Sensors";

    private static readonly TimeZoneInfo Riga = TimeZoneInfo.FindSystemTimeZoneById("Europe/Riga");

    /// <summary>English of the case page's own texts, which a Latvian or German reader must not meet.</summary>
    private static readonly string[] CasePageEnglish =
        ["Save draft", "Timeline", "Partner tracks", "Done by", "Outcomes", "Lead company", "Download dossier", "Form data", "Opened ", "Started "];

    [SkippableFact]
    public async Task A_Latvian_broker_and_a_German_partner_broker_take_a_strategy_to_completed_in_their_languages()
    {
        fixture.EnsureAvailable();
        var clock = new ShiftedClock();
        await using var app = await BrowserApp.StartAsync(
            ["--Authentication:RequireTwoStepFor=none", "--Certification:UncertifiedBrokers=Allowed"], clock);
        await using var latvian = await ContextAsync(app, "lv-LV");
        var page = await latvian.NewPageAsync();
        var stage = "";
        try
        {
            // The Latvian broker's account is set to Latvian in Preferences.
            stage = "lv-01-preferences";
            await SignInAsync(page, LatvianBroker, JourneyWords.Latvian);
            await page.GotoAsync("/account/preferences");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Iestatījumi", Level = 1 })).ToBeVisibleAsync();
            var language = page.Locator("main").GetByLabel("Valoda", new() { Exact = true });
            await language.SelectOptionAsync(new SelectOptionValue { Label = "Latviešu" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Saglabāt iestatījumus" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Iestatījumi saglabāti" })).ToBeVisibleAsync();
            await Expect(language).ToHaveValueAsync("lv");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "lv");

            // The broker registers an SME and opens a case.
            stage = "lv-02-company";
            await page.GotoAsync("/companies/new");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reģistrēt uzņēmumu", Level = 1 })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Nosaukums" }).First.FillAsync(Company);
            await page.GetByLabel("Valsts").SelectOptionAsync("LV");
            await page.GetByLabel("NUTS reģions").SelectOptionAsync("LV008");
            await page.GetByLabel("Organizācijas veids").SelectOptionAsync("small");

            // NACE and S3 entries are named in English until official translations are in the repository (decision 0045).
            await page.Locator("#nace-A").CheckAsync();
            await page.Locator("#s3-ict-digitalisation").CheckAsync();
            await page.GetByLabel("Ko piedāvā").FillAsync("Lauku sensoru dati no 40 saimniecībām");
            await page.GetByLabel("Kas tam nepieciešams").FillAsync("Datu platformas un loģistikas analītikas partneris");
            await page.GetByLabel("Atslēgvārdi").FillAsync("datu platforma, sensori, loģistika");
            await page.GetByLabel("Valodas").FillAsync("lv, en, de");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reģistrēt uzņēmumu" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/companies/(?!new$)[^/]+$"));
            await ShotAsync(page, stage);

            stage = "lv-03-case";
            await page.GotoAsync("/cases/new");
            await page.GetByLabel("Vadošais uzņēmums").SelectOptionAsync(new SelectOptionValue { Label = Company });
            await page.GetByRole(AriaRole.Button, new() { Name = "Atvērt lietu" }).ClickAsync();
            await page.Locator("#step-heading").WaitForAsync();
            var caseUrl = new Uri(page.Url).AbsolutePath;
            await Expect(page.Locator("#case-status")).ToHaveTextAsync("Aktīva");

            // Needs assessment, by the steps' and outcomes' Latvian names.
            stage = "lv-04-needs-assessment";
            await StepAsync(page, "Pieņemšana", "Uzņēmums reģistrēts", new() { ["contact-data-consent"] = "yes" });
            await StepAsync(page, "Pirmais kontakts", "Pirmais kontakts izveidots");
            await StepAsync(page, "Vajadzību novērtējums", "Vajadzības novērtētas", new() { ["target-countries"] = "DE" });
            await StepAsync(page, "Gatavība internacionalizācijai", "Gatavība novērtēta");
            await StepAsync(page, "Atbilstība", "Atbilst", new() { ["eligible"] = "yes" });
            await StepAsync(page, "Sadarbības profils", "Iesniegt apstiprināšanai");

            // Every step is in the timeline, at Riga time in the Latvian way.
            var timeline = page.Locator("section[aria-labelledby=timeline-heading]");
            await Expect(timeline).ToContainTextAsync("Lieta atvērta");
            await Expect(timeline).ToContainTextAsync("Solis pabeigts · Atbilstība");
            await Expect(timeline).ToContainTextAsync(new Regex("Iznākums: .+ → Sadarbības profils"));
            await ExpectRigaTimeAsync(timeline.Locator("time").First);
            await ShotAsync(page, stage);

            // The coordinator, in English, validates the profile.
            stage = "en-05-profile-validation";
            await InContextAsync(app, null, "translated-journey-coordinator", async coordinator =>
            {
                await SignInAsync(coordinator, "coordinator@tibs.example");
                await coordinator.GotoAsync(caseUrl);
                await StepAsync(coordinator, "Profile validation", "Profile validated", new() { ["decision"] = "validated" });
            });

            // The broker shortlists a German and an Estonian SME through partner search.
            stage = "lv-06-partners";
            await ShortlistAsync(page, caseUrl, JourneyWords.Latvian, Hamburg, Valga);
            await ShotAsync(page, stage);
            await page.GotoAsync(caseUrl);
            await StepAsync(page, "Partneru atlase", "Kandidāti atlasīti", new() { ["shortlist[0].candidate"] = Hamburg, ["shortlist[0].country"] = "DE" });

            // Expressions of interest: a partner track per partner, done by the broker of the partner's region.
            stage = "lv-07-tracks";
            await Expect(page.Locator("#step-heading")).ToHaveTextAsync("Ieinteresētības apliecinājumi");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partneru procesi" })).ToBeVisibleAsync();
            var tracks = page.Locator("#tracks tr.track");
            await Expect(tracks).ToHaveCountAsync(2);
            await Expect(tracks.Locator(".track-state")).ToHaveTextAsync(["Sazinājās", "Sazinājās"]);
            await ShotAsync(page, stage);

            // The Hamburg broker, in German, finds the track in Meine Arbeit: the partner is interested, then agrees.
            stage = "de-08-hamburg";
            await InContextAsync(app, "de-DE", "translated-journey-hamburg", async hamburg =>
            {
                await SignInAsync(hamburg, HamburgBroker, JourneyWords.German);
                await hamburg.Locator("#language-choice").SelectOptionAsync(new SelectOptionValue { Label = "Deutsch" });
                await hamburg.GetByRole(AriaRole.Button, new() { Name = "Sprache wechseln" }).ClickAsync();
                await Expect(hamburg.GetByRole(AriaRole.Status).Filter(new() { HasText = "Die Oberfläche ist jetzt auf Deutsch." })).ToBeVisibleAsync();
                await Expect(hamburg.Locator("html")).ToHaveAttributeAsync("lang", "de");

                await hamburg.GetByRole(AriaRole.Link, new() { Name = "Meine Arbeit" }).First.ClickAsync();
                await Expect(hamburg.GetByRole(AriaRole.Heading, new() { Name = "Meine Arbeit", Level = 1 })).ToBeVisibleAsync();
                await hamburg.Locator("#open-tracks").GetByRole(AriaRole.Link).Filter(new() { HasText = Hamburg }).ClickAsync();
                await Expect(hamburg.Locator("#step-heading")).ToHaveTextAsync("Interessenbekundungen");
                await Expect(hamburg.GetByRole(AriaRole.Heading, new() { Name = "Partnerstränge" })).ToBeVisibleAsync();
                var hamburgTrack = hamburg.Locator("#tracks tr.track").Filter(new() { HasText = Hamburg });
                await Expect(hamburgTrack.Locator(".track-state")).ToHaveTextAsync("Kontaktiert");

                // The track is due in German dates; the Estonian partner's track is not the Hamburg broker's to move.
                await Expect(hamburgTrack).ToContainTextAsync(new Regex(@"\b\d{2}\.\d{2}\.\d{4}\b"));
                await Expect(hamburg.GetByRole(AriaRole.Button, new() { Name = $"Der Partner hat abgelehnt — {Valga}" })).ToHaveCountAsync(0);
                await hamburg.GetByRole(AriaRole.Button, new() { Name = $"Der Partner ist interessiert — {Hamburg}" }).ClickAsync();
                await Expect(hamburgTrack.Locator(".track-state")).ToHaveTextAsync("Interessiert");
                await hamburg.GetByRole(AriaRole.Button, new() { Name = $"Der Partner stimmt einer gemeinsamen Strategie zu — {Hamburg}" }).ClickAsync();
                await Expect(hamburgTrack.Locator(".track-state")).ToContainTextAsync("Zugestimmt");
                await Expect(hamburg.Locator("#step-heading")).ToHaveTextAsync("Interessenbekundungen");
                await ExpectNoEnglishAsync(hamburg);
                await ShotAsync(hamburg, stage);
                await SignOutAsync(hamburg, JourneyWords.German);
            });

            // The Estonian broker, in English, records that the Valga partner declined: the join continues the case.
            stage = "en-09-valga";
            await InContextAsync(app, null, "translated-journey-valga", async valga =>
            {
                await SignInAsync(valga, "broker.ee008@tibs.example");
                await valga.GotoAsync("/work");
                await valga.Locator("#open-tracks a").Filter(new() { HasText = Valga }).ClickAsync();
                await valga.GetByRole(AriaRole.Button, new() { Name = $"The partner declined — {Valga}" }).ClickAsync();
                await Expect(valga.Locator("#step-heading")).ToHaveTextAsync("Joint strategy");
            });

            // Agreement, back with the Latvian broker.
            stage = "lv-10-agreement";
            await page.GotoAsync(caseUrl);
            await Expect(page.Locator("#step-heading")).ToHaveTextAsync("Kopīgā stratēģija");
            await Expect(timeline).ToContainTextAsync("Partneru procesi apvienoti");
            await Expect(timeline).ToContainTextAsync(new Regex("Iznākums: .+ → Kopīgā stratēģija"));
            await StepAsync(page, "Kopīgā stratēģija", "Stratēģija sagatavota, un partneri tai piekrita", new() { ["joint-actions[0].owner"] = Hamburg });
            await Expect(page.Locator("#step-heading")).ToHaveTextAsync("Parakstīta vienošanās");
            await page.Locator("#step-form input[type=file]").First.SetInputFilesAsync(new FilePayload
            {
                Name = "kopiga-strategija-parakstita.pdf",
                MimeType = "application/pdf",
                Buffer = "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"u8.ToArray(),
            });
            await StepAsync(page, "Parakstīta vienošanās", "Vienošanās parakstīta");
            await Expect(page.Locator("#step-heading")).ToHaveTextAsync("Īstenošanas uzraudzība");
            await ExpectNoEnglishAsync(page);
            await ShotAsync(page, stage);

            // Follow-up: four quarterly check-ins a year long, then the final evaluation closes the case.
            stage = "lv-11-follow-up";
            await RecordCheckInsAsync(page, clock, caseUrl, LatvianBroker, JourneyWords.Latvian);
            await StepAsync(page, "Īstenošanas uzraudzība", "Uzraudzība pabeigta", new() { ["implementation-status"] = "implemented" });
            await StepAsync(page, "Noslēguma novērtējums", "Slēgt lietu");
            await Expect(page.Locator("#case-status")).ToHaveTextAsync("Slēgta: Pabeigta");
            await ExpectRigaTimeAsync(timeline.Locator("time").First);
            await ShotAsync(page, stage);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"translated-journey-{stage}-FAILED.png"), FullPage = true });
            throw;
        }
    }

    private static async Task ExpectNoEnglishAsync(IPage page)
    {
        foreach (var english in CasePageEnglish)
        {
            await Expect(page.Locator("main")).Not.ToContainTextAsync(english);
        }
    }

    /// <summary>
    /// Completes a step by its outcome's name; axe runs on the pages the journey keeps a screenshot of, not on every step
    /// (the English journey checks each step's page).
    /// </summary>
    private static Task StepAsync(IPage page, string step, string outcome, Dictionary<string, string>? overrides = null) =>
        CompleteAsync(page, step, outcome, overrides, checkAccessibility: false);

    /// <summary>A time shown to the Latvian broker reads as Riga's time of its UTC instant, day first: "03.12.2026 15:03".</summary>
    private static async Task ExpectRigaTimeAsync(ILocator time)
    {
        var utc = DateTimeOffset.Parse(await time.GetAttributeAsync("datetime") ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        await Expect(time).ToHaveTextAsync(TimeZoneInfo.ConvertTime(utc, Riga).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture));
    }

    private async Task<IBrowserContext> ContextAsync(BrowserApp app, string? locale)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, Locale = locale ?? "en-GB", ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>Runs <paramref name="body"/> in a browser of its own (another person's), screenshotted on failure.</summary>
    private async Task InContextAsync(BrowserApp app, string? locale, string name, Func<IPage, Task> body)
    {
        await using var context = await ContextAsync(app, locale);
        var page = await context.NewPageAsync();
        try
        {
            await body(page);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"{name}-FAILED.png"), FullPage = true });
            throw;
        }
    }
}
