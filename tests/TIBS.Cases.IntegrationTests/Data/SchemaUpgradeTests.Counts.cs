using Dapper;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Script 0038: the overview's counts start from the cases already there.</summary>
public abstract partial class SchemaUpgradeTests
{
    [SkippableFact]
    public async Task Script_0038_counts_the_open_cases_written_before_it()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0038");
        var (user, company, definition, version) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008");
            await InsertCompanyAsync(c, company, "Baltic Amber Works");
            await InsertPublishedVersionAsync(c, definition, version);
            var cases = new[] { ("active", "intake", Then.AddDays(-1)), ("active", "intake", Then.AddDays(3)), ("on-hold", "intake", Then.AddDays(-1)), ("closed", "completed", Then.AddDays(-1)) };
            foreach (var (n, (status, step, due)) in cases.Select((x, n) => (n, x)))
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                        step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at)
                    VALUES (@id, @reference, 'Amber', @version, @company, 'LV008', @user, @status, @step, @Then, @due, '{}', 1, @hash, 0, @Then, @Then)
                    """,
                    new { id = Guid.CreateVersion7(), reference = $"LV008-2026-000{n}", version, company, user, status, step, due, hash = new string('0', 64), Then });
            }
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var counted = Assert.Single((await new CoordinationQueries(upgrade.Factory).CountOpenCasesAsync(Then)));
        Assert.Equal(("LV008", version, "intake", 3, 2, 1, 0), (counted.RegionCode, counted.DefinitionVersionId, counted.CurrentStep, counted.OpenCases, counted.ActiveCases, counted.Overdue, counted.Escalated));
    }
}
