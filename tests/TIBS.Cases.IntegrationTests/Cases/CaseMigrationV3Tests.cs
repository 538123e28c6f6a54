using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Migration;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Migration;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Moving running cases from joint-smart-strategy v2 to v3 (intake without company/region/broker, typed contact
/// fields, check-in windows, follow-up not finished early without a reason): every step keeps its key, so no
/// mappings are needed, and the cases go on under v3's rules.
/// </summary>
public abstract class CaseMigrationV3Tests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";
    private static readonly Dictionary<string, string> NoMappings = [];

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Cases on v2: at intake, on hold at needs assessment, in follow-up with two check-ins recorded.</summary>
    private static async Task<(CaseEnvironment Env, Guid AtIntake, Guid OnHold, Guid InFollowUp)> ArrangeAsync(DatabaseFixture fixture)
    {
        var env = await CaseEnvironment.CreateAsync(fixture, 1, 2);
        var inFollowUp = await TimeRuleTests.ToFollowUpAsync(env);
        Assert.True((await env.RecordCheckInAsync(inFollowUp, 1)).Succeeded);
        Assert.True((await env.RecordCheckInAsync(inFollowUp, 2)).Succeeded);

        var atIntake = (await env.OpenCaseAsync()).Id;

        var onHold = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(onHold, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(onHold, "needs-assessment")).Succeeded);
        var held = await env.Service.ApplyCaseActionAsync(onHold, (await env.DetailsAsync(onHold)).Case.Version, "hold", "The company is moving its workshop.", env.LatvianBroker);
        Assert.True(held.Succeeded, held.Message);

        await env.Catalog.ImportFolderAsync(DefinitionsFolder(1, 2, 3));
        return (env, atIntake, onHold, inFollowUp);
    }

    private static async Task<ExecuteMigrationResult> MigrateAsync(CaseEnvironment env)
    {
        var reviewed = await new ReviewMigration(env.Migrations).HandleAsync(new ReviewMigrationRequest(Key, 2, 3, NoMappings, env.Coordinator));
        Assert.Equal(MigrationReviewStatus.Reviewed, reviewed.Status);
        var result = await new ExecuteMigration(env.Migrations, env.Cases).HandleAsync(new ExecuteMigrationRequest(Key, reviewed.Review!.Token, true, env.Coordinator));
        Assert.Equal(MigrationExecutionStatus.Executed, result.Status);
        return result;
    }

    [SkippableFact]
    public async Task Running_v2_cases_move_to_v3_without_mappings_and_keep_their_check_ins_and_hold()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, onHold, inFollowUp) = await ArrangeAsync(fixture);
        var v3 = (await env.Workflows.GetVersionAsync(Key, 3))!;
        var followUpBefore = await env.DetailsAsync(inFollowUp);

        var dryRun = await env.Migrations.DryRunAsync(Key, 2, 3, NoMappings);
        var run = (await MigrateAsync(env)).Run!;

        Assert.True(dryRun.IsValid, string.Join("; ", dryRun.Errors));
        Assert.Equal(ReminderDecision.Recreated, dryRun.Cases.Single(c => c.CaseId == inFollowUp.ToString()).Reminders);
        Assert.Equal(3, run.Moved);
        foreach (var id in new[] { atIntake, onHold, inFollowUp })
        {
            var d = await env.DetailsAsync(id);
            Assert.Equal((v3.Id, 3), (d.Case.DefinitionVersionId, d.Plan.Version));
            Assert.Equal("case-migrated", d.Events[^1].Kind);
            Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
        }

        var intake = await env.DetailsAsync(atIntake);
        Assert.Equal("intake", intake.Case.CurrentStep);
        Assert.DoesNotContain(intake.CurrentStep!.Fields, f => f.Key is "company" or "region" or "assigned-broker");

        var held = await env.DetailsAsync(onHold);
        Assert.Equal(("needs-assessment", CaseStatus.OnHold), (held.Case.CurrentStep, held.Case.Status));
        Assert.DoesNotContain(held.Reminders, r => r.Status == ReminderStatus.Pending);

        var followUp = await env.DetailsAsync(inFollowUp);
        Assert.Equal(("implementation-follow-up", followUpBefore.Case.StepStartedAt), (followUp.Case.CurrentStep, followUp.Case.StepStartedAt));
        Assert.Equal([1, 2], followUp.CheckIns.Select(c => c.Occurrence).Order());
        Assert.Contains(followUp.Reminders, r => r.NoticeKey == "check-in:quarterly:4" && r.Status == ReminderStatus.Pending);
    }

    [SkippableFact]
    public async Task Migrated_cases_go_on_under_v3_rules()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, onHold, inFollowUp) = await ArrangeAsync(fixture);
        Assert.Equal(MigrationExecutionStatus.Executed, (await MigrateAsync(env)).Status);

        // Intake completes without a company, region or broker: the case knows them.
        var registered = await env.CompleteTowardsAsync(atIntake, "first-contact", With(("contact-data-consent", "yes")));
        Assert.True(registered.Succeeded, registered.Message);

        // The held case resumes and continues.
        var resumed = await env.Service.ApplyCaseActionAsync(onHold, (await env.DetailsAsync(onHold)).Case.Version, "resume", null, env.LatvianBroker);
        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.True((await env.CompleteTowardsAsync(onHold, "internationalisation-readiness")).Succeeded);

        // The follow-up now has windows: check-in 3 (due 12 October 2026) waits for its window.
        var third = await env.RecordCheckInAsync(inFollowUp, 3);
        Assert.Equal("Quarterly check-in 3 can be recorded from 28 September 2026, 14 days before it is due on 12 October 2026; not earlier.", third.Message);
        env.Time.SetUtcNow(new DateTimeOffset(2026, 9, 28, 9, 0, 0, TimeSpan.Zero));
        Assert.True((await env.RecordCheckInAsync(inFollowUp, 3)).Succeeded);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseMigrationV3Tests(SqliteFixture fixture) : CaseMigrationV3Tests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseMigrationV3Tests(PostgresFixture fixture) : CaseMigrationV3Tests(fixture);
