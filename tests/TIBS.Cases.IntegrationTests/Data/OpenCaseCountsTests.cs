using System.Data.Common;
using Dapper;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// "My work" and the coordinator overview read index-ordered parts and counts kept by the writes (decision 0057): they
/// show exactly what one sorted read over every open case showed, with ties, cases without a due date, several regions
/// and a broker's own cases elsewhere, and the counts stay equal to a direct count through every kind of write.
/// </summary>
public abstract class OpenCaseCountsTests(DatabaseFixture fixture)
{
    private static readonly string[] Regions = ["LV008", "DE60", "PL84"];
    private static readonly string[] Steps = ["intake", "profile-validation", "partner-search", "strategy"];

    private const string DirectCounts =
        """
        SELECT c.region_code, c.definition_version_id, c.current_step,
               COUNT(*) AS open_cases,
               SUM(CASE WHEN c.status = 'active' THEN 1 ELSE 0 END) AS active_cases,
               SUM(CASE WHEN c.status = 'active' AND c.step_due_at < @now THEN 1 ELSE 0 END) AS overdue,
               SUM(CASE WHEN c.status = 'active' AND e.case_id IS NOT NULL THEN 1 ELSE 0 END) AS escalated
        FROM cases c
        LEFT JOIN (SELECT DISTINCT r.case_id FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
                   WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL) e ON e.case_id = c.id
        WHERE c.status <> 'closed'
        GROUP BY c.region_code, c.definition_version_id, c.current_step
        """;

    private sealed record World(Guid Broker, Guid Other, Guid Version, Guid Company, DateTimeOffset Now);

    [SkippableFact]
    public async Task My_work_lists_the_same_steps_in_the_same_order_as_one_sorted_read()
    {
        var world = await SeedAsync(1200);
        var queries = new WorkQueries(fixture.Factory);

        foreach (var regions in new[] { new[] { "LV008", "DE60" }, ["PL84"], [] })
        {
            var listed = await queries.OpenStepsAsync(regions, world.Broker);

            var expected = await SortedReadAsync(regions, world.Broker);
            Assert.Equal(expected, listed.Select(s => s.Reference).ToList());
            Assert.NotEmpty(listed);
        }

        Assert.Equal(500, (await queries.OpenStepsAsync(["LV008", "DE60"], world.Broker)).Count);
    }

    [SkippableFact]
    public async Task My_work_read_page_by_page_lists_every_step_once_in_the_order_of_one_sorted_read()
    {
        var world = await SeedAsync(400);
        var queries = new WorkQueries(fixture.Factory);
        string[] regions = ["LV008", "DE60"];
        var expected = await SortedReadAsync(regions, world.Broker, take: 2000);

        // Pages of 7: due dates tie across the pages' ends (the seed has a handful of due dates).
        var listed = new List<(OpenStepItem Step, int Page)>();
        OpenStepCursor? after = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await queries.OpenStepsAsync(regions, world.Broker, after, take: 7);
            Assert.InRange(page.Count, 0, 7);
            listed.AddRange(page.Select(s => (s, pages)));
            if (page.Count < 7)
            {
                break;
            }

            after = new OpenStepCursor(page[^1].StepDueAt, page[^1].Reference);
        }

        Assert.Equal(expected, listed.Select(s => s.Step.Reference).ToList());
        Assert.True(expected.Count > 3 * 7, $"{expected.Count} steps make too few pages to walk");

        // The walk crossed ties of due dates at a page's end and passed from the steps with a due date to those without.
        Assert.Contains(listed, s => s.Step.StepDueAt is null);
        Assert.Contains(listed.Where(s => s.Step.StepDueAt is not null).GroupBy(s => s.Step.StepDueAt), g => g.Select(s => s.Page).Distinct().Count() > 1);
    }

    [SkippableFact]
    public async Task The_overview_counts_equal_a_direct_count_through_creates_steps_closes_holds_and_deletes()
    {
        var world = await SeedAsync(120);
        var queries = new CoordinationQueries(fixture.Factory);
        await AssertCountsAsync(queries, world.Now);

        await using (var c = await fixture.Factory.OpenAsync())
        {
            var ids = (await c.QueryAsync<Guid>("SELECT id FROM cases ORDER BY reference")).ToList();
            // A step completed (next step, new due date), a case put on hold and one reopened, closed, withdrawn.
            await c.ExecuteAsync("UPDATE cases SET current_step = 'strategy', step_due_at = @due WHERE id = @id", new { id = ids[1], due = world.Now.AddDays(4) });
            await c.ExecuteAsync("UPDATE cases SET status = 'on-hold' WHERE id = @id", new { id = ids[2] });
            await c.ExecuteAsync("UPDATE cases SET status = 'active' WHERE status = 'on-hold' AND id <> @id", new { id = ids[2] });
            await c.ExecuteAsync("UPDATE cases SET status = 'closed', current_step = 'completed', step_due_at = NULL WHERE id = @id", new { id = ids[3] });
            await c.ExecuteAsync("UPDATE cases SET status = 'closed', current_step = 'withdrawn' WHERE id = @id", new { id = ids[4] });
            // Moved to another region, a title edited (no change to the counts), a due date passed today.
            await c.ExecuteAsync("UPDATE cases SET region_code = 'PL84' WHERE id = @id", new { id = ids[5] });
            await c.ExecuteAsync("UPDATE cases SET title = 'Renamed' WHERE id = @id", new { id = ids[6] });
            await c.ExecuteAsync("UPDATE cases SET status = 'active', step_due_at = @due WHERE id = @id", new { id = ids[7], due = world.Now.AddMinutes(-1) });
            // Many rows in one statement, then deletions (an erasure removes the case).
            await c.ExecuteAsync("UPDATE cases SET current_step = 'intake' WHERE current_step = 'partner-search'");
            await c.ExecuteAsync("DELETE FROM case_steps WHERE case_id = @id", new { id = ids[8] });
            await c.ExecuteAsync("DELETE FROM cases WHERE id = @id", new { id = ids[8] });
            await c.ExecuteAsync("DELETE FROM case_steps WHERE case_id IN (SELECT id FROM cases WHERE status = 'closed')");
            await c.ExecuteAsync("DELETE FROM cases WHERE status = 'closed'");
        }

        await AddCasesAsync(world, 10, 1000);
        await AssertCountsAsync(queries, world.Now);

        var before = await CountRowsAsync();
        var left = await queries.FoldCountsAsync();
        Assert.True(left < before, $"{left} rows after folding {before}");
        await AssertCountsAsync(queries, world.Now);
    }

    [SkippableFact]
    public async Task Each_list_of_cases_needing_a_look_is_its_own_first_page_whatever_comes_before_it()
    {
        var world = await SeedAsync(400);
        var queries = new CoordinationQueries(fixture.Factory);
        await using var c = await fixture.Factory.OpenAsync();
        // One escalated case without a due date: it sorts after every overdue case and every case at the step.
        var step = await c.ExecuteScalarAsync<Guid>("SELECT s.id FROM case_steps s JOIN cases c ON c.id = s.case_id WHERE c.status = 'active' AND c.step_due_at IS NULL ORDER BY c.reference");
        await c.ExecuteAsync(
            """
            INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
            SELECT @id, case_id, id, step_key, 'escalation', 'escalation', 'coordinator', @now, 'sent', 'Escalated', 1, @now, @now FROM case_steps WHERE id = @step
            """,
            new { id = Guid.CreateVersion7(), step, now = world.Now });
        var overdue = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM cases WHERE status = 'active' AND step_due_at < @now", new { now = world.Now });
        Assert.True(overdue > 60, $"{overdue} overdue cases");

        foreach (var take in new[] { 5, 60, 300 })
        {
            var listed = await queries.AttentionAsync(world.Now, [new AttentionStep("profile-validation", [world.Version])], take);

            // Each list read on its own in one sorted read and cut at the page: the list cut from the cases read for all three.
            async Task<List<string>> First(string where) => [.. await c.QueryAsync<string>(
                fixture.Factory.Dialect.Limit(
                    $"""
                    SELECT c.reference FROM cases c
                    LEFT JOIN (SELECT DISTINCT r.case_id FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
                               WHERE r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL) e ON e.case_id = c.id
                    WHERE c.status = 'active' AND {where}
                    ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
                    """,
                    "@take"),
                new { now = world.Now, take })];
            List<string> Cut(Func<AttentionCase, bool> kind) => [.. listed.Where(kind).Select(a => a.Reference).Take(take)];
            Assert.Equal(await First("c.step_due_at < @now"), Cut(a => a.StepDueAt < world.Now));
            Assert.Equal(await First("e.case_id IS NOT NULL"), Cut(a => a.EscalatedFlag == 1));
            Assert.Equal(await First("c.current_step = 'profile-validation'"), Cut(a => a.CurrentStep == "profile-validation"));
            Assert.Equal(
                listed.OrderBy(a => a.StepDueAt is null).ThenBy(a => a.StepDueAt).Select(a => a.StepDueAt),
                listed.Select(a => a.StepDueAt));
            Assert.Equal(1, listed.Count(a => a.EscalatedFlag == 1));
        }
    }

    [SkippableFact]
    public async Task A_step_is_listed_in_the_versions_asked_for_only_however_many_cases_of_another_come_first()
    {
        var world = await SeedAsync(400);
        var queries = new CoordinationQueries(fixture.Factory);
        await using var c = await fixture.Factory.OpenAsync();
        // A second version in which the step's key is someone else's step: its cases at that key come first.
        var other = Guid.CreateVersion7();
        await c.ExecuteAsync(
            """
            INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at)
            SELECT @other, definition_id, 2, 'published', content, @hash, source, created_at FROM workflow_versions WHERE id = @version
            """,
            new { other, version = world.Version, hash = new string('b', 64) });
        var first = fixture.Factory.Dialect.Limit("SELECT id FROM cases WHERE current_step = 'profile-validation' AND status = 'active' ORDER BY reference", "@n");
        var moved = await c.ExecuteAsync(
            $"UPDATE cases SET definition_version_id = @other, step_due_at = @due WHERE id IN (SELECT f.id FROM ({first}) f)",
            new { other, due = world.Now.AddDays(-60), n = 12 });
        Assert.Equal(12, moved);

        foreach (var take in new[] { 5, 30 })
        {
            var listed = await queries.AttentionAsync(world.Now, [new AttentionStep("profile-validation", [world.Version])], take);
            var expected = (await c.QueryAsync<string>(
                fixture.Factory.Dialect.Limit(
                    """
                    SELECT c.reference FROM cases c
                    WHERE c.status = 'active' AND c.current_step = 'profile-validation' AND c.definition_version_id = @version
                    ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
                    """,
                    "@take"),
                new { version = world.Version, take })).ToList();
            Assert.Equal(take, expected.Count);
            Assert.Equal(expected, listed.Where(a => a.CurrentStep == "profile-validation" && a.DefinitionVersionId == world.Version).Select(a => a.Reference).Take(take));
        }

        // Asked for both versions, the other version's cases at the key come first.
        var both = await queries.AttentionAsync(world.Now, [new AttentionStep("profile-validation", [world.Version]), new AttentionStep("profile-validation", [other])], 5);
        Assert.All(both.Where(a => a.CurrentStep == "profile-validation").Take(5), a => Assert.Equal(other, a.DefinitionVersionId));
    }

    [SkippableFact]
    public async Task The_escalated_cases_read_once_are_those_the_count_and_the_list_read_before()
    {
        var world = await SeedAsync(400);
        var queries = new CoordinationQueries(fixture.Factory);
        await using var c = await fixture.Factory.OpenAsync();
        var cases = (await c.QueryAsync<Guid>("SELECT id FROM cases ORDER BY reference")).ToList();
        foreach (var (id, n) in cases.Select((x, n) => (x, n)))
        {
            var step = await c.ExecuteScalarAsync<string>("SELECT step_key FROM case_steps WHERE case_id = @id", new { id });
            // Escalated on the open step (some twice, some still pending), on a completed earlier step, on both; closed
            // and on-hold cases among them.
            var current = await c.ExecuteScalarAsync<Guid>("SELECT id FROM case_steps WHERE case_id = @id", new { id });
            var past = Guid.CreateVersion7();
            await c.ExecuteAsync(
                "INSERT INTO case_steps (id, case_id, step_key, started_at, due_at, completed_at) VALUES (@past, @id, 'intake', @then, @then, @then)",
                new { past, id, then = world.Now.AddDays(-9) });
            var sent = (n % 6) switch { 0 => new[] { current }, 1 => [current, current], 2 => [past], 3 => [past, current], _ => [] };
            foreach (var (stepId, status) in sent.Select(s => (s, "sent")).Append((current, n % 5 == 4 ? "pending" : "none")).Where(x => x.Item2 != "none"))
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
                    VALUES (@rid, @id, @stepId, @step, 'escalation', 'coordinator', @now, @status, 'Escalated', 1, @now, @now)
                    """,
                    new { rid = Guid.CreateVersion7(), id, stepId, step, status, now = world.Now });
            }
        }

        var read = await queries.CountOpenCasesAsync(world.Now);

        // The two statements the overview ran before, kept here as the reference.
        const string previous =
            """
            SELECT DISTINCT r.case_id FROM reminders r
            WHERE r.kind = 'escalation' AND r.status = 'sent' AND r.case_step_id IS NOT NULL
              AND (SELECT CASE WHEN s.completed_at IS NULL THEN 1 ELSE 0 END FROM case_steps s WHERE s.id = r.case_step_id) = 1
            """;
        var counted = (await c.QueryAsync<OpenCaseCount>(
            $"""
            SELECT c.region_code, c.definition_version_id, c.current_step, COUNT(*) AS escalated
            FROM ({previous}) e JOIN cases c ON c.id = e.case_id WHERE c.status = 'active'
            GROUP BY c.region_code, c.definition_version_id, c.current_step
            """)).ToDictionary(r => $"{r.RegionCode}|{r.CurrentStep}", r => r.Escalated);
        var listed = (await c.QueryAsync<Guid>(fixture.Factory.Dialect.Limit(
            $"SELECT c.id FROM cases c JOIN ({previous}) e ON e.case_id = c.id WHERE c.status = 'active' ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference",
            "@take"), new { take = 1000 })).ToList();
        Assert.Equal(counted.OrderBy(x => x.Key, StringComparer.Ordinal), read.Where(g => g.Escalated > 0).ToDictionary(r => $"{r.RegionCode}|{r.CurrentStep}", r => r.Escalated).OrderBy(x => x.Key, StringComparer.Ordinal));
        Assert.InRange(listed.Count, 100, 300);
        await AssertCountsAsync(queries, world.Now);

        // The escalated list is the escalated cases' own first page, in their order.
        foreach (var take in new[] { 5, 60, 300 })
        {
            var shown = await queries.AttentionAsync(world.Now, [new AttentionStep("profile-validation", [world.Version])], take);
            Assert.Equal(listed.Take(take), shown.Where(a => a.EscalatedFlag == 1).Select(a => a.CaseId).Take(take));
        }
    }

    private async Task AssertCountsAsync(CoordinationQueries queries, DateTimeOffset now)
    {
        await using var c = await fixture.Factory.OpenAsync();
        static string Key(OpenCaseCount r) => $"{r.RegionCode}|{r.DefinitionVersionId}|{r.CurrentStep}";
        var direct = (await c.QueryAsync<OpenCaseCount>(DirectCounts, new { now })).OrderBy(Key, StringComparer.Ordinal).ToList();
        var kept = (await queries.CountOpenCasesAsync(now)).OrderBy(Key, StringComparer.Ordinal).ToList();
        Assert.Equal(direct, kept);
    }

    private async Task<int> CountRowsAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM open_case_counts");
    }

    private async Task<List<string>> SortedReadAsync(string[] regions, Guid broker, int take = 500)
    {
        var p = new DynamicParameters(new { broker, take });
        var list = regions.Length == 0 ? "''" : string.Join(", ", regions.Select((r, i) => { p.Add($"r{i}", r); return $"@r{i}"; }));
        await using var c = await fixture.Factory.OpenAsync();
        return [.. await c.QueryAsync<string>(
            fixture.Factory.Dialect.Limit(
                $"""
                SELECT c.reference FROM cases c JOIN companies co ON co.id = c.lead_company_id
                WHERE c.status = 'active' AND (c.region_code IN ({list}) OR c.owner_user_id = @broker)
                ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference
                """,
                "@take"),
            p)];
    }

    /// <summary>Users, a company, a definition version and <paramref name="cases"/> cases over three regions.</summary>
    private async Task<World> SeedAsync(int cases)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var now = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var world = new World(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), now);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            foreach (var (id, email, region) in new[] { (world.Broker, "broker@counts.example", "LV008"), (world.Other, "other@counts.example", "DE60") })
            {
                await c.ExecuteAsync(
                    "INSERT INTO users (id, email, display_name, role, region_code, password_hash, security_stamp, created_at, updated_at) VALUES (@id, @email, @email, 'broker', @region, 'h', 's', @now, @now)",
                    new { id, email, region, now });
            }

            await c.ExecuteAsync(
                "INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version) VALUES (@id, 'Baltic Amber Works', 'LV', 'LV008', 'small', @now, @now, 1)",
                new { id = world.Company, now });
            var definition = Guid.CreateVersion7();
            await c.ExecuteAsync("INSERT INTO workflow_definitions (id, definition_key, name, created_at) VALUES (@definition, 'jss', 'Joint smart strategy', @now)", new { definition, now });
            await c.ExecuteAsync(
                "INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at) VALUES (@id, @definition, 1, 'published', 'x', @hash, 'file', @now)",
                new { id = world.Version, definition, hash = new string('a', 64), now });
        }

        await AddCasesAsync(world, cases, 0);
        return world;
    }

    /// <summary>Cases with due dates that tie (a handful of values, some today), some without one, some on hold or closed,
    /// and the broker owning cases outside their region.</summary>
    private async Task AddCasesAsync(World world, int cases, int from)
    {
        await using var c = await fixture.Factory.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        for (var n = from; n < from + cases; n++)
        {
            var region = Regions[n % 3];
            var status = (n % 10) switch { 7 => "on-hold", 8 or 9 => "closed", _ => "active" };
            DateTimeOffset? due = (n % 7) switch
            {
                0 => null,
                1 => world.Now.AddDays(-2),
                2 => world.Now.AddMinutes(-30),
                3 => world.Now.AddMinutes(30),
                _ => world.Now.AddDays(n % 5),
            };
            var owner = n % 4 == 0 ? world.Broker : world.Other;
            var @case = Guid.CreateVersion7();
            await c.ExecuteAsync(
                """
                INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                    step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                VALUES (@case, @reference, 'Amber', @version, @company, @region, @owner, @status, @step, @now, @due, '{}', 1, @hash, 0, @now, @now)
                """,
                new { @case, reference = $"{region}-{(n * 7919) % 100000:D5}", version = world.Version, company = world.Company, region, owner, status, step = Steps[n % 4], now = world.Now, due, hash = new string('0', 64) },
                tx);
            await c.ExecuteAsync(
                "INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@id, @case, @step, @now, @due)",
                new { id = Guid.CreateVersion7(), @case, step = Steps[n % 4], now = world.Now, due },
                tx);
        }

        await tx.CommitAsync();
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOpenCaseCountsTests(SqliteFixture fixture) : OpenCaseCountsTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOpenCaseCountsTests(PostgresFixture fixture) : OpenCaseCountsTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerOpenCaseCountsTests(SqlServerFixture fixture) : OpenCaseCountsTests(fixture);
