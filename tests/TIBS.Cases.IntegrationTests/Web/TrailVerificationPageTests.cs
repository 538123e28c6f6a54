using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Jobs;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The audit verification page shows the latest scheduled verification of every trail; only administrators start one.</summary>
public abstract class TrailVerificationPageTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task The_page_shows_the_last_run_with_its_failing_case_and_only_an_administrator_starts_a_run_when_none_is_running()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var launcher = new RecordingLauncher();
        using var factory = TibsWebFactory.For(fixture, services: s => s.Replace(ServiceDescriptor.Singleton<ITrailVerificationLauncher>(launcher)));
        var broker = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var form = await broker.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await broker.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var url = opened.RequestMessage!.RequestUri!.AbsolutePath;
        var caseId = Guid.Parse(url[7..]);
        int cases;
        await using (var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await c.ExecuteAsync("UPDATE case_events SET data = @data WHERE case_id = @caseId AND seq = 1", new { data = """{"changed":"behind the application's back"}""", caseId });
            cases = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM cases");
        }

        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<TrailVerificationJob>().RunAsync(VerifyAllTrails.ScheduleName, CancellationToken.None);
        }

        var evaluator = await SignedInAsync(factory, "evaluator@tibs.example");
        var page = await evaluator.GetDocumentAsync("/audit/verify");
        Assert.Equal(cases.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("#last-run-cases")!.TextContent.Trim());
        Assert.StartsWith($"1 problem found: {cases} case", page.QuerySelector("#last-run-result")!.TextContent.Trim(), StringComparison.Ordinal);
        var row = Assert.Single(page.QuerySelectorAll("#failing-trails tbody tr"));
        Assert.Equal(url, row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Event 1 (", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("was edited: its content does not match its hash.", row.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#start-verification"));

        // A broker sees neither the page nor starts a run, even with a valid form token of its own.
        var denied = await broker.GetAsync("/audit/verify");
        Assert.Equal("/account/access-denied", denied.RequestMessage!.RequestUri!.AbsolutePath);
        var brokerToken = (await broker.GetDocumentAsync("/cases/new")).QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var brokerPost = await broker.PostAsync("/audit/verify?handler=Start", new FormUrlEncodedContent([new("__RequestVerificationToken", brokerToken)]));
        Assert.Equal("/account/access-denied", brokerPost.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Empty(launcher.Started);

        var admin = await SignedInAsync(factory, "admin@tibs.example");
        var adminPage = await admin.GetDocumentAsync("/audit/verify");
        var started = await HtmlForms.ParseAsync(await admin.SubmitAsync(adminPage, "/audit/verify?handler=Start", new Dictionary<string, string>(), "#start-verification"));
        Assert.Equal(["System Administrator"], launcher.Started);
        Assert.Contains("The verification of every audit trail has started", started.Body!.TextContent, StringComparison.Ordinal);

        // While a run holds its lease the button is gone, and a start posted anyway is refused in words.
        var now = DateTimeOffset.UtcNow;
        var store = factory.Services.GetRequiredService<ITrailVerificationStore>();
        Assert.NotNull((await store.ClaimAsync("another node", VerifyAllTrails.ScheduleName, now, now.AddMinutes(10))).Claimed);
        var running = await admin.GetDocumentAsync("/audit/verify");
        Assert.Null(running.QuerySelector("#start-verification"));
        Assert.StartsWith("Running since", running.QuerySelector("#last-run-result")!.TextContent.Trim(), StringComparison.Ordinal);
        var refused = await admin.SubmitAsync(adminPage, "/audit/verify?handler=Start", new Dictionary<string, string>(), "#start-verification");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.StartsWith("A verification of every audit trail is already running", (await HtmlForms.ParseAsync(refused)).QuerySelector("#start-verification-message")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Single(launcher.Started);
    }

    private sealed class RecordingLauncher : ITrailVerificationLauncher
    {
        public List<string> Started { get; } = [];

        public void Launch(string startedBy) => Started.Add(startedBy);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrailVerificationPageTests(SqliteFixture fixture) : TrailVerificationPageTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrailVerificationPageTests(PostgresFixture fixture) : TrailVerificationPageTests(fixture);
