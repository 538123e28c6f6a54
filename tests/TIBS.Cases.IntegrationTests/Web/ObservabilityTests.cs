using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
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
/// conflict and a delivered reminder move their counters; readiness fails when reminders wait too long or when the
/// schema is not the build's, and tells anonymous callers only the status.
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
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteObservabilityTests(SqliteFixture fixture) : ObservabilityTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresObservabilityTests(PostgresFixture fixture) : ObservabilityTests(fixture);
