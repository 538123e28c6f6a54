using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows.Migration;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>Moving running cases from joint-smart-strategy v1 to v2 (needs assessment split, follow-up step renamed).</summary>
public abstract class CaseMigrationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";
    private static readonly Dictionary<string, string> NoMappings = [];
    private static readonly Dictionary<string, string> FollowUpMapping = new() { ["follow-up-check-ins"] = "implementation-follow-up" };

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Three cases on v1: at intake, at needs assessment, and in follow-up; then v2 is published.</summary>
    private static async Task<(CaseEnvironment Env, Guid AtIntake, Guid AtNeeds, Guid InFollowUp)> ArrangeAsync(DatabaseFixture fixture)
    {
        var env = await CaseEnvironment.CreateAsync(fixture, 1);
        var atIntake = (await env.OpenCaseAsync()).Id;
        var atNeeds = (await env.OpenCaseAsync()).Id;
        await env.CompleteTowardsAsync(atNeeds, "first-contact", With(("contact-data-consent", "yes")));
        await env.CompleteTowardsAsync(atNeeds, "needs-assessment");

        var inFollowUp = (await env.OpenCaseAsync()).Id;
        foreach (var (target, overrides) in new (string, IReadOnlyDictionary<string, string>?)[]
        {
            ("first-contact", With(("contact-data-consent", "yes"))), ("needs-assessment", null), ("eligibility", null),
            ("cooperation-profile", With(("eligible", "yes"))), ("profile-validation", null), ("matching", With(("decision", "validated"))),
        })
        {
            Assert.True((await env.CompleteTowardsAsync(inFollowUp, target, overrides)).Succeeded);
        }

        var d = await env.DetailsAsync(inFollowUp);
        await env.Service.AddPartnerAsync(inFollowUp, d.Case.Version, env.GermanPartner.Id, null, env.LatvianBroker);
        await env.CompleteTowardsAsync(inFollowUp, "expressions-of-interest", company: env.GermanPartner.Id);
        d = await env.DetailsAsync(inFollowUp);
        await env.Service.SetPartnerStatusAsync(inFollowUp, d.Case.Version, d.Participants.Single(p => p.Role == ParticipantRole.Partner).Id, PipelineStatus.Agreed, env.GermanBroker);
        await env.CompleteTowardsAsync(inFollowUp, "joint-strategy", With(("result", "partner-found")), company: env.GermanPartner.Id);
        await env.CompleteTowardsAsync(inFollowUp, "signed-agreement", company: env.GermanPartner.Id);
        Assert.True((await env.CompleteTowardsAsync(inFollowUp, "follow-up-check-ins", company: env.GermanPartner.Id)).Succeeded);
        Assert.True((await env.RecordCheckInAsync(inFollowUp, 1)).Succeeded);

        await env.Catalog.ImportFolderAsync(DefinitionsFolder(1, 2));
        return (env, atIntake, atNeeds, inFollowUp);
    }

    [SkippableFact]
    public async Task A_plan_that_leaves_a_live_step_unmapped_is_rejected_and_nothing_moves()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, _, inFollowUp) = await ArrangeAsync(fixture);
        var before = await env.DetailsAsync(inFollowUp);

        var run = await env.Migrations.ExecuteAsync(Key, 1, 2, NoMappings, env.Coordinator);

        var error = Assert.Single(run.Plan.Errors);
        Assert.Equal("follow-up-check-ins", error.StepKey);
        Assert.Equal(1, error.CaseCount);
        Assert.Contains("no mapping was given", error.Message, StringComparison.Ordinal);
        Assert.Empty(run.Cases);
        Assert.Equal(before.Case.Version, (await env.Cases.GetAsync(inFollowUp))!.Version);
        Assert.Equal(before.Case.DefinitionVersionId, (await env.Cases.GetAsync(atIntake))!.DefinitionVersionId);
    }

    [SkippableFact]
    public async Task The_dry_run_says_per_case_what_would_happen_and_writes_nothing()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, atNeeds, inFollowUp) = await ArrangeAsync(fixture);
        Guid[] ids = [atIntake, atNeeds, inFollowUp];
        var versionsBefore = await Task.WhenAll(ids.Select(async id => (await env.Cases.GetAsync(id))!.Version));

        var plan = await env.Migrations.DryRunAsync(Key, 1, 2, FollowUpMapping);

        Assert.True(plan.IsValid);
        Assert.Equal(3, plan.Cases.Count);
        var followUp = plan.Cases.Single(c => c.CaseId == inFollowUp.ToString());
        Assert.Equal("implementation-follow-up", followUp.ToStep);
        Assert.True(followUp.MappedExplicitly);
        Assert.Equal(ReminderDecision.Recreated, followUp.Reminders);
        Assert.NotEmpty(followUp.NewReminders);
        var intake = plan.Cases.Single(c => c.CaseId == atIntake.ToString());
        Assert.Equal(("intake", ReminderDecision.Kept), (intake.ToStep, intake.Reminders));
        Assert.Equal("needs-assessment", plan.Cases.Single(c => c.CaseId == atNeeds.ToString()).ToStep);
        Assert.Equal(versionsBefore, await Task.WhenAll(ids.Select(async id => (await env.Cases.GetAsync(id))!.Version)));
        Assert.DoesNotContain(await env.Cases.GetEventsAsync(inFollowUp), e => e.Kind == "case-migrated");
    }

    [SkippableFact]
    public async Task Running_the_plan_moves_each_case_with_an_audit_event_and_never_restarts_it()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, atNeeds, inFollowUp) = await ArrangeAsync(fixture);
        var v2 = (await env.Workflows.GetVersionAsync(Key, 2))!;
        var followUpBefore = await env.DetailsAsync(inFollowUp);

        var run = await env.Migrations.ExecuteAsync(Key, 1, 2, FollowUpMapping, env.Coordinator);

        Assert.Equal(3, run.Moved);
        foreach (var id in new[] { atIntake, atNeeds, inFollowUp })
        {
            var d = await env.DetailsAsync(id);
            Assert.Equal(v2.Id, d.Case.DefinitionVersionId);
            Assert.Equal(2, d.Plan.Version);
            Assert.Equal("case-migrated", d.Events[^1].Kind);
            Assert.Equal(env.Coordinator.UserId, d.Events[^1].ActorUserId);
            Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
        }

        var followUp = await env.DetailsAsync(inFollowUp);
        Assert.Equal("implementation-follow-up", followUp.Case.CurrentStep);
        Assert.Equal(followUpBefore.Case.StepStartedAt, followUp.Case.StepStartedAt); // the step's clock is not restarted
        Assert.DoesNotContain(followUp.Reminders, r => r.StepKey == "follow-up-check-ins" && r.Status == ReminderStatus.Pending);
        Assert.Contains(followUp.Reminders, r => r.StepKey == "implementation-follow-up" && r.Status == ReminderStatus.Pending);
        Assert.Single(followUp.CheckIns); // recorded check-ins stay with the case
        Assert.Equal("intake", (await env.Cases.GetAsync(atIntake))!.CurrentStep);

        // The migrated case goes on under v2's rules.
        var next = await env.CompleteTowardsAsync(atNeeds, "internationalisation-readiness");
        Assert.True(next.Succeeded, next.Message);
    }

    [SkippableFact]
    public async Task Mapping_a_running_step_back_to_the_first_step_is_refused()
    {
        fixture.EnsureAvailable();
        var (env, _, _, _) = await ArrangeAsync(fixture);

        var plan = await env.Migrations.DryRunAsync(Key, 1, 2, new Dictionary<string, string>(FollowUpMapping) { ["needs-assessment"] = "intake" });

        Assert.False(plan.IsValid);
        Assert.Contains(plan.Errors, e => e.StepKey == "needs-assessment" && e.Message.Contains("back to the beginning", StringComparison.Ordinal));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseMigrationTests(SqliteFixture fixture) : CaseMigrationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseMigrationTests(PostgresFixture fixture) : CaseMigrationTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerCaseMigrationTests(SqlServerFixture fixture) : CaseMigrationTests(fixture);
