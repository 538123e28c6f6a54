using Dapper;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>
/// The overview's escalated cases are kept on the case by the writes (cases.open_escalations, decision 0057): the
/// counts, the list and its flags stay exactly those of the statement that read every sent escalation's step and case,
/// through escalations sent, withdrawn and deleted, steps completed and reopened, cases held, closed, reopened, moved
/// and erased.
/// </summary>
public abstract class EscalatedCasesTests(DatabaseFixture fixture)
{
    private static readonly string[] Regions = ["LV008", "DE60", "PL84"];
    private static readonly string[] Steps = ["intake", "profile-validation", "partner-search", "strategy"];

    /// <summary>The statement the overview read the escalated cases with before, kept as the reference.</summary>
    private const string Previous =
        """
        SELECT DISTINCT r.case_id FROM reminders r
        WHERE r.kind = 'escalation' AND r.status = 'sent' AND r.case_step_id IS NOT NULL
          AND (SELECT CASE WHEN s.completed_at IS NULL THEN 1 ELSE 0 END FROM case_steps s WHERE s.id = r.case_step_id) = 1
        """;

    private const string Order = "ORDER BY CASE WHEN c.step_due_at IS NULL THEN 1 ELSE 0 END, c.step_due_at, c.reference";

    [SkippableFact]
    public async Task The_escalated_counts_and_list_stay_those_of_the_previous_statement_through_every_kind_of_write()
    {
        var now = await SeedAsync(240);
        var queries = new CoordinationQueries(fixture.Factory);
        await AssertSameAsync(queries, now, "seeded");

        await using var c = await fixture.Factory.OpenAsync();
        var cases = (await c.QueryAsync<Guid>("SELECT id FROM cases ORDER BY reference")).ToList();
        async Task<Guid> OpenStep(Guid id) => await c.ExecuteScalarAsync<Guid>("SELECT id FROM case_steps WHERE case_id = @id AND completed_at IS NULL", new { id });
        async Task Write(string what, string sql, object? args = null)
        {
            await c.ExecuteAsync(sql, args);
            await AssertSameAsync(queries, now, what);
        }

        var escalated = await c.QueryAsync<Guid>($"SELECT c.id FROM ({Previous}) e JOIN cases c ON c.id = e.case_id WHERE c.status = 'active' {Order}");
        var first = escalated.First();
        var second = escalated.Skip(1).First();

        await Write("escalation sent (pending to sent)", "UPDATE reminders SET status = 'sent', sent_at = @now WHERE status = 'pending' AND case_id IN (SELECT id FROM cases WHERE status = 'active')", new { now });
        await InsertEscalationAsync(c, cases[3], await OpenStep(cases[3]), "sent", now);
        await AssertSameAsync(queries, now, "escalation sent (inserted)");
        await Write("escalation withdrawn", "UPDATE reminders SET status = 'cancelled' WHERE case_id = @second AND kind = 'escalation'", new { second });
        await Write("escalation deleted", "DELETE FROM reminders WHERE case_id = @id AND kind = 'escalation'", new { id = cases[6] });

        // The step completed as the product does: its record closed, the next one opened, the case moved on.
        var step = await OpenStep(first);
        var next = Guid.CreateVersion7();
        await Write("step completed", "UPDATE case_steps SET completed_at = @now, outcome = 'done' WHERE id = @step", new { step, now });
        await c.ExecuteAsync("INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@next, @first, 'strategy', @now, @due)", new { next, first, now, due = now.AddDays(3) });
        await Write("case moved to the next step", "UPDATE cases SET current_step = 'strategy', step_due_at = @due WHERE id = @first", new { first, due = now.AddDays(3) });
        await InsertEscalationAsync(c, first, next, "sent", now);
        await AssertSameAsync(queries, now, "escalation sent on the next step");
        await Write("step reopened", "UPDATE case_steps SET completed_at = NULL, outcome = NULL WHERE id = @step", new { step });
        await Write("steps completed in one statement", "UPDATE case_steps SET completed_at = @now WHERE completed_at IS NULL AND step_key = 'intake'", new { now });
        await Write("steps reopened in one statement", "UPDATE case_steps SET completed_at = NULL WHERE completed_at = @now AND step_key = 'intake'", new { now });

        await Write("case put on hold", "UPDATE cases SET status = 'on-hold' WHERE id = @id", new { id = cases[0] });
        await Write("case closed", "UPDATE cases SET status = 'closed', current_step = 'completed', step_due_at = NULL WHERE id = @first", new { first });
        await Write("case withdrawn", "UPDATE cases SET status = 'closed', current_step = 'withdrawn' WHERE id = @id", new { id = cases[9] });
        await Write("case reopened", "UPDATE cases SET status = 'active', current_step = 'strategy' WHERE id = @first", new { first });
        await Write("cases held and reopened in one statement", "UPDATE cases SET status = CASE WHEN status = 'active' THEN 'on-hold' ELSE 'active' END WHERE region_code = 'DE60' AND status <> 'closed'");
        await Write("region changed", "UPDATE cases SET region_code = 'PL84' WHERE id = @first", new { first });
        await Write("escalation moved to another step", "UPDATE reminders SET case_step_id = @step WHERE case_id = @first AND case_step_id = @next", new { step, first, next });

        // An erasure removes the case: its reminders, its steps, the case.
        await c.ExecuteAsync("DELETE FROM reminders WHERE case_id = @first", new { first });
        await c.ExecuteAsync("DELETE FROM case_steps WHERE case_id = @first", new { first });
        await Write("case erased", "DELETE FROM cases WHERE id = @first", new { first });
        await Write("every escalation withdrawn", "UPDATE reminders SET status = 'cancelled' WHERE kind = 'escalation'");
        Assert.DoesNotContain(await queries.AttentionAsync(now, await AtStepAsync(c), 100), a => a.EscalatedFlag == 1);
        Assert.All(await queries.CountOpenCasesAsync(now), g => Assert.Equal(0, g.Escalated));
    }

    private async Task AssertSameAsync(CoordinationQueries queries, DateTimeOffset now, string after)
    {
        await using var c = await fixture.Factory.OpenAsync();
        var counted = (await c.QueryAsync<OpenCaseCount>(
            $"""
            SELECT c.region_code, c.definition_version_id, c.current_step, COUNT(*) AS escalated
            FROM ({Previous}) e JOIN cases c ON c.id = e.case_id WHERE c.status = 'active'
            GROUP BY c.region_code, c.definition_version_id, c.current_step
            """)).Select(Key).Order(StringComparer.Ordinal).ToList();
        var listed = (await c.QueryAsync<Guid>(
            fixture.Factory.Dialect.Limit($"SELECT c.id FROM cases c JOIN ({Previous}) e ON e.case_id = c.id WHERE c.status = 'active' {Order}", "@take"),
            new { take = 100 })).ToList();
        // Each list of the cases that need a look read on its own, in one sorted read, and cut at the page.
        async Task<List<string>> First(string where) => [.. (await c.QueryAsync<Shown>(
            fixture.Factory.Dialect.Limit(
                $"""
                SELECT c.reference, CASE WHEN EXISTS (SELECT 1 FROM reminders r JOIN case_steps s ON s.id = r.case_step_id
                    WHERE r.case_id = c.id AND r.kind = 'escalation' AND r.status = 'sent' AND s.completed_at IS NULL) THEN 1 ELSE 0 END AS escalated_flag
                FROM cases c LEFT JOIN ({Previous}) e ON e.case_id = c.id
                WHERE c.status = 'active' AND {where}
                {Order}
                """,
                "@take"),
            new { now, take = 100 })).Select(r => $"{r.Reference}|{r.EscalatedFlag}")];

        var read = await queries.CountOpenCasesAsync(now);
        Assert.True(counted.SequenceEqual(
            read.Where(g => g.Escalated > 0).Select(Key).Order(StringComparer.Ordinal)),
            $"escalated counts after: {after}");
        var shown = await queries.AttentionAsync(now, await AtStepAsync(c), 100);
        IEnumerable<string> Cut(Func<AttentionCase, bool> kind) => shown.Where(kind).Take(100).Select(a => $"{a.Reference}|{a.EscalatedFlag}");
        Assert.True((await First("c.step_due_at < @now")).SequenceEqual(Cut(a => a.StepDueAt < now)), $"overdue list after: {after}");
        Assert.True((await First("e.case_id IS NOT NULL")).SequenceEqual(Cut(a => a.EscalatedFlag == 1)), $"escalated list (flags) after: {after}");
        Assert.True((await First("c.current_step = 'profile-validation'")).SequenceEqual(Cut(a => a.CurrentStep == "profile-validation")), $"waiting list after: {after}");
        Assert.True(listed.Take(100).SequenceEqual(shown.Where(a => a.EscalatedFlag == 1).Select(a => a.CaseId).Take(100)), $"escalated list after: {after}");
    }

    /// <summary>The step the lists read the cases of, in every version.</summary>
    private static async Task<AttentionStep[]> AtStepAsync(System.Data.Common.DbConnection c) =>
        [new("profile-validation", [.. await c.QueryAsync<Guid>("SELECT id FROM workflow_versions")])];

    private static string Key(OpenCaseCount g) => $"{g.RegionCode}|{g.DefinitionVersionId}|{g.CurrentStep}|{g.Escalated}";

    private sealed record Shown
    {
        public string Reference { get; init; } = "";
        public int EscalatedFlag { get; init; }
    }

    private static Task InsertEscalationAsync(System.Data.Common.DbConnection c, Guid @case, Guid step, string status, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
            SELECT @id, case_id, id, step_key, 'escalation', 'coordinator', @now, @status, 'Escalated', 1, @now, @now FROM case_steps WHERE id = @step
            """,
            new { id = Guid.CreateVersion7(), step, status, now });

    /// <summary>Cases over three regions (some on hold or closed, due dates that tie, some without one), each with its
    /// open step and a completed earlier one; escalations sent on the open step (some twice), on the earlier step, on
    /// both, and pending ones.</summary>
    private async Task<DateTimeOffset> SeedAsync(int count)
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        var now = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var (user, company, definition, version) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO users (id, email, display_name, role, region_code, password_hash, security_stamp, created_at, updated_at) VALUES (@user, 'broker@escalated.example', 'Broker', 'broker', 'LV008', 'h', 's', @now, @now)",
            new { user, now });
        await c.ExecuteAsync(
            "INSERT INTO companies (id, name, country_code, region_code, size_class, created_at, updated_at, version) VALUES (@company, 'Baltic Amber Works', 'LV', 'LV008', 'small', @now, @now, 1)",
            new { company, now });
        await c.ExecuteAsync("INSERT INTO workflow_definitions (id, definition_key, name, created_at) VALUES (@definition, 'jss', 'Joint smart strategy', @now)", new { definition, now });
        await c.ExecuteAsync(
            "INSERT INTO workflow_versions (id, definition_id, number, status, content, content_hash, source, created_at) VALUES (@version, @definition, 1, 'published', 'x', @hash, 'file', @now)",
            new { version, definition, hash = new string('a', 64), now });
        await using var tx = await c.BeginTransactionAsync();
        for (var n = 0; n < count; n++)
        {
            var region = Regions[n % 3];
            var status = (n % 10) switch { 7 => "on-hold", 8 or 9 => "closed", _ => "active" };
            DateTimeOffset? due = (n % 7) switch { 0 => null, 1 => now.AddDays(-2), 2 => now.AddMinutes(-30), _ => now.AddDays(n % 5) };
            var (@case, current, past) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
            await c.ExecuteAsync(
                """
                INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                    step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                VALUES (@case, @reference, 'Amber', @version, @company, @region, @user, @status, @step, @now, @due, '{}', 1, @hash, 0, @now, @now)
                """,
                new { @case, reference = $"{region}-{(n * 7919) % 100000:D5}", version, company, region, user, status, step = Steps[n % 4], now, due, hash = new string('0', 64) },
                tx);
            await c.ExecuteAsync(
                "INSERT INTO case_steps (id, case_id, step_key, started_at, due_at, completed_at) VALUES (@past, @case, 'intake', @then, @then, @then)",
                new { past, @case, then = now.AddDays(-9) },
                tx);
            await c.ExecuteAsync(
                "INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@current, @case, @step, @now, @due)",
                new { current, @case, step = Steps[n % 4], now, due },
                tx);
            var sent = (n % 6) switch { 0 => new[] { current }, 1 => [current, current], 2 => [past], 3 => [past, current], _ => [] };
            foreach (var (stepId, state) in sent.Select(s => (s, "sent")).Concat(n % 5 == 4 ? [(current, "pending")] : []))
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
                    VALUES (@id, @case, @stepId, 'intake', 'escalation', 'coordinator', @now, @state, 'Escalated', 1, @now, @now)
                    """,
                    new { id = Guid.CreateVersion7(), @case, stepId, state, now },
                    tx);
            }
        }

        await tx.CommitAsync();
        return now;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEscalatedCasesTests(SqliteFixture fixture) : EscalatedCasesTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEscalatedCasesTests(PostgresFixture fixture) : EscalatedCasesTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerEscalatedCasesTests(SqlServerFixture fixture) : EscalatedCasesTests(fixture);
