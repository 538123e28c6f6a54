using TIBS.Cases.Core.Migration;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// "Simulate on copies of running cases": the plan is applied to copies in memory and the copies walk on the target
/// version; the real cases keep their rows, versions, events and audit chain heads.
/// </summary>
public abstract class MigrationSimulationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Copies_of_running_cases_walk_on_the_new_version_and_the_database_is_unchanged()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2);
        var atIntake = (await env.OpenCaseAsync()).Id;
        var onHold = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(onHold, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(onHold, "needs-assessment")).Succeeded);
        Assert.True((await env.Service.ApplyCaseActionAsync(onHold, (await env.DetailsAsync(onHold)).Case.Version, "hold", "Moving workshop.", env.LatvianBroker)).Succeeded);
        await env.Catalog.ImportFolderAsync(DefinitionsFolder(1, 2, 3));
        var ids = new[] { atIntake, onHold };
        async Task<List<string>> RowsAsync()
        {
            var rows = new List<string>();
            foreach (var id in ids)
            {
                var d = await env.DetailsAsync(id);
                rows.Add($"{d.Case.Id} {d.Case.DefinitionVersionId} {d.Case.Version} {d.Case.CurrentStep} {d.Case.IsOnHold} {d.Case.AuditHeadHash} {d.Case.AuditCount} {d.Events.Count} {d.Reminders.Count} {d.Steps.Count}");
            }

            return rows;
        }

        var before = await RowsAsync();

        var result = await new SimulateMigration(env.Migrations).HandleAsync(new SimulateMigrationRequest(Key, 2, 3, new Dictionary<string, string>(), env.Coordinator, Seed: 5));

        Assert.Equal(MigrationReviewStatus.Reviewed, result.Status);
        Assert.Equal(2, result.Cases.Count);
        Assert.Contains("2 running case(s) copied and walked on version 3", result.Message, StringComparison.Ordinal);
        Assert.Contains("No real case was changed.", result.Message, StringComparison.Ordinal);
        var intake = result.Cases.Single(c => c.CaseId == atIntake.ToString());
        Assert.Equal(("intake", "intake"), (intake.FromStep, intake.ToStep));
        Assert.Equal(SimulateMigration.WalksPerCase, intake.Walks);
        Assert.False(intake.WouldGetStuck);
        Assert.NotEmpty(intake.EndStates);
        Assert.Empty(result.Report!.DeadPaths);
        Assert.Equal(before, await RowsAsync());
    }

    [SkippableFact]
    public async Task Only_coordinators_may_simulate_a_migration()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2);

        var result = await new SimulateMigration(env.Migrations).HandleAsync(new SimulateMigrationRequest(Key, 1, 2, new Dictionary<string, string>(), env.LatvianBroker));

        Assert.Equal(MigrationReviewStatus.Forbidden, result.Status);
        Assert.Equal("Only coordinators move running cases between versions.", result.Message);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteMigrationSimulationTests(SqliteFixture fixture) : MigrationSimulationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationSimulationTests(PostgresFixture fixture) : MigrationSimulationTests(fixture);
