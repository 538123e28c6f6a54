using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>The workflow engine with the real stores, once per available database.</summary>
public abstract class CaseEngineTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Drives a case to expressions of interest with a German partner interested.</summary>
    private static async Task<Guid> DriveToAgreementAsync(CaseEnvironment env)
    {
        var id = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "needs-assessment")).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "eligibility")).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "cooperation-profile", With(("eligible", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "profile-validation")).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "matching", With(("decision", "validated")))).Succeeded);

        var details = await env.DetailsAsync(id);
        var shortlisted = await env.Service.ShortlistPartnerAsync(id, details.Case.Version, env.GermanPartner.Id, env.LatvianBroker);
        Assert.True(shortlisted.Succeeded, shortlisted.Message);
        Assert.True((await env.CompleteTowardsAsync(id, "expressions-of-interest", company: env.GermanPartner.Id)).Succeeded);

        details = await env.DetailsAsync(id);
        var partner = details.Participants.Single(p => p.Role == ParticipantRole.Partner);
        var interested = await env.Service.SetPartnerStatusAsync(id, details.Case.Version, partner.Id, PipelineStatus.Interested, env.GermanBroker);
        Assert.True(interested.Succeeded, interested.Message);
        Assert.True((await env.CompleteTowardsAsync(id, "joint-strategy", With(("result", "partner-found")), company: env.GermanPartner.Id)).Succeeded);
        return id;
    }

    [SkippableFact]
    public async Task A_case_goes_from_intake_to_completed_with_a_partner_from_another_country()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = await DriveToAgreementAsync(env);

        var details = await env.DetailsAsync(id);
        var partner = details.Participants.Single(p => p.Role == ParticipantRole.Partner);
        Assert.True((await env.Service.SetPartnerStatusAsync(id, details.Case.Version, partner.Id, PipelineStatus.Agreed, env.GermanBroker)).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "signed-agreement", company: env.GermanPartner.Id)).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "follow-up-check-ins", company: env.GermanPartner.Id)).Succeeded);

        var early = await env.CompleteTowardsAsync(id, "final-evaluation", With(("implementation-status", "implemented")));
        Assert.Equal(CaseCommandStatus.ConditionsNotMet, early.Status);
        for (var k = 1; k <= 4; k++)
        {
            env.Time.Advance(TimeSpan.FromDays(92));
            var checkIn = await env.RecordCheckInAsync(id, k);
            Assert.True(checkIn.Succeeded, checkIn.Message);
        }

        // A command reads the check-ins with the case, every field as stored.
        Assert.Equal(await env.Cases.GetCheckInsAsync(id), (await env.Cases.GetCommandStateAsync(id))!.CheckIns);

        Assert.True((await env.CompleteTowardsAsync(id, "final-evaluation", With(("implementation-status", "implemented")))).Succeeded);
        var final = await env.CompleteTowardsAsync(id, "completed");
        Assert.True(final.Succeeded, final.Message);

        details = await env.DetailsAsync(id);
        Assert.Equal(CaseStatus.Closed, details.Case.Status);
        Assert.Equal("completed", details.Case.CurrentStep);
        Assert.NotNull(details.Case.ClosedAt);
        Assert.Matches(@"^LV008-2026-0001$", details.Case.Reference);
        Assert.Equal(12, details.Steps.Count);
        Assert.All(details.Steps, s => Assert.NotNull(s.CompletedAt));
        Assert.DoesNotContain(details.Reminders, r => r.Status is ReminderStatus.Pending or ReminderStatus.Paused);
        Assert.Equal(4, details.CheckIns.Count);
        Assert.Equal(details.Case.AuditCount, details.Events.Count);
        Assert.Equal(12 + 1 + 3 + 4, details.Events.Count); // steps completed, opened, partner changes, check-ins
        Assert.True(AuditChain.Verify(details.Case, details.Events).IsIntact);
        Assert.Equal("completed", details.Events[^1].Data.Contains("\"to\":\"completed\"", StringComparison.Ordinal) ? "completed" : details.Events[^1].Data);
    }

    [SkippableFact]
    public async Task Opening_a_case_pins_it_to_the_published_version_and_schedules_the_first_step()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);

        var opened = await env.OpenCaseAsync();
        var details = await env.DetailsAsync(opened.Id);
        var published = await env.Workflows.GetPublishedVersionAsync("joint-smart-strategy");

        Assert.Equal(published!.Id, details.Case.DefinitionVersionId);
        Assert.Equal(1, details.Plan.Version);
        Assert.Equal("intake", details.Case.CurrentStep);
        Assert.Equal("needs-assessment", details.Case.CurrentStage);
        Assert.Equal(Start.AddDays(5), details.Case.StepDueAt);
        var reminders = details.Reminders.Select(r => (r.NoticeKey, r.DueAt)).ToList();
        Assert.Contains(("reminder-1", Start.AddDays(3)), reminders);
        Assert.Contains(("due", Start.AddDays(5)), reminders);
        Assert.Single(details.Events);
        Assert.Equal("case-opened", details.Events[0].Kind);
        Assert.Equal(env.Lead.Id, details.Participants.Single().CompanyId);
    }

    [SkippableFact]
    public async Task Unmet_conditions_are_spelled_out_and_nothing_is_saved()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = (await env.OpenCaseAsync()).Id;
        var before = await env.DetailsAsync(id);

        var refused = await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "no")));

        Assert.Equal(CaseCommandStatus.ConditionsNotMet, refused.Status);
        var unmet = Assert.Single(refused.Unmet);
        Assert.Contains("contact-data-consent", unmet.Condition, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(unmet.Reason));
        var after = await env.DetailsAsync(id);
        Assert.Equal(before.Case.Version, after.Case.Version);
        Assert.Equal(before.Events.Count, after.Events.Count);
        Assert.Equal("intake", after.Case.CurrentStep);
    }

    [SkippableFact]
    public async Task Matching_needs_a_shortlisted_candidate_from_another_country()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = (await env.OpenCaseAsync()).Id;
        await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")));
        await env.CompleteTowardsAsync(id, "needs-assessment");
        await env.CompleteTowardsAsync(id, "eligibility");
        await env.CompleteTowardsAsync(id, "cooperation-profile", With(("eligible", "yes")));
        await env.CompleteTowardsAsync(id, "profile-validation");
        await env.CompleteTowardsAsync(id, "matching", With(("decision", "validated")));
        var details = await env.DetailsAsync(id);
        var sameCountry = await env.Service.ShortlistPartnerAsync(id, details.Case.Version, env.LatvianNeighbour.Id, env.LatvianBroker);

        var refused = await env.CompleteTowardsAsync(id, "expressions-of-interest", company: env.LatvianNeighbour.Id);

        Assert.Equal(CaseCommandStatus.Refused, sameCountry.Status);
        Assert.Equal("Cēsis Timber is in the lead company's country; partners come from other countries.", sameCountry.Message);
        Assert.Equal(CaseCommandStatus.ConditionsNotMet, refused.Status);
        Assert.Contains(refused.Unmet, u => u.Reason.Contains("another country", StringComparison.Ordinal) && u.Reason.Contains("has 0", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task An_invalid_form_gets_an_error_per_field_and_nothing_is_saved()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = (await env.OpenCaseAsync()).Id;
        await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")));
        var before = await env.DetailsAsync(id);

        var result = await env.CompleteTowardsAsync(id, "needs-assessment", With(("contact-date", "31.02.2026"), ("contact-person", "")));

        Assert.Equal(CaseCommandStatus.InvalidForm, result.Status);
        Assert.Contains(result.FieldErrors, e => e.Field == "contact-date" && e.Message.Contains("31.02.2026", StringComparison.Ordinal));
        Assert.Contains(result.FieldErrors, e => e.Field == "contact-person");
        var after = await env.DetailsAsync(id);
        Assert.Equal(before.Case.Version, after.Case.Version);
        Assert.Equal("first-contact", after.Case.CurrentStep);
    }

    [SkippableFact]
    public async Task Only_the_role_of_the_step_may_complete_it()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = (await env.OpenCaseAsync()).Id;

        var byGerman = await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")), env.GermanBroker);
        var byEvaluator = await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")), env.Evaluator);

        Assert.Equal(CaseCommandStatus.Forbidden, byGerman.Status);
        Assert.Equal(CaseCommandStatus.Forbidden, byEvaluator.Status);
        Assert.Equal("intake", (await env.DetailsAsync(id)).Case.CurrentStep);
    }

    [SkippableFact]
    public async Task Twenty_parallel_completions_of_one_step_let_exactly_one_through()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = (await env.OpenCaseAsync()).Id;
        var details = await env.DetailsAsync(id);
        var step = details.CurrentStep!;
        var outcome = step.Outcomes.Single(o => o.Target == "first-contact");
        var input = FormFiller.Fill(step.Fields, env.Lead.Id, With(("contact-data-consent", "yes")));
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await env.Service.CompleteStepAsync(id, details.Case.Version, outcome.Key, input, env.LatvianBroker);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(CaseCommandStatus.Conflict, r.Status));
        var after = await env.DetailsAsync(id);
        Assert.Equal(details.Case.Version + 1, after.Case.Version);
        Assert.Single(after.Events, e => e.Kind == "step-completed");
        Assert.Equal(2, after.Steps.Count);
        var firstContactNotices = after.Plan.ScheduleFor("first-contact", Start).Count;
        Assert.Equal(firstContactNotices, after.Reminders.Count(r => r.StepKey == "first-contact"));
        Assert.True(AuditChain.Verify(after.Case, after.Events).IsIntact);
    }

    [SkippableFact]
    public async Task Hold_pauses_reminders_and_resume_shifts_them_by_the_time_on_hold()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();

        var held = await env.Service.ApplyCaseActionAsync(c.Id, c.Version, "hold", "Company closed for the summer", env.LatvianBroker);
        Assert.True(held.Succeeded, held.Message);
        var onHold = await env.DetailsAsync(c.Id);
        Assert.Equal(CaseStatus.OnHold, onHold.Case.Status);
        Assert.All(onHold.Reminders, r => Assert.Equal(ReminderStatus.Paused, r.Status));
        var blocked = await env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")));
        Assert.Equal(CaseCommandStatus.Refused, blocked.Status);

        env.Time.Advance(TimeSpan.FromDays(10));
        var resumed = await env.Service.ApplyCaseActionAsync(c.Id, onHold.Case.Version, "resume", null, env.LatvianBroker);
        Assert.True(resumed.Succeeded, resumed.Message);

        var after = await env.DetailsAsync(c.Id);
        Assert.Equal(CaseStatus.Active, after.Case.Status);
        Assert.Equal(Start.AddDays(15), after.Case.StepDueAt);
        Assert.Contains(after.Reminders, r => r.NoticeKey == "reminder-1" && r.DueAt == Start.AddDays(13) && r.Status == ReminderStatus.Pending);
        Assert.Equal(["case-opened", "case-hold", "case-resume"], after.Events.Select(e => e.Kind));
    }

    [SkippableFact]
    public async Task Withdrawing_needs_a_reason_and_closes_the_case()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();

        var noReason = await env.Service.ApplyCaseActionAsync(c.Id, c.Version, "withdraw", " ", env.LatvianBroker);
        var withdrawn = await env.Service.ApplyCaseActionAsync(c.Id, c.Version, "withdraw", "The company was sold", env.LatvianBroker);

        Assert.Equal(CaseCommandStatus.Refused, noReason.Status);
        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        var after = await env.DetailsAsync(c.Id);
        Assert.Equal(CaseStatus.Closed, after.Case.Status);
        Assert.Equal("withdrawn", after.Case.CurrentStep);
        Assert.All(after.Reminders, r => Assert.Equal(ReminderStatus.Cancelled, r.Status));
        Assert.Contains("The company was sold", after.Events[^1].Data, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_stale_version_is_a_conflict_and_changes_nothing()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        Assert.True((await env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);

        var stale = await env.Service.ApplyCaseActionAsync(c.Id, c.Version, "hold", "x", env.LatvianBroker);

        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.Contains("Nothing was saved", stale.Message, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Active, (await env.DetailsAsync(c.Id)).Case.Status);
    }

    [SkippableFact]
    public async Task Tampering_with_any_audit_event_is_found()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        await env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")));
        await env.CompleteTowardsAsync(c.Id, "needs-assessment");
        Assert.True((await env.Service.VerifyAuditAsync(c.Id))!.IsIntact);

        await using (var db = await fixture.Factory.OpenAsync())
        {
            await db.ExecuteAsync("UPDATE case_events SET data = REPLACE(data, 'contact-person', 'someone-else') WHERE case_id = @id AND seq = 3", new { id = c.Id });
        }

        var verification = await env.Service.VerifyAuditAsync(c.Id);
        Assert.False(verification!.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSeq);
        Assert.Contains("altered", verification.Message, StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCaseEngineTests(SqliteFixture fixture) : CaseEngineTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCaseEngineTests(PostgresFixture fixture) : CaseEngineTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerCaseEngineTests(SqlServerFixture fixture) : CaseEngineTests(fixture);
