using System.Collections.Concurrent;
using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Reminders, escalations and check-ins of joint-smart-strategy v1 against the real stores, with a fake clock:
/// each fires at its moment and not after its step is done, hold pauses and resume shifts, a crash or a lost job
/// storage loses and duplicates nothing, and two dispatchers deliver every row exactly once.
/// </summary>
public abstract class ReminderTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed class Rig
    {
        public Rig(CaseEnvironment env)
        {
            Env = env;
            Reminders = new ReminderStore(env.Fixture.Factory);
            Notifications = new NotificationStore(env.Fixture.Factory);
            Delivery = new ReminderDelivery(Reminders, env.Cases, env.Users, env.Catalog, env.Time);
        }

        public CaseEnvironment Env { get; }
        public ReminderStore Reminders { get; }
        public NotificationStore Notifications { get; }
        public ReminderDelivery Delivery { get; }
        public ConcurrentBag<DeliveryResult> Results { get; } = [];

        public ReminderDispatcher Dispatcher() => new(Reminders, Env.Time);

        /// <summary>Dispatches everything due now and delivers it inline; returns the rows handed over.</summary>
        public Task<int> DispatchAsync(string worker = "test") => Dispatcher().DispatchAsync(new InlineQueue(this), worker);

        public async Task<IReadOnlyList<NotificationRecord>> InboxAsync(Actor user) => await Notifications.ListForUserAsync(user.UserId, false, 1000);
    }

    private sealed class InlineQueue(Rig rig) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default)
        {
            try
            {
                rig.Results.Add(await rig.Delivery.DeliverAsync(reminderId, cancellationToken));
            }
            catch (InvalidOperationException)
            {
                // A simulated crash: the row stays claimed, as after a killed server.
            }
        }
    }

    /// <summary>Stands for Hangfire's in-memory storage lost in a restart: jobs are accepted and never run.</summary>
    private sealed class LostQueue : IReminderQueue
    {
        public int Accepted { get; private set; }

        public Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default)
        {
            Accepted++;
            return Task.CompletedTask;
        }
    }

    private static async Task<Guid> ToNeedsAssessmentAsync(CaseEnvironment env)
    {
        var id = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "needs-assessment")).Succeeded);
        return id;
    }

    [SkippableFact]
    public async Task The_intake_reminder_reaches_the_coordinator_on_day_three_and_nothing_fires_after_the_step_is_done()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        var c = await rig.Env.OpenCaseAsync();

        rig.Env.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await rig.DispatchAsync());
        rig.Env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await rig.DispatchAsync());
        var inbox = await rig.InboxAsync(rig.Env.Coordinator);
        var reminder = Assert.Single(inbox);
        Assert.Equal("reminder", reminder.Kind);
        Assert.Contains(c.Reference, reminder.Title, StringComparison.Ordinal);
        Assert.Equal(c.Id, reminder.CaseId);

        Assert.True((await rig.Env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        rig.Env.Time.Advance(TimeSpan.FromDays(3)); // intake's due date (day 5) passes: its notice was cancelled with the step
        await rig.DispatchAsync();

        Assert.Empty(await rig.InboxAsync(rig.Env.LatvianBroker));
        Assert.Single(await rig.InboxAsync(rig.Env.Coordinator));
    }

    [SkippableFact]
    public async Task Needs_assessment_reminds_the_broker_at_day_seven_and_escalates_to_the_coordinator_at_day_twenty()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        await ToNeedsAssessmentAsync(rig.Env);
        var coordinatorBefore = (await rig.InboxAsync(rig.Env.Coordinator)).Count;

        rig.Env.Time.Advance(TimeSpan.FromDays(7));
        await rig.DispatchAsync();
        var brokerInbox = await rig.InboxAsync(rig.Env.LatvianBroker);
        Assert.Contains(brokerInbox, n => n.Kind == "reminder" && n.Title.Contains("Needs assessment", StringComparison.Ordinal));
        Assert.DoesNotContain(await rig.InboxAsync(rig.Env.Coordinator), n => n.Kind == "escalation");

        rig.Env.Time.Advance(TimeSpan.FromDays(13));
        await rig.DispatchAsync();
        var escalation = Assert.Single(await rig.InboxAsync(rig.Env.Coordinator), n => n.Kind == "escalation");
        Assert.Contains("still open", escalation.Title, StringComparison.Ordinal);
        Assert.Equal(coordinatorBefore + 1, (await rig.InboxAsync(rig.Env.Coordinator)).Count);
        Assert.Contains(await rig.InboxAsync(rig.Env.LatvianBroker), n => n.Kind == "due"); // the due date (day 10) passed too
    }

    [SkippableFact]
    public async Task Quarterly_check_ins_fall_due_every_three_months_for_a_year()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        var id = (await rig.Env.OpenCaseAsync()).Id;
        foreach (var (target, overrides) in new (string, IReadOnlyDictionary<string, string>?)[]
        {
            ("first-contact", With(("contact-data-consent", "yes"))), ("needs-assessment", null), ("eligibility", null),
            ("cooperation-profile", With(("eligible", "yes"))), ("profile-validation", null), ("matching", With(("decision", "validated"))),
        })
        {
            Assert.True((await rig.Env.CompleteTowardsAsync(id, target, overrides)).Succeeded);
        }

        var d = await rig.Env.DetailsAsync(id);
        await rig.Env.Service.ShortlistPartnerAsync(id, d.Case.Version, rig.Env.GermanPartner.Id, rig.Env.LatvianBroker);
        await rig.Env.CompleteTowardsAsync(id, "expressions-of-interest", company: rig.Env.GermanPartner.Id);
        d = await rig.Env.DetailsAsync(id);
        await rig.Env.Service.SetPartnerStatusAsync(id, d.Case.Version, d.Participants.Single(p => p.Role == ParticipantRole.Partner).Id, PipelineStatus.Agreed, rig.Env.GermanBroker);
        await rig.Env.CompleteTowardsAsync(id, "joint-strategy", With(("result", "partner-found")), company: rig.Env.GermanPartner.Id);
        await rig.Env.CompleteTowardsAsync(id, "signed-agreement", company: rig.Env.GermanPartner.Id);
        Assert.True((await rig.Env.CompleteTowardsAsync(id, "follow-up-check-ins", company: rig.Env.GermanPartner.Id)).Succeeded);
        var started = rig.Env.Time.GetUtcNow();
        await rig.DispatchAsync();
        var before = (await rig.InboxAsync(rig.Env.LatvianBroker)).Count(n => n.Kind == "check-in");

        var counts = new List<int>();
        foreach (var months in new[] { 3, 6, 9, 12 })
        {
            rig.Env.Time.SetUtcNow(started.AddMonths(months).AddMinutes(-1));
            await rig.DispatchAsync();
            var early = (await rig.InboxAsync(rig.Env.LatvianBroker)).Count(n => n.Kind == "check-in");
            rig.Env.Time.SetUtcNow(started.AddMonths(months));
            await rig.DispatchAsync();
            var onTime = (await rig.InboxAsync(rig.Env.LatvianBroker)).Count(n => n.Kind == "check-in");
            Assert.Equal(early + 1, onTime);
            counts.Add(onTime);
        }

        Assert.Equal(0, before);
        Assert.Equal([1, 2, 3, 4], counts);
    }

    [SkippableFact]
    public async Task Hold_pauses_reminders_and_resume_shifts_them_by_the_time_on_hold()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        var c = await rig.Env.OpenCaseAsync();
        rig.Env.Time.Advance(TimeSpan.FromDays(1));
        var held = await rig.Env.Service.ApplyCaseActionAsync(c.Id, c.Version, "hold", "Waiting for the owner", rig.Env.LatvianBroker);
        Assert.True(held.Succeeded, held.Message);

        rig.Env.Time.Advance(TimeSpan.FromDays(9)); // day 10: the day-3 reminder would long have fired
        Assert.Equal(0, await rig.DispatchAsync());
        var resumed = await rig.Env.Service.ApplyCaseActionAsync(c.Id, held.Case!.Version, "resume", null, rig.Env.LatvianBroker);
        Assert.True(resumed.Succeeded, resumed.Message);

        rig.Env.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1)); // just before day 3 + 9 days on hold
        Assert.Equal(0, await rig.DispatchAsync());
        rig.Env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await rig.DispatchAsync());
        Assert.Single(await rig.InboxAsync(rig.Env.Coordinator));
    }

    [SkippableFact]
    public async Task A_delivery_interrupted_before_its_write_notifies_nobody_and_comes_back_after_the_claim_runs_out()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        await rig.Env.OpenCaseAsync();
        var crashes = 0;
        rig.Delivery.Checkpoint = (step, _) => step == DeliveryStep.Notified && crashes++ == 0 ? throw new InvalidOperationException("simulated crash") : Task.CompletedTask;
        rig.Env.Time.Advance(TimeSpan.FromDays(3));

        Assert.Equal(1, await rig.DispatchAsync());
        Assert.Empty(rig.Results); // crashed between the claim and the write: the row is still claimed
        Assert.Empty(await rig.InboxAsync(rig.Env.Coordinator)); // notices and the row's mark are written together, or not at all
        Assert.Equal(0, await rig.DispatchAsync()); // and not claimable while the claim lasts
        rig.Env.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await rig.DispatchAsync());

        var delivered = Assert.Single(rig.Results);
        Assert.Equal(DeliveryOutcome.Delivered, delivered.Outcome);
        Assert.Equal(1, delivered.NewlyNotified);
        Assert.Single(await rig.InboxAsync(rig.Env.Coordinator));
        Assert.Equal(0, await rig.DispatchAsync());
    }

    [SkippableFact]
    public async Task Reminders_survive_losing_the_in_memory_job_storage()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        await rig.Env.OpenCaseAsync();
        rig.Env.Time.Advance(TimeSpan.FromDays(6)); // reminder (day 3) and due (day 5) are both overdue
        var lost = new LostQueue();

        Assert.Equal(2, await rig.Dispatcher().DispatchAsync(lost, "server-before-restart"));
        Assert.Equal(2, lost.Accepted);
        rig.Env.Time.Advance(TimeSpan.FromMinutes(11)); // after the restart the claims have expired
        Assert.Equal(2, await rig.DispatchAsync("server-after-restart"));
        Assert.Equal(0, await rig.DispatchAsync("server-after-restart"));

        Assert.Single(await rig.InboxAsync(rig.Env.Coordinator));
        Assert.Single(await rig.InboxAsync(rig.Env.LatvianBroker));
    }

    [SkippableFact]
    public async Task Two_dispatchers_over_a_thousand_due_reminders_deliver_each_exactly_once()
    {
        fixture.EnsureAvailable();
        var rig = new Rig(await CaseEnvironment.CreateAsync(fixture));
        var c = await rig.Env.OpenCaseAsync();
        var step = (await rig.Env.DetailsAsync(c.Id)).Steps.Single();
        await DueReminders.SeedAsync(fixture.Factory, c.Id, step.Id, step.StepKey, 1000, rig.Env.Time.GetUtcNow(), TimeSpan.FromMinutes(1));

        var dispatchers = new[] { "server-a", "server-b" }.Select(worker => Task.Run(() =>
            new ReminderDispatcher(rig.Reminders, rig.Env.Time) { BatchSize = 50 }.DispatchAsync(new InlineQueue(rig), worker)));
        var handed = await Task.WhenAll(dispatchers);

        Assert.Equal(1000, handed.Sum());
        Assert.Equal(1000, rig.Results.Count(r => r.Outcome == DeliveryOutcome.Delivered));
        Assert.Equal(1000, rig.Results.Sum(r => r.NewlyNotified));
        await using var check = await fixture.Factory.OpenAsync();
        Assert.Equal(1000, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE case_id = @id", new { id = c.Id }));
        Assert.Equal(1000, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE case_id = @id AND status = 'sent'", new { id = c.Id }));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteReminderTests(SqliteFixture fixture) : ReminderTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReminderTests(PostgresFixture fixture) : ReminderTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerReminderTests(SqlServerFixture fixture) : ReminderTests(fixture);
