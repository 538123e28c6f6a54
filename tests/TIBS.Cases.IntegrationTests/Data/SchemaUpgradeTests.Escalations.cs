using Dapper;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Script 0040: the overview's escalated cases start from the escalations sent before it.</summary>
public abstract partial class SchemaUpgradeTests
{
    [SkippableFact]
    public async Task Script_0040_counts_the_escalations_sent_before_it()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0040");
        var (user, company, definition, version) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var cases = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008");
            await InsertCompanyAsync(c, company, "Baltic Amber Works");
            await InsertPublishedVersionAsync(c, definition, version);
            // Escalated twice on the open step; on a completed step only; pending only; escalated but closed.
            var escalations = new[] { ("active", new[] { (true, "sent"), (true, "sent") }), ("active", [(false, "sent")]), ("active", [(true, "pending")]), ("closed", [(true, "sent")]) };
            foreach (var (n, (status, sent)) in escalations.Select((x, n) => (n, x)))
            {
                var (open, done) = (Guid.CreateVersion7(), Guid.CreateVersion7());
                await c.ExecuteAsync(
                    """
                    INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                        step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                    VALUES (@id, @reference, 'Amber', @version, @company, 'LV008', @user, @status, 'intake', @Then, @Then, '{}', 1, @hash, 0, @Then, @Then)
                    """,
                    new { id = cases[n], reference = $"LV008-2026-000{n}", version, company, user, status, hash = new string('0', 64), Then });
                await c.ExecuteAsync(
                    "INSERT INTO case_steps (id, case_id, step_key, started_at, due_at, completed_at) VALUES (@done, @id, 'intake', @Then, @Then, @Then)",
                    new { done, id = cases[n], Then });
                await c.ExecuteAsync("INSERT INTO case_steps (id, case_id, step_key, started_at, due_at) VALUES (@open, @id, 'intake', @Then, @Then)", new { open, id = cases[n], Then });
                foreach (var (onOpen, state) in sent)
                {
                    await c.ExecuteAsync(
                        """
                        INSERT INTO reminders (id, case_id, case_step_id, step_key, kind, recipient_role, due_at, status, description, attempts, sent_at, created_at)
                        VALUES (@rid, @id, @step, 'intake', 'escalation', 'coordinator', @Then, @state, 'Escalated', 1, @Then, @Then)
                        """,
                        new { rid = Guid.CreateVersion7(), id = cases[n], step = onOpen ? open : done, state, Then });
                }
            }
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var queries = new CoordinationQueries(upgrade.Factory);
        Assert.Equal(1, Assert.Single(await queries.CountOpenCasesAsync(Then)).Escalated);
        Assert.Equal(new[] { cases[0] }, (await queries.AttentionAsync(Then, [], 100)).Where(a => a.EscalatedFlag == 1).Select(a => a.CaseId));
        await using var read = await upgrade.OpenAsync();
        Assert.Equal(new[] { 2, 0, 0, 1 }, (await read.QueryAsync<int>("SELECT open_escalations FROM cases ORDER BY reference")).ToList());
    }
}
