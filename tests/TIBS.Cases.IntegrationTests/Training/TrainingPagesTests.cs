using System.Net;
using System.Net.Http.Headers;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Training;

/// <summary>
/// Training through the pages, on each database: a coordinator keeps the catalogue and records a broker's training
/// with a certificate; the broker sees and downloads it from their preferences, other people cannot; the overview
/// names who is certified and what runs out; a required module nobody holds keeps brokers from opening cases.
/// </summary>
public abstract class TrainingPagesTests(DatabaseFixture fixture)
{
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray();

    [SkippableFact]
    public async Task A_coordinator_records_a_certificate_that_only_the_broker_and_coordinators_can_download()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var coordinator = await SignedInAsync(factory, "coordinator@tibs.example");

        var catalogue = await coordinator.GetDocumentAsync("/coordination/training");
        Assert.Equal(["Data protection for brokers", "Joint Smart Strategy method", "Partner search and matchmaking"],
            catalogue.QuerySelectorAll("#modules tbody th").Select(t => t.TextContent.Trim()));
        var liga = catalogue.QuerySelectorAll("#brokers tbody tr").Single(r => r.TextContent.Contains("Līga Bērziņa", StringComparison.Ordinal));
        Assert.Contains("Vidzeme (LV008)", liga.TextContent, StringComparison.Ordinal);
        Assert.Contains("Certified", liga.TextContent, StringComparison.Ordinal);
        var brokerPage = liga.QuerySelector("a")!.GetAttribute("href")!;

        // Record a refresher with its certificate (a multipart form, as the browser sends it).
        var form = await coordinator.GetDocumentAsync(brokerPage);
        var module = form.QuerySelectorAll("#ModuleId option").Single(o => o.TextContent == "Data protection for brokers").GetAttribute("value")!;
        var token = form.QuerySelector("#record-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        HttpResponseMessage Post(string date, string fileName, byte[] bytes)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var content = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new StringContent(module), "ModuleId" },
                { new StringContent(date), "CompletedOn" },
                { new StringContent("Baltic Innovation Academy"), "Trainer" },
                { file, "certificate", fileName },
            };
            return coordinator.PostAsync(brokerPage, content).GetAwaiter().GetResult();
        }

        var refused = await HtmlForms.ParseAsync(Post("2099-01-01", "gdpr.pdf", Pdf));
        Assert.Contains("is in the future", refused.QuerySelector("#record-form")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Baltic Innovation Academy", refused.QuerySelector("#Trainer")!.GetAttribute("value"));

        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var recorded = await HtmlForms.ParseAsync(Post(today, "gdpr.pdf", Pdf));
        var row = recorded.QuerySelectorAll("#training-completions tbody tr").First(r => r.TextContent.Contains("gdpr.pdf", StringComparison.Ordinal));
        Assert.Contains("Data protection for brokers", row.TextContent, StringComparison.Ordinal);
        var download = row.QuerySelector("a[download]")!.GetAttribute("href")!;

        // The broker sees it on their preferences and downloads it.
        var broker = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var preferences = await broker.GetDocumentAsync("/account/preferences");
        Assert.Contains("Certified", preferences.QuerySelector("#certification-status")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(download, preferences.QuerySelector("#my-training a[download]")!.GetAttribute("href"));
        var own = await broker.GetAsync(download);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(Pdf, await own.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync(download)).StatusCode);

        // Another broker and an evaluator do not find it; a broker cannot reach the coordinators' training pages.
        var otherBroker = await SignedInAsync(factory, "broker.de60@tibs.example");
        Assert.Equal(HttpStatusCode.NotFound, (await otherBroker.GetAsync(download)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await SignedInAsync(factory, "evaluator@tibs.example")).GetAsync(download)).StatusCode);
        var denied = await otherBroker.GetAsync(brokerPage);
        Assert.Equal("/account/access-denied", denied.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [SkippableFact]
    public async Task A_new_required_module_leaves_brokers_uncertified_and_the_overview_and_case_form_say_so()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var coordinator = await SignedInAsync(factory, "coordinator@tibs.example");

        // The demo: every broker certified, one optional training running out within 60 days.
        var overview = await coordinator.GetDocumentAsync("/coordination");
        Assert.Null(overview.QuerySelector("#regions-without-certified"));
        var sweden = overview.QuerySelectorAll("#certification-regions tbody tr").Single(r => r.TextContent.Contains("(SE23)", StringComparison.Ordinal));
        Assert.Contains("Elin Andersson: Partner search and matchmaking on", sweden.QuerySelector("[data-list=expiring]")!.TextContent, StringComparison.Ordinal);

        // Two coordinators add the same module's change at once: the second is told, with the input kept.
        var added = await coordinator.SubmitAsync(await coordinator.GetDocumentAsync("/coordination/training/modules/new"), "/coordination/training/modules/new",
            new Dictionary<string, string> { ["Title"] = "Mentoring SMEs abroad", ["Description"] = "Coaching SMEs through their first joint project.", ["ValidityMonths"] = "" }, "#module-form");
        var list = await HtmlForms.ParseAsync(added);
        var link = list.QuerySelectorAll("#modules tbody th a").Single(a => a.TextContent == "Mentoring SMEs abroad").GetAttribute("href")!;
        Assert.Contains("Never expires", list.QuerySelectorAll("#modules tbody tr").Single(r => r.TextContent.Contains("Mentoring", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
        var editA = await coordinator.GetDocumentAsync(link);
        var editB = await coordinator.GetDocumentAsync(link);
        var saved = await coordinator.SubmitAsync(editA, link, new Dictionary<string, string> { ["RequiredForCertification"] = "true" }, "#module-form");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var conflict = await HtmlForms.ParseAsync(await coordinator.SubmitAsync(editB, link, new Dictionary<string, string> { ["Title"] = "Mentoring (renamed)" }, "#module-form"));
        Assert.Contains("Someone else changed 'Mentoring SMEs abroad'", conflict.QuerySelector("#module-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Mentoring (renamed)", conflict.QuerySelector("#Title")!.GetAttribute("value"));
        Assert.Contains("required for certification", conflict.QuerySelector("#module-current")!.TextContent, StringComparison.Ordinal);

        // Nobody holds the new required module: no region has a certified broker, and a broker cannot open a case.
        overview = await coordinator.GetDocumentAsync("/coordination");
        Assert.Contains("Vidzeme (LV008)", overview.QuerySelector("#regions-without-certified")!.TextContent, StringComparison.Ordinal);
        var broker = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var newCase = await broker.GetDocumentAsync("/cases/new");
        Assert.StartsWith("You are not certified yet, so you cannot open new cases", newCase.QuerySelector("#open-refused")!.TextContent.Trim(), StringComparison.Ordinal);
        var company = newCase.QuerySelectorAll("#company option").First(o => !string.IsNullOrEmpty(o.GetAttribute("value"))).GetAttribute("value")!;
        var refusal = await HtmlForms.ParseAsync(await broker.SubmitAsync(newCase, "/cases/new", new Dictionary<string, string> { ["company"] = company }));
        Assert.Equal(
            "You are not certified yet, so you cannot open new cases: your training in 'Mentoring SMEs abroad' is missing or has expired. Ask your coordinator to record it.",
            refusal.QuerySelector("#open-refused")!.TextContent.Trim());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrainingPagesTests(SqliteFixture fixture) : TrainingPagesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrainingPagesTests(PostgresFixture fixture) : TrainingPagesTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerTrainingPagesTests(SqlServerFixture fixture) : TrainingPagesTests(fixture);
