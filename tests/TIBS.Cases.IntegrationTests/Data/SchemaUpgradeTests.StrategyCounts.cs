using Dapper;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Data.Indicators;

namespace TIBS.Cases.IntegrationTests.Data;

/// <summary>Script 0041: the strategies per year start from the cases already there.</summary>
public abstract partial class SchemaUpgradeTests
{
    [SkippableFact]
    public async Task Script_0041_counts_the_strategies_written_before_it()
    {
        fixture.EnsureAvailable();
        var upgrade = await Upgrade.BeforeAsync(fixture, "0041");
        var (user, company, definition, version) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var c = await upgrade.OpenAsync())
        {
            await InsertUserAsync(c, user, "liga@example.org", "broker", "LV008");
            await InsertCompanyAsync(c, company, "Baltic Amber Works");
            await InsertPublishedVersionAsync(c, definition, version);
            var opened = new DateTimeOffset(2024, 12, 31, 23, 30, 0, TimeSpan.Zero);
            var closed = new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);
            var cases = new (string Status, string Step, DateTimeOffset? Closed)[]
            {
                ("active", "intake", null), ("closed", "completed", closed), ("closed", "withdrawn", closed), ("closed", "completed", closed.AddYears(1)),
            };
            foreach (var (n, (status, step, closedAt)) in cases.Select((x, n) => (n, x)))
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO cases (id, reference, title, definition_version_id, lead_company_id, region_code, owner_user_id, status, current_step,
                        step_started_at, step_due_at, data, version, audit_head_hash, audit_count, opened_at, updated_at, closed_at)
                    VALUES (@id, @reference, 'Amber', @version, @company, 'LV008', @user, @status, @step, @opened, NULL, '{}', 1, @hash, 0, @opened, @opened, @closedAt)
                    """,
                    new { id = Guid.CreateVersion7(), reference = $"LV008-2024-000{n}", version, company, user, status, step, opened = opened.AddMinutes(n * 20), closedAt, hash = new string('0', 64) });
            }
        }

        await upgrade.ApplyAsync();
        await upgrade.CompleteAsync();

        var years = await new IndicatorQueries(upgrade.Factory).StrategiesAsync(IndicatorFilter.All);
        Assert.Equal(
            [("2024", 2L, 0L, 0L), ("2025", 2L, 1L, 1L), ("2026", 0L, 1L, 0L)],
            years.Select(y => (y.Year, y.Opened, y.Completed, y.Withdrawn)));
    }
}
