using AngleSharp.Dom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The page coordinators land on counts, per region, the open cases, those waiting on a coordinator, the escalated
/// and the overdue ones, and lists the cases behind the numbers.
/// </summary>
public abstract class CoordinationOverviewTests(DatabaseFixture fixture)
{
    [SkippableFact]
    public async Task Escalated_overdue_and_waiting_cases_are_counted_per_region_and_listed()
    {
        var (factory, coordinator) = await CoordinatorAsync();
        using var _ = factory;
        var services = factory.Services;
        var now = DateTimeOffset.UtcNow;

        var overdue = await OpenAsync(services, "broker.lv008@tibs.example", "LV", "LV008");
        var escalated = await OpenAsync(services, "broker.lv008@tibs.example", "LV", "LV008");
        var escalatedBefore = await OpenAsync(services, "broker.lv008@tibs.example", "LV", "LV008");
        var closed = await OpenAsync(services, "broker.lv008@tibs.example", "LV", "LV008");
        var overdueAndEscalated = await OpenAsync(services, "broker.de60@tibs.example", "DE", "DE60");
        var waiting = await OpenAsync(services, "broker.de60@tibs.example", "DE", "DE60");
        var onHold = await OpenAsync(services, "broker.de60@tibs.example", "DE", "DE60");
        await using (var c = await services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            async Task Due(CaseRecord @case, DateTimeOffset due) =>
                await c.ExecuteAsync("UPDATE cases SET step_due_at = @due WHERE id = @id", new { due, id = @case.Id });
            Task Escalation(CaseRecord @case, Guid stepId) => EscalatedAsync(c, @case, stepId, now.AddDays(-1));
            async Task<Guid> OpenStep(CaseRecord @case) =>
                await c.ExecuteScalarAsync<Guid>("SELECT id FROM case_steps WHERE case_id = @id AND completed_at IS NULL", new { id = @case.Id });

            await Due(overdue, now.AddDays(-3));
            await Escalation(escalated, await OpenStep(escalated));
            await Due(overdueAndEscalated, now.AddDays(-1));
            await Escalation(overdueAndEscalated, await OpenStep(overdueAndEscalated));

            // An escalation of a step the case has left does not count any more.
            var earlier = Guid.CreateVersion7();
            await c.ExecuteAsync(
                "INSERT INTO case_steps (id, case_id, step_key, stage_key, started_at, due_at, completed_at, outcome) VALUES (@earlier, @id, 'intake', 'needs-assessment', @start, @start, @done, 'registered')",
                new { earlier, id = escalatedBefore.Id, start = now.AddDays(-20), done = now.AddDays(-10) });
            await Escalation(escalatedBefore, earlier);

            await c.ExecuteAsync("UPDATE cases SET current_step = 'profile-validation', current_stage = 'partner-search' WHERE id = @id", new { id = waiting.Id });
            await c.ExecuteAsync("UPDATE cases SET status = 'on-hold', hold_started_at = @now, step_due_at = @due WHERE id = @id", new { now, due = now.AddDays(-5), id = onHold.Id });
            await c.ExecuteAsync("UPDATE cases SET status = 'closed', current_step = 'withdrawn', current_stage = NULL, closed_at = @now, step_due_at = @due WHERE id = @id", new { now, due = now.AddDays(-5), id = closed.Id });
        }

        var page = await coordinator.GetDocumentAsync("/");

        Assert.Equal("Coordination overview", page.QuerySelector("h1")!.TextContent);
        Assert.Equal((3, 0, 1, 1), Counts(page, "LV008"));
        Assert.Equal((3, 1, 1, 1), Counts(page, "DE60"));
        Assert.Equal((0, 0, 0, 0), Counts(page, "PL84"));
        Assert.Equal((6, 1, 2, 2), Counts(page, "all"));
        Assert.Equal("Vidzeme", page.QuerySelector("#regions tr[data-region='LV008'] th")!.TextContent.Trim());
        Assert.Equal([waiting.Reference], Listed(page, "waiting"));
        Assert.Equal(new[] { escalated.Reference, overdueAndEscalated.Reference }.Order(StringComparer.Ordinal), Listed(page, "escalated").Order(StringComparer.Ordinal));
        Assert.Equal(new[] { overdue.Reference, overdueAndEscalated.Reference }.Order(StringComparer.Ordinal), Listed(page, "overdue").Order(StringComparer.Ordinal));
        Assert.Equal("Profile validation", page.QuerySelector($"#waiting-cases tr[data-case='{waiting.Id}'] td:nth-child(5)")!.TextContent.Trim());

        // A region's escalated cases are a link away: the case list with "Escalated only" ticked, and only those; a case
        // whose escalation was for a step it has left is not among them.
        var region = await coordinator.GetDocumentAsync(page.QuerySelector("#regions tr[data-region='LV008'] td[data-count='escalated'] a")!.GetAttribute("href")!);
        Assert.True(region.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input#escalated")!.IsChecked);
        Assert.Equal([escalated.Reference], CaseList(region));
        var every = await coordinator.GetDocumentAsync("/cases?escalated=true&overdue=true");
        Assert.Equal([overdueAndEscalated.Reference], CaseList(every));
        Assert.Null(page.QuerySelector("#regions tr[data-region='PL84'] td[data-count='escalated'] a"));
    }

    [SkippableFact]
    public async Task An_escalated_case_is_listed_however_many_overdue_cases_come_before_it()
    {
        var (factory, coordinator) = await CoordinatorAsync();
        using var _ = factory;
        var services = factory.Services;
        var now = DateTimeOffset.UtcNow;
        var overdue = await OpenAsync(services, "broker.lv008@tibs.example", "LV", "LV008");
        var escalated = await OpenAsync(services, "broker.de60@tibs.example", "DE", "DE60");
        const int more = CoordinationOverview.ListSize + 5;
        await using (var c = await services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            // More overdue cases than the list shows, each due before the escalated case (which has no due date).
            for (var n = 1; n < more; n++)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step, current_stage,
                        step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                    SELECT @id, @reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step, current_stage,
                        step_started_at, @due, data, version, audit_head_hash, audit_count, opened_at, updated_at
                    FROM cases WHERE id = @source
                    """,
                    new { id = Guid.CreateVersion7(), reference = $"{overdue.Reference}-{n:D3}", due = now.AddDays(-30).AddMinutes(n), source = overdue.Id });
            }

            await c.ExecuteAsync("UPDATE cases SET step_due_at = @due WHERE id = @id", new { due = now.AddDays(-40), id = overdue.Id });
            await c.ExecuteAsync("UPDATE cases SET step_due_at = NULL WHERE id = @id", new { id = escalated.Id });
            var open = await c.ExecuteScalarAsync<Guid>("SELECT id FROM case_steps WHERE case_id = @id AND completed_at IS NULL", new { id = escalated.Id });
            await EscalatedAsync(c, escalated, open, now.AddDays(-1));
        }

        var page = await coordinator.GetDocumentAsync("/");

        Assert.Equal((more, 0, 0, more), Counts(page, "LV008"));
        Assert.Equal((1, 0, 1, 0), Counts(page, "DE60"));
        Assert.Equal([escalated.Reference], Listed(page, "escalated"));
        Assert.Null(page.QuerySelector("#escalated-cut"));
        var listed = Listed(page, "overdue");
        Assert.Equal(CoordinationOverview.ListSize, listed.Count);
        Assert.Equal(overdue.Reference, listed[0]);
        Assert.Equal($"{overdue.Reference}-{CoordinationOverview.ListSize - 1:D3}", listed[^1]);
        Assert.StartsWith($"The 100 most urgent of {more} are listed.", page.QuerySelector("#overdue-cut")!.TextContent.Trim(), StringComparison.Ordinal);

        // The rest are a link away: the case list of every overdue case, a page at a time. The escalated list is not
        // cut, so it has no such link.
        Assert.Null(page.QuerySelector("#escalated-all"));
        var all = page.QuerySelector("#overdue-all")!;
        Assert.Equal("Every overdue case, in the case list", all.TextContent.Trim());
        var list = await coordinator.GetDocumentAsync(all.GetAttribute("href")!);
        Assert.True(list.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input#overdue")!.IsChecked);
        var rows = list.QuerySelectorAll("#case-list tbody tr").ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("(overdue)", r.TextContent, StringComparison.Ordinal));
    }

    /// <summary>The escalation notice of a case's step, sent to the coordinator at <paramref name="at"/>.</summary>
    private static Task EscalatedAsync(System.Data.Common.DbConnection c, CaseRecord @case, Guid stepId, DateTimeOffset at) => c.ExecuteAsync(
        """
        INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
        VALUES (@id, @caseId, @stepId, 'intake', 'escalation', 'escalation', 'coordinator', @at, 'sent', 'Escalated to the coordinator', 1, @at, @at)
        """,
        new { id = Guid.CreateVersion7(), caseId = @case.Id, stepId, at });

    /// <summary>A fresh database, the application on it, and the coordinator signed in.</summary>
    private async Task<(TibsWebFactory Factory, HttpClient Coordinator)> CoordinatorAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var factory = TibsWebFactory.For(fixture);
        return (factory, await SignedInAsync(factory, "coordinator@tibs.example"));
    }

    private static (int Open, int Waiting, int Escalated, int Overdue) Counts(IParentNode page, string region)
    {
        var row = page.QuerySelector($"#regions tr[data-region='{region}']")!;
        int Count(string name) => int.Parse(row.QuerySelector($"td[data-count='{name}']")!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return (Count("open"), Count("waiting"), Count("escalated"), Count("overdue"));
    }

    private static List<string> CaseList(IParentNode page) =>
        [.. page.QuerySelectorAll("#case-list tbody tr td:first-child").Select(td => td.TextContent.Trim())];

    private static List<string> Listed(IParentNode page, string list) =>
        [.. page.QuerySelectorAll($"#{list}-cases tbody tr td:first-child").Select(td => td.TextContent.Trim())];

    private static async Task<CaseRecord> OpenAsync(IServiceProvider services, string brokerEmail, string country, string region)
    {
        var broker = (await services.GetRequiredService<IUserStore>().FindByEmailAsync(brokerEmail))!;
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = $"Company {Guid.NewGuid():N}"[..20],
            CountryCode = country,
            RegionCode = region,
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            S3Areas = ["bioeconomy"],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await services.GetRequiredService<ICompanyStore>().InsertAsync(company);
        var opened = await new CaseCommands(services).OpenCaseAsync(company.Id, null, new Actor(broker.Id, WorkflowRole.Broker, region));
        Assert.True(opened.Succeeded, opened.Message);
        return opened.Case!;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCoordinationOverviewTests(SqliteFixture fixture) : CoordinationOverviewTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCoordinationOverviewTests(PostgresFixture fixture) : CoordinationOverviewTests(fixture);
