using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The domain's metrics in the Prometheus scrape and the readiness check, on each database: a completed step, a
/// conflict, a delivered reminder, an e-mail sent or refused and a tampered audit trail move their counters; readiness
/// fails when reminders wait too long or when the schema is not the build's, and tells anonymous callers only the status.
/// </summary>
public abstract class ObservabilityTests(DatabaseFixture fixture)
{
    private const string Liga = "broker.lv008@tibs.example";

    private sealed record Setup(TibsWebFactory Factory, Guid CaseId, string Url, Guid LeadId, string Definition) : IDisposable
    {
        public CaseCommands Cases => new(Factory.Services);

        public void Dispose() => Factory.Dispose();
    }

    private async Task<Setup> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var extra = new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            extra[k] = v;
        }

        var factory = TibsWebFactory.For(fixture, extra);
        _ = factory.Services;
        var liga = (await factory.Services.GetRequiredService<IUserStore>().FindByEmailAsync(Liga))!;
        await using var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var lead = await c.ExecuteScalarAsync<Guid>("SELECT id FROM companies WHERE name = 'Vidzeme Wood Solutions'");
        var cases = new CaseCommands(factory.Services);
        var opened = await cases.OpenCaseAsync(lead, null, new Actor(liga.Id, WorkflowRole.Broker, "LV008"));
        var details = (await cases.GetDetailsAsync(opened.Case!.Id))!;
        return new Setup(factory, opened.Case.Id, $"/cases/{opened.Case.Id}", lead, details.Plan.Key);
    }

    private static async Task<Dictionary<string, string[]>> FilledAsync(Setup s)
    {
        var details = (await s.Cases.GetDetailsAsync(s.CaseId))!;
        var input = FormFiller.Fill(details.CurrentStep!.Fields, s.LeadId, new Dictionary<string, string>());
        return input.Strings.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    private static string Outcome(IHtmlDocument page) => page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;

    [SkippableFact]
    public async Task Completing_a_step_moves_the_completions_counter_of_its_definition_and_outcome_and_a_stale_form_moves_the_conflicts()
    {
        using var s = await StartAsync();
        var admin = await SignedInAsync(s.Factory, "admin@tibs.example");
        var liga = await SignedInAsync(s.Factory, Liga);
        var page = await liga.GetDocumentAsync(s.Url);
        var outcome = Outcome(page);
        var input = await FilledAsync(s);
        var before = await MetricsScrape.ReadAsync(admin);

        var done = await PostAsync(liga, page, "#step-form", input, ("outcome", outcome));
        var middle = await MetricsScrape.ReadAsync(admin);
        var late = await PostAsync(liga, page, "#step-form", input, ("outcome", outcome));
        var after = await MetricsScrape.ReadAsync(admin);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(1, middle.Value("tibs_step_completions", ("definition", s.Definition), ("outcome", outcome)) - before.Value("tibs_step_completions", ("definition", s.Definition), ("outcome", outcome)));
        Assert.Equal(1, after.Value("tibs_step_conflicts") - middle.Value("tibs_step_conflicts"));
        Assert.Equal(middle.Value("tibs_step_completions"), after.Value("tibs_step_completions"));
        Assert.DoesNotContain(s.CaseId.ToString(), after.Text, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Readiness_fails_while_due_reminders_wait_too_long_and_delivering_them_moves_the_delivered_counter()
    {
        using var s = await StartAsync(new Dictionary<string, string?> { ["Health:MaxDispatchLag"] = "00:30:00" });
        var admin = await SignedInAsync(s.Factory, "admin@tibs.example");
        var anonymous = s.Factory.CreateClient();
        await using (var c = await s.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            Assert.True(await c.ExecuteAsync("UPDATE reminders SET due_at = @due WHERE case_id = @id AND status = 'pending'", new { due = DateTimeOffset.UtcNow.AddHours(-2), id = s.CaseId }) > 0);
        }

        var waiting = await anonymous.GetAsync("/health/ready");
        var waitingBody = await waiting.Content.ReadAsStringAsync();
        using var details = JsonDocument.Parse(await (await admin.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        var lagBefore = await MetricsScrape.ReadAsync(admin);
        var before = lagBefore.Value("tibs_reminders_delivered");

        var summary = await s.Factory.Services.GetRequiredService<DispatchCycle>().RunAsync("test-worker");
        var ready = await anonymous.GetAsync("/health/ready");
        var after = await MetricsScrape.ReadAsync(admin);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Equal("""{"status":"Unhealthy"}""", waitingBody.Replace(" ", "", StringComparison.Ordinal).ReplaceLineEndings(""));
        var dispatch = details.RootElement.GetProperty("checks").GetProperty("dispatch");
        Assert.Equal("Unhealthy", dispatch.GetProperty("status").GetString());
        Assert.Contains("Health:MaxDispatchLag", dispatch.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(lagBefore.Value("tibs_reminders_dispatch_lag_seconds") + lagBefore.Value("tibs_reminders_dispatch_lag") >= 7000, lagBefore.Text);
        Assert.True(summary.Delivered >= 1, summary.ToString());
        Assert.Equal(summary.Delivered, after.Value("tibs_reminders_delivered") - before);
        Assert.True(after.Value("tibs_reminders_claimed") >= summary.Claimed);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(0, after.Value("tibs_reminders_dispatch_lag_seconds") + after.Value("tibs_reminders_dispatch_lag"));
    }

    [SkippableFact]
    public async Task Readiness_fails_when_the_database_schema_is_not_the_version_this_build_knows()
    {
        using var s = await StartAsync();
        var admin = await SignedInAsync(s.Factory, "admin@tibs.example");
        var anonymous = s.Factory.CreateClient();
        var live = await anonymous.GetAsync("/health/live");
        await using var c = await s.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        await c.ExecuteAsync($"INSERT INTO {SchemaMigrator.JournalTable} (scriptname, applied) VALUES ('db.9999_from_a_newer_build.sql', @now)", new { now = DateTime.UtcNow });
        try
        {
            var ready = await anonymous.GetAsync("/health/ready");
            var health = await anonymous.GetAsync("/health");
            var stillLive = await anonymous.GetAsync("/health/live");
            using var details = JsonDocument.Parse(await (await admin.GetAsync("/health/ready")).Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
            Assert.DoesNotContain("database", await ready.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            var database = details.RootElement.GetProperty("checks").GetProperty("database");
            Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
            Assert.Contains("This database was upgraded by a newer release of TIBS.Cases", database.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, database.GetProperty("data").GetProperty("unknownScripts").GetInt32());
        }
        finally
        {
            await c.ExecuteAsync($"DELETE FROM {SchemaMigrator.JournalTable} WHERE scriptname = 'db.9999_from_a_newer_build.sql'");
        }
    }

    [SkippableFact]
    public async Task An_e_mail_handed_to_the_mail_server_moves_the_sent_counter()
    {
        var pickup = Path.Combine(Path.GetTempPath(), "tibs-tests", "mail-" + Guid.NewGuid().ToString("N"));
        using var s = await StartAsync(new Dictionary<string, string?> { ["Mail:PickupDirectory"] = pickup });
        var admin = await SignedInAsync(s.Factory, "admin@tibs.example");
        await DueNowAsync(s);
        var before = await MetricsScrape.ReadAsync(admin);

        var summary = await s.Factory.Services.GetRequiredService<DispatchCycle>().RunAsync("test-worker");
        var after = await MetricsScrape.ReadAsync(admin);

        Assert.True(summary.Mailed >= 1, summary.ToString());
        Assert.Equal(0, summary.MailFailures);
        Assert.Equal(summary.Mailed, Directory.GetFiles(pickup, "*.eml").Length);
        Assert.Equal(summary.Mailed, after.Value("tibs_mail_sent", ("kind", "single")) - before.Value("tibs_mail_sent", ("kind", "single")));
        Assert.Equal(before.Value("tibs_mail_failed"), after.Value("tibs_mail_failed"));
        Directory.Delete(pickup, recursive: true);
    }

    [SkippableFact]
    public async Task An_e_mail_the_mail_server_cannot_take_moves_the_failed_counter_and_not_the_sent_one()
    {
        using var s = await StartAsync(new Dictionary<string, string?>
        {
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = NothingListens().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:UseTls"] = "false",
        });
        var admin = await SignedInAsync(s.Factory, "admin@tibs.example");
        await DueNowAsync(s);
        var before = await MetricsScrape.ReadAsync(admin);

        var summary = await s.Factory.Services.GetRequiredService<DispatchCycle>().RunAsync("test-worker");
        var after = await MetricsScrape.ReadAsync(admin);

        Assert.True(summary.Delivered >= 1, summary.ToString());
        Assert.True(summary.MailFailures >= 1, summary.ToString());
        Assert.Equal(0, summary.Mailed);
        Assert.Equal(summary.MailFailures, after.Value("tibs_mail_failed", ("kind", "single")) - before.Value("tibs_mail_failed", ("kind", "single")));
        Assert.Equal(before.Value("tibs_mail_sent"), after.Value("tibs_mail_sent"));
    }

    [SkippableFact]
    public async Task Verifying_every_trail_moves_the_chain_failures_counter_by_the_problems_found_and_a_clean_run_leaves_it()
    {
        using var s = await StartAsync();
        var admin = await SignedInAsync(s.Factory, "admin@tibs.example");
        var verify = s.Factory.Services.GetRequiredService<VerifyAllTrails>();
        var before = await MetricsScrape.ReadAsync(admin);

        var clean = await verify.HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName));
        var afterClean = await MetricsScrape.ReadAsync(admin);
        await using (var c = await s.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            // Changed behind the application's back: the stored hash no longer matches the event.
            Assert.Equal(1, await c.ExecuteAsync("UPDATE case_events SET data = @data WHERE case_id = @id AND seq = 1", new { data = """{"changed":"by hand"}""", id = s.CaseId }));
        }

        var tampered = await verify.HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName));
        var after = await MetricsScrape.ReadAsync(admin);

        Assert.Equal(0, clean.Run!.Failures);
        Assert.Equal(before.Value("tibs_audit_chain_failures"), afterClean.Value("tibs_audit_chain_failures"));
        Assert.Equal(s.CaseId, Assert.Single(tampered.Failures).CaseId);
        Assert.Equal(1, after.Value("tibs_audit_chain_failures") - afterClean.Value("tibs_audit_chain_failures"));
        Assert.DoesNotContain(s.CaseId.ToString(), after.Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The case's pending reminders fall due an hour ago (so the dispatcher delivers them and e-mails their notifications).</summary>
    private static async Task DueNowAsync(Setup s)
    {
        await using var c = await s.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        Assert.True(await c.ExecuteAsync("UPDATE reminders SET due_at = @due WHERE case_id = @id AND status = 'pending'", new { due = DateTimeOffset.UtcNow.AddHours(-1), id = s.CaseId }) > 0);
    }

    /// <summary>A loopback port nothing listens on: taken from the system, then given back.</summary>
    private static int NothingListens()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteObservabilityTests(SqliteFixture fixture) : ObservabilityTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresObservabilityTests(PostgresFixture fixture) : ObservabilityTests(fixture);
