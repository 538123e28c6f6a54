using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Migration;
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
        await env.Service.ShortlistPartnerAsync(inFollowUp, d.Case.Version, env.GermanPartner.Id, env.LatvianBroker);
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

    private static async Task<MigrationReview> ReviewAsync(CaseEnvironment env, IReadOnlyDictionary<string, string> mappings)
    {
        var result = await new ReviewMigration(env.Migrations).HandleAsync(new ReviewMigrationRequest(Key, 1, 2, mappings, env.Coordinator));
        Assert.Equal(MigrationReviewStatus.Reviewed, result.Status);
        return result.Review!;
    }

    private static Task<ExecuteMigrationResult> ConfirmAsync(CaseEnvironment env, MigrationReview review, bool confirmed = true) =>
        new ExecuteMigration(env.Migrations, env.Cases).HandleAsync(new ExecuteMigrationRequest(Key, review.Token, confirmed, env.Coordinator));

    private static async Task<CaseCommandResult> ActAsync(CaseEnvironment env, Guid caseId, string action)
    {
        var result = await env.Service.ApplyCaseActionAsync(caseId, (await env.Cases.GetAsync(caseId))!.Version, action, "Waiting for the partner's board", env.LatvianBroker);
        Assert.True(result.Succeeded, result.Message);
        return result;
    }

    [SkippableFact]
    public async Task A_plan_that_leaves_a_live_step_unmapped_is_rejected_and_nothing_moves()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, _, inFollowUp) = await ArrangeAsync(fixture);
        var before = await env.DetailsAsync(inFollowUp);

        var review = await ReviewAsync(env, NoMappings);
        var result = await ConfirmAsync(env, review);

        Assert.Equal(MigrationExecutionStatus.Rejected, result.Status);
        Assert.Null(result.Run);
        var error = Assert.Single(review.Plan.Errors);
        Assert.Equal("follow-up-check-ins", error.StepKey);
        Assert.Equal(1, error.CaseCount);
        Assert.Contains("no mapping was given", error.Message, StringComparison.Ordinal);
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

        var review = await ReviewAsync(env, FollowUpMapping);
        Assert.Equal(3, review.Cases.Count);
        var result = await ConfirmAsync(env, review);

        Assert.Equal(MigrationExecutionStatus.Executed, result.Status);
        var run = result.Run!;
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

    [SkippableFact]
    public async Task Without_the_confirmation_nothing_moves_and_the_same_review_comes_back()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, _, _) = await ArrangeAsync(fixture);
        var review = await ReviewAsync(env, FollowUpMapping);

        var result = await ConfirmAsync(env, review, confirmed: false);

        Assert.Equal(MigrationExecutionStatus.NotConfirmed, result.Status);
        Assert.Contains("Confirm that you have reviewed what happens to the 3 case(s)", result.Message, StringComparison.Ordinal);
        Assert.Equal(review.Fingerprint, result.Review!.Fingerprint);
        var v1 = (await env.Workflows.GetVersionAsync(Key, 1))!;
        Assert.Equal(v1.Id, (await env.Cases.GetAsync(atIntake))!.DefinitionVersionId);
    }

    [SkippableFact]
    public async Task A_case_that_moved_on_since_the_review_stops_the_run_is_named_and_the_plan_is_made_again()
    {
        fixture.EnsureAvailable();
        var (env, atIntake, atNeeds, _) = await ArrangeAsync(fixture);
        var review = await ReviewAsync(env, FollowUpMapping);
        var reference = (await env.Cases.GetAsync(atIntake))!.Reference;
        Assert.True((await env.CompleteTowardsAsync(atIntake, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        var note = await env.Service.AddNoteAsync(atNeeds, "Called the company", env.LatvianBroker);
        Assert.True(note.Succeeded, note.Message);

        var result = await ConfirmAsync(env, review);

        Assert.Equal(MigrationExecutionStatus.Changed, result.Status);
        Assert.Equal([$"Case {reference} changed since your review: Intake was completed."], result.Changes); // a note changes nothing
        Assert.Null(result.Run);
        var v1 = (await env.Workflows.GetVersionAsync(Key, 1))!;
        Assert.All(await Task.WhenAll(review.Cases.Select(c => env.Cases.GetAsync(c.CaseId))), c => Assert.Equal(v1.Id, c!.DefinitionVersionId));
        var again = result.Review!;
        Assert.NotEqual(review.Fingerprint, again.Fingerprint);
        Assert.Equal("first-contact", again.CaseOf(atIntake.ToString())!.FromStep);

        var second = await ConfirmAsync(env, again);

        Assert.Equal(MigrationExecutionStatus.Executed, second.Status);
        Assert.Equal(3, second.Run!.Moved);
        Assert.Equal("first-contact", (await env.Cases.GetAsync(atIntake))!.CurrentStep);
    }

    [SkippableFact]
    public async Task A_case_held_and_resumed_keeps_its_hold_time_when_its_schedule_is_made_anew()
    {
        fixture.EnsureAvailable();
        var (env, _, _, inFollowUp) = await ArrangeAsync(fixture);
        var started = (await env.Cases.GetAsync(inFollowUp))!.StepStartedAt;
        env.Time.Advance(TimeSpan.FromDays(2));
        await ActAsync(env, inFollowUp, "hold");
        env.Time.Advance(TimeSpan.FromDays(9));
        await ActAsync(env, inFollowUp, "resume");
        var dueBefore = (await env.Cases.GetAsync(inFollowUp))!.StepDueAt;

        var result = await ConfirmAsync(env, await ReviewAsync(env, FollowUpMapping));

        Assert.Equal(MigrationExecutionStatus.Executed, result.Status);
        var d = await env.DetailsAsync(inFollowUp);
        Assert.Equal("implementation-follow-up", d.Case.CurrentStep);
        var v2Step = d.Plan.GetStep("implementation-follow-up");
        Assert.Equal(v2Step.Due!.Value.AddTo(started) + TimeSpan.FromDays(9), d.Case.StepDueAt);
        Assert.Equal(dueBefore, d.Case.StepDueAt); // same due in both versions: the hold is not lost
        var schedule = d.Plan.ScheduleFor("implementation-follow-up", started).ToDictionary(n => n.Key, n => n.At);
        var fresh = d.Reminders.Where(r => r.StepKey == "implementation-follow-up" && r.Status == ReminderStatus.Pending).ToList();
        Assert.NotEmpty(fresh);
        Assert.All(fresh, r => Assert.Equal(schedule[r.NoticeKey] + TimeSpan.FromDays(9), r.DueAt));
    }

    [SkippableFact]
    public async Task A_case_on_hold_stays_on_hold_with_the_same_hold_start_and_resuming_moves_its_new_schedule()
    {
        fixture.EnsureAvailable();
        var (env, _, _, inFollowUp) = await ArrangeAsync(fixture);
        var started = (await env.Cases.GetAsync(inFollowUp))!.StepStartedAt;
        env.Time.Advance(TimeSpan.FromDays(3));
        await ActAsync(env, inFollowUp, "hold");
        var holdStart = (await env.Cases.GetAsync(inFollowUp))!.HoldStartedAt;
        env.Time.Advance(TimeSpan.FromDays(4));

        var review = await ReviewAsync(env, FollowUpMapping);
        Assert.Contains("stays on hold", review.Plan.Cases.Single(c => c.CaseId == inFollowUp.ToString()).Summary, StringComparison.Ordinal);
        Assert.Equal(MigrationExecutionStatus.Executed, (await ConfirmAsync(env, review)).Status);

        var d = await env.DetailsAsync(inFollowUp);
        Assert.Equal((CaseStatus.OnHold, holdStart), (d.Case.Status, d.Case.HoldStartedAt));
        var paused = d.Reminders.Where(r => r.StepKey == "implementation-follow-up" && r.Status == ReminderStatus.Paused).ToList();
        Assert.NotEmpty(paused);
        Assert.DoesNotContain(d.Reminders, r => r.StepKey == "implementation-follow-up" && r.Status == ReminderStatus.Pending);

        env.Time.Advance(TimeSpan.FromDays(1));
        await ActAsync(env, inFollowUp, "resume");

        d = await env.DetailsAsync(inFollowUp);
        Assert.Equal(d.Plan.GetStep("implementation-follow-up").Due!.Value.AddTo(started) + TimeSpan.FromDays(5), d.Case.StepDueAt);
        var schedule = d.Plan.ScheduleFor("implementation-follow-up", started).ToDictionary(n => n.Key, n => n.At);
        Assert.All(d.Reminders.Where(r => paused.Any(p => p.Id == r.Id)), r => Assert.Equal((ReminderStatus.Pending, schedule[r.NoticeKey] + TimeSpan.FromDays(5)), (r.Status, r.DueAt)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseMigrationTests(SqliteFixture fixture) : CaseMigrationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseMigrationTests(PostgresFixture fixture) : CaseMigrationTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerCaseMigrationTests(SqlServerFixture fixture) : CaseMigrationTests(fixture);
