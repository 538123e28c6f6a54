using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Acting timers against the real stores with a fake clock (the dispatcher's method run directly): each action on its
/// business day in Latvia, audited as "TIBS (timer)"; hold pauses them; leaving the step cancels them; a user and a
/// timer at the same moment give one result; a timer claimed by a worker that died acts once, after the lease.
/// The test definition is the shipped v1 with timers on its intake step and a "no answer" outcome there (allowed a day
/// after the step started, so that it never competes with "registered").
/// </summary>
public abstract class TimerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string NoAnswer = """
                  - key: no-answer
                    label: No answer from the company
                    to: withdrawn
                    conditions:
                      - not-before: P1D

        """;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Shipped v1 with <paramref name="timers"/> (YAML list items) on intake, and intake's "no answer" outcome.</summary>
    private static string Definition(string timers)
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot(), "workflows", "joint-smart-strategy", "v1.yaml"));
        const string Reminders = "        reminders:\n          - { after: P3D, to: coordinator }\n";
        var at = yaml.IndexOf(Reminders, StringComparison.Ordinal) + Reminders.Length;
        yaml = yaml.Insert(at, "        timers:\n" + timers);
        var firstContact = yaml.IndexOf("      - key: first-contact", StringComparison.Ordinal);
        return yaml.Insert(firstContact, NoAnswer);
    }

    private sealed class Rig
    {
        public Rig(CaseEnvironment env)
        {
            Env = env;
            Reminders = env.Service.Handler<IReminderStore>();
            Notifications = env.Service.Handler<INotificationStore>();
            Delivery = env.Service.Handler<ReminderDelivery>();
            Timers = env.Service.Handler<RunTimer>();
        }

        public CaseEnvironment Env { get; }
        public IReminderStore Reminders { get; }
        public INotificationStore Notifications { get; }
        public ReminderDelivery Delivery { get; }
        public RunTimer Timers { get; }

        public static async Task<Rig> CreateAsync(DatabaseFixture fixture, string timers) =>
            new(await CreateWithDefinitionAsync(fixture, Definition(timers)));

        public Task<int> DispatchAsync(DeliveryCheckpoint? checkpoint = null) =>
            new ReminderDispatcher(Reminders, Env.Time) { Checkpoint = checkpoint }.DispatchAsync(new Inline(Delivery), "test");

        public async Task<IReadOnlyList<NotificationRecord>> InboxAsync(Actor user) => await Notifications.ListForUserAsync(user.UserId, false, 1000);

        public async Task<ReminderRecord> TimerRowAsync(Guid caseId) =>
            (await Env.DetailsAsync(caseId)).Reminders.Single(r => r.Kind == CaseSteps.TimerKind);

        public async Task<string> StatusAsync(Guid reminderId) => (await Reminders.GetAsync(reminderId))!.Status;
    }

    private sealed class Inline(ReminderDelivery delivery) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) => await delivery.DeliverAsync(reminderId, cancellationToken);
    }

    private static IReadOnlyList<CaseEventRecord> ByTimer(CaseDetails d) =>
        [.. d.Events.Where(e => e.Data.Contains(CaseTimers.ActorName, StringComparison.Ordinal))];

    [SkippableFact]
    public async Task An_outcome_timer_takes_its_outcome_after_two_business_days_as_the_system_and_is_audited()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P2BD, action: outcome, outcome: no-answer }\n");
        var c = await rig.Env.OpenCaseAsync(); // Monday 12 January 2026, 09:00 UTC, in Vidzeme (Latvia)
        var row = await rig.TimerRowAsync(c.Id);
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 9, 0, 0, TimeSpan.Zero), row.DueAt);

        rig.Env.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        await rig.DispatchAsync();
        Assert.Equal("intake", (await rig.Env.DetailsAsync(c.Id)).Case.CurrentStep);

        rig.Env.Time.Advance(TimeSpan.FromMinutes(1));
        await rig.DispatchAsync();

        var d = await rig.Env.DetailsAsync(c.Id);
        Assert.Equal("withdrawn", d.Case.CurrentStep);
        Assert.True(d.Case.IsClosed);
        var evt = Assert.Single(ByTimer(d));
        Assert.Equal(CaseEventKinds.StepCompleted, evt.Kind);
        Assert.Null(evt.ActorUserId);
        Assert.Contains("\"outcome\":\"no-answer\"", evt.Data, StringComparison.Ordinal);
        Assert.Equal("no-answer", d.Steps.Single(s => s.StepKey == "intake").Outcome);
        Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
        Assert.Equal(ReminderStatus.Sent, await rig.StatusAsync(row.Id));
        var timeline = await rig.Env.Service.Handler<CaseTimeline>().DescribeAsync(d, rig.Env.LatvianBroker, new Dictionary<Guid, string>());
        Assert.Contains(timeline, v => v.Title == "Step completed" && v.ActorName == "TIBS (timer)");

        await rig.DispatchAsync(); // nothing more happens
        Assert.Single(ByTimer(await rig.Env.DetailsAsync(c.Id)));
    }

    [SkippableFact]
    public async Task A_timer_whose_outcome_conditions_are_unmet_records_that_it_could_not_act_and_tells_the_broker()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P1BD, action: outcome, outcome: registered }\n");
        var c = await rig.Env.OpenCaseAsync();

        rig.Env.Time.Advance(TimeSpan.FromDays(1));
        await rig.DispatchAsync();
        await rig.DispatchAsync(); // delivers the notice the timer left

        var d = await rig.Env.DetailsAsync(c.Id);
        Assert.Equal("intake", d.Case.CurrentStep);
        var evt = Assert.Single(ByTimer(d));
        Assert.Equal(CaseEventKinds.TimerNotActed, evt.Kind);
        var notice = Assert.Single(await rig.InboxAsync(rig.Env.LatvianBroker), n => n.Kind == CaseTimers.NoticeKind);
        Assert.Contains("could not take the outcome 'Company registered'", notice.Body, StringComparison.Ordinal);
        var timeline = await rig.Env.Service.Handler<CaseTimeline>().DescribeAsync(d, rig.Env.LatvianBroker, new Dictionary<Guid, string>());
        Assert.Contains(timeline, v => v.Title == "Timer could not act" && v.Details.Any(l => l.StartsWith("It could not act:", StringComparison.Ordinal)));
        Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
    }

    [SkippableFact]
    public async Task A_reassign_timer_gives_the_case_to_the_regions_coordinator_and_tells_them()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P1BD, action: reassign, to: coordinator }\n");
        var regional = await rig.Env.UserAsync("coordinator.lv008@test.example", Roles.Coordinator, "LV008");
        var c = await rig.Env.OpenCaseAsync();

        rig.Env.Time.Advance(TimeSpan.FromDays(1));
        await rig.DispatchAsync();
        await rig.DispatchAsync();

        var d = await rig.Env.DetailsAsync(c.Id);
        Assert.Equal(regional.UserId, d.Case.OwnerUserId);
        Assert.Equal(CaseEventKinds.CaseReassign, Assert.Single(ByTimer(d)).Kind);
        Assert.Contains(await rig.InboxAsync(regional), n => n.Body.Contains("was given to coordinator.lv008@test.example", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_hold_timer_puts_the_case_on_hold_and_the_next_timer_waits_until_it_resumes()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, """
                      - { after: P1BD, action: hold, reason: Waiting for the company's board }
                      - { after: P2BD, action: outcome, outcome: no-answer }

            """);
        var c = await rig.Env.OpenCaseAsync();

        rig.Env.Time.Advance(TimeSpan.FromDays(1)); // Tuesday: the hold timer
        await rig.DispatchAsync();
        var held = await rig.Env.DetailsAsync(c.Id);
        Assert.True(held.Case.IsOnHold);
        Assert.Equal(CaseEventKinds.CaseHold, Assert.Single(ByTimer(held)).Kind);

        rig.Env.Time.Advance(TimeSpan.FromDays(2)); // Thursday: the outcome timer's day passes while on hold
        await rig.DispatchAsync();
        Assert.Equal("intake", (await rig.Env.DetailsAsync(c.Id)).Case.CurrentStep);

        var resumed = await rig.Env.Service.ApplyCaseActionAsync(c.Id, held.Case.Version, "resume", null, rig.Env.LatvianBroker);
        Assert.True(resumed.Succeeded, resumed.Message);
        rig.Env.Time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1)); // moved by the two days on hold: due Friday 09:00
        await rig.DispatchAsync();
        Assert.Equal("intake", (await rig.Env.DetailsAsync(c.Id)).Case.CurrentStep);

        rig.Env.Time.Advance(TimeSpan.FromMinutes(1));
        await rig.DispatchAsync();
        Assert.Equal("withdrawn", (await rig.Env.DetailsAsync(c.Id)).Case.CurrentStep);
    }

    [SkippableFact]
    public async Task Leaving_the_step_cancels_its_timer_in_the_same_transaction()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P2BD, action: outcome, outcome: no-answer }\n");
        var c = await rig.Env.OpenCaseAsync();
        var row = await rig.TimerRowAsync(c.Id);

        Assert.True((await rig.Env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.Equal(ReminderStatus.Cancelled, await rig.StatusAsync(row.Id));

        rig.Env.Time.Advance(TimeSpan.FromDays(5));
        await rig.DispatchAsync();
        var d = await rig.Env.DetailsAsync(c.Id);
        Assert.Equal("first-contact", d.Case.CurrentStep);
        Assert.Empty(ByTimer(d));
    }

    [SkippableFact]
    public async Task A_user_completing_the_step_and_its_timer_firing_at_once_give_exactly_one_result()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P2BD, action: outcome, outcome: no-answer }\n");
        var userWon = 0;
        var timerWon = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = await rig.Env.OpenCaseAsync();
            rig.Env.Time.Advance(TimeSpan.FromDays(2)); // the timer's moment (a "no answer" needs a day since the start)
            var before = await rig.Env.DetailsAsync(c.Id);
            var row = before.Reminders.Single(r => r.Kind == CaseSteps.TimerKind);
            var input = FormFiller.Fill(before.CurrentStep!.Fields, rig.Env.Lead.Id, With(("contact-data-consent", "yes")));
            using var start = new Barrier(2);

            var user = Task.Run(() =>
            {
                start.SignalAndWait();
                return rig.Env.Service.CompleteStepAsync(c.Id, before.Case.Version, "registered", input, rig.Env.LatvianBroker);
            });
            var timer = Task.Run(() =>
            {
                start.SignalAndWait();
                return rig.Timers.HandleAsync(row.Id);
            });
            var (byUser, byTimer) = (await user, await timer);

            var d = await rig.Env.DetailsAsync(c.Id);
            var completions = d.Events.Where(e => e.Kind == CaseEventKinds.StepCompleted && e.StepKey == "intake").ToList();
            Assert.Single(completions);
            Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
            if (byUser.Status == CaseCommandStatus.Done)
            {
                userWon++;
                Assert.NotEqual(TimerRunOutcome.Acted, byTimer.Outcome);
                Assert.Equal("first-contact", d.Case.CurrentStep);
                Assert.Equal(ReminderStatus.Cancelled, await rig.StatusAsync(row.Id));
            }
            else
            {
                timerWon++;
                Assert.Equal(TimerRunOutcome.Acted, byTimer.Outcome);
                Assert.Equal(CaseCommandStatus.Conflict, byUser.Status);
                Assert.Equal("withdrawn", d.Case.CurrentStep);
                Assert.Equal(ReminderStatus.Sent, await rig.StatusAsync(row.Id));
            }
        }

        Assert.Equal(8, userWon + timerWon);
    }

    [SkippableFact]
    public async Task The_same_timer_run_twice_at_once_acts_once()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P1BD, action: reassign, to: coordinator }\n");
        await rig.Env.UserAsync("coordinator.lv008@test.example", Roles.Coordinator, "LV008");
        for (var i = 0; i < 5; i++)
        {
            var c = await rig.Env.OpenCaseAsync();
            rig.Env.Time.Advance(TimeSpan.FromDays(1));
            var row = await rig.TimerRowAsync(c.Id);

            var runs = await Task.WhenAll(Task.Run(() => rig.Timers.HandleAsync(row.Id)), Task.Run(() => rig.Timers.HandleAsync(row.Id)));

            Assert.Single(runs, r => r.Outcome == TimerRunOutcome.Acted);
            Assert.Single(ByTimer(await rig.Env.DetailsAsync(c.Id)));
        }
    }

    [SkippableFact]
    public async Task A_timer_claimed_by_a_worker_that_died_is_retried_after_its_lease_and_acts_once()
    {
        fixture.EnsureAvailable();
        var rig = await Rig.CreateAsync(fixture, "          - { after: P2BD, action: outcome, outcome: no-answer }\n");
        var c = await rig.Env.OpenCaseAsync();
        var row = await rig.TimerRowAsync(c.Id);
        rig.Env.Time.Advance(TimeSpan.FromDays(2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.DispatchAsync((step, id) =>
            step == DeliveryStep.Claimed ? throw new InvalidOperationException("The worker died.") : Task.CompletedTask));
        Assert.Equal(ReminderStatus.Claimed, await rig.StatusAsync(row.Id));

        await rig.DispatchAsync(); // the dead worker's lease still holds the row
        Assert.Equal("intake", (await rig.Env.DetailsAsync(c.Id)).Case.CurrentStep);

        rig.Env.Time.Advance(DeliveryLease.Default + TimeSpan.FromSeconds(1));
        await rig.DispatchAsync();
        await rig.DispatchAsync();

        var d = await rig.Env.DetailsAsync(c.Id);
        Assert.Equal("withdrawn", d.Case.CurrentStep);
        Assert.Single(ByTimer(d));
        Assert.Equal(ReminderStatus.Sent, await rig.StatusAsync(row.Id));
        await using var check = await fixture.Factory.OpenAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM case_events WHERE case_id = @id AND kind = 'step-completed'", new { id = c.Id }));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTimerTests(SqliteFixture fixture) : TimerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTimerTests(PostgresFixture fixture) : TimerTests(fixture);
