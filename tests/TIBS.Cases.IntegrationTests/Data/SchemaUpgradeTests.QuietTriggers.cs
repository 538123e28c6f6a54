using Dapper;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Script 0044: the counting triggers leave early on writes that change no count, and still count the rest.</summary>
public abstract partial class SchemaUpgradeTests
{
    [SkippableFact]
    public async Task Script_0044_keeps_counting_escalations_and_strategies_and_skips_the_writes_that_change_neither()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0044");
        var (user, company, definition, version) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (open, closing, step, otherStep) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (escalation, reminder) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008");
            await InsertCompanyAsync(c, company, "Baltic Amber Works");
            await InsertPublishedVersionAsync(c, definition, version);
            foreach (var (n, id) in new[] { open, closing }.Select((id, n) => (n, id)))
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                        step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                    VALUES (@id, @reference, 'Amber', @version, @company, 'LV008', @user, 'active', 'intake', @Then, @Then, '{}', 1, @hash, 0, @Then, @Then)
                    """,
                    new { id, reference = $"LV008-2026-000{n}", version, company, user, hash = new string('0', 64), Then });
            }

            await c.ExecuteAsync("INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@step, @open, 'intake', @Then, @Then)", new { step, open, Then });
            await c.ExecuteAsync("INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@otherStep, @closing, 'intake', @Then, @Then)", new { otherStep, closing, Then });
            foreach (var (id, kind) in new[] { (escalation, "escalation"), (reminder, "reminder") })
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, description, attempts, created_at)
                    VALUES (@id, @open, @step, 'intake', @kind, 'coordinator', @Then, 'pending', 'Due', 0, @Then)
                    """,
                    new { id, open, step, kind, Then });
            }
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        await using var w = await upgrade.OpenAsync();
        async Task<(string Escalated, long Opened, long Completed)> CountsAsync() => (
            string.Join(",", await w.QueryAsync<int>("SELECT open_escalations FROM cases ORDER BY reference")),
            await w.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(opened), 0) FROM strategy_counts"),
            await w.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(completed), 0) FROM strategy_counts"));

        Assert.Equal(("0,0", 2L, 0L), await CountsAsync());

        // Writes that change no count: a reminder cancelled, a reminder moved, an open case moved to its next step.
        await w.ExecuteAsync("UPDATE reminders SET status = 'cancelled' WHERE id = @reminder", new { reminder });
        await w.ExecuteAsync("UPDATE reminders SET due_at = @later WHERE id = @escalation", new { later = Then.AddDays(2), escalation });
        await w.ExecuteAsync("UPDATE cases SET current_step = 'first-contact', version = version + 1 WHERE id = @open", new { open });
        Assert.Equal(("0,0", 2L, 0L), await CountsAsync());

        // The escalation sent on the open step counts; the step completed takes it away again.
        await w.ExecuteAsync("UPDATE reminders SET status = 'sent', sent_at = @Then WHERE id = @escalation", new { escalation, Then });
        Assert.Equal(("1,0", 2L, 0L), await CountsAsync());
        await w.ExecuteAsync("UPDATE case_steps SET completed_at = @Then WHERE id = @step", new { step, Then });
        Assert.Equal(("0,0", 2L, 0L), await CountsAsync());

        // A case closed as completed counts, and a closed case moved to another step is counted again.
        await w.ExecuteAsync("UPDATE cases SET status = 'closed', current_step = 'completed', closed_at = @Then WHERE id = @closing", new { closing, Then });
        Assert.Equal(("0,0", 2L, 1L), await CountsAsync());
        await w.ExecuteAsync("UPDATE cases SET current_step = 'withdrawn' WHERE id = @closing", new { closing });
        Assert.Equal(("0,0", 2L, 0L), await CountsAsync());
    }
}
