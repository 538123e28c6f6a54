using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Timers and reminders of partner tracks at runtime, on a real database with a fake clock (the dispatcher's method run
/// directly): "no answer" after 20 business days on the calendar of the partner's country, taken by the system and
/// settling the join; a partner's answer cancels it; a broker and the timer at the same moment give one result;
/// reminders go to the brokers of the partner's region; a join that became true while on hold fires on resume.
/// </summary>
public abstract class TrackTimerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    /// <summary>
    /// The shared test definition of tracks (a "no answer" timer after 20 business days in 'Contacted'), with a reminder
    /// timer after 5 business days before it and the case actions hold and resume.
    /// </summary>
    private static string Yaml()
    {
        const string NoAnswer = "- { after: P20BD, action: outcome, outcome: no-answer }";
        var yaml = TrackDefinition.Yaml();
        var at = yaml.IndexOf(NoAnswer, StringComparison.Ordinal);
        var indent = at - yaml.LastIndexOf('\n', at) - 1;
        return yaml.Insert(at, "- { after: P5BD, action: remind }\n" + new string(' ', indent)) + """

            case-actions:
              - { key: hold, label: Put on hold, kind: hold, roles: [broker] }
              - { key: resume, label: Resume, kind: resume, roles: [broker] }
            """;
    }

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record World(CaseEnvironment Env, Company LithuanianPartner, Company FinnishPartner, Actor LithuanianBroker, Actor FinnishBroker)
    {
        public IReminderStore Reminders => Env.Service.Handler<IReminderStore>();

        public TakeTrackOutcome Take => Env.Service.Handler<TakeTrackOutcome>();

        public Task<int> DispatchAsync() =>
            new ReminderDispatcher(Reminders, Env.Time).DispatchAsync(new Inline(Env.Service.Handler<ReminderDelivery>()), "test");

        public Task<Guid> CaseInExpressionsAsync(Company first) => TrackSteps.CaseInExpressionsAsync(Env, TrackDefinition.Key, first);

        public Task ShortlistAsync(Guid caseId, Company partner) => TrackSteps.ShortlistAsync(Env, caseId, partner);

        public Task<CaseTrackRecord> TrackOfAsync(Guid caseId, Company partner) => TrackSteps.TrackOfAsync(Env, caseId, partner);

        public async Task<ReminderRecord> NoAnswerRowAsync(Guid caseId, Company partner)
        {
            var track = await TrackOfAsync(caseId, partner);
            return (await Env.DetailsAsync(caseId)).Reminders.Single(r => r.CaseTrackId == track.Id && r.NoticeKey.EndsWith("timer-2", StringComparison.Ordinal));
        }

        public Task<CaseCommandResult> TakeAsync(Guid caseId, Company partner, string outcome, Actor actor) => TrackSteps.TakeAsync(Env, caseId, partner, outcome, actor);

        public async Task<IReadOnlyList<NotificationRecord>> InboxAsync(Actor user) =>
            await Env.Service.Handler<INotificationStore>().ListForUserAsync(user.UserId, false, 1000);
    }

    private sealed class Inline(ReminderDelivery delivery) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) => await delivery.DeliverAsync(reminderId, cancellationToken);
    }

    private async Task<World> WorldAsync()
    {
        var env = await CaseEnvironment.CreateAsync(fixture);
        await TrackSteps.ImportAsync(env, TrackDefinition.Key, Yaml());
        var lithuanian = await env.CompanyAsync("Vilnius Laser Works", "LT", "LT01");
        var finnish = await env.CompanyAsync("Kouvola Logistics Lab", "FI", "FI1C4");
        var lithuanianBroker = await env.UserAsync("broker.lt01@test.example", Roles.Broker, "LT01");
        var finnishBroker = await env.UserAsync("broker.fi1c4@test.example", Roles.Broker, "FI1C4");
        return new World(env, lithuanian, finnish, lithuanianBroker, finnishBroker);
    }

    private static IReadOnlyList<CaseEventRecord> ByTimer(CaseDetails d) =>
        [.. d.Events.Where(e => e.Kind == CaseEventKinds.TrackMoved && e.Data.Contains(CaseTimers.ActorName, StringComparison.Ordinal))];

    [SkippableFact]
    public async Task No_answer_after_twenty_business_days_on_the_partners_calendar_ends_the_track_as_the_system_and_the_join_fires()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        w.Env.Time.Advance(TimeSpan.FromDays(21)); // Monday 2 February 2026, 09:00 UTC
        var id = await w.CaseInExpressionsAsync(w.LithuanianPartner);
        var row = await w.NoAnswerRowAsync(id, w.LithuanianPartner);
        // 20 business days in Lithuania skip 16 February (Restoration of the State Day), a working day in Latvia.
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), row.DueAt);

        w.Env.Time.Advance(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero) - w.Env.Time.GetUtcNow()); // day 20 in Latvia, day 19 in Lithuania
        await w.DispatchAsync();
        var waiting = await w.TrackOfAsync(id, w.LithuanianPartner);
        Assert.Equal(("contacted", TrackStatus.Open), (waiting.State, waiting.Status));
        Assert.Equal("expressions", (await w.Env.DetailsAsync(id)).Case.CurrentStep);

        w.Env.Time.Advance(TimeSpan.FromDays(1));
        await w.DispatchAsync();

        var d = await w.Env.DetailsAsync(id);
        var track = await w.TrackOfAsync(id, w.LithuanianPartner);
        Assert.Equal(("no-answer", TrackStatus.Ended), (track.State, track.Status));
        Assert.Equal(PipelineStatus.Declined, d.Participants.Single(p => p.CompanyId == w.LithuanianPartner.Id).PipelineStatus);
        var evt = Assert.Single(ByTimer(d));
        Assert.Null(evt.ActorUserId);
        Assert.Equal(ReminderStatus.Sent, (await w.Reminders.GetAsync(row.Id))!.Status);
        Assert.Equal("matching", d.Case.CurrentStep); // the last open track ended: "tracks.open == 0" takes "Back to matching"
        Assert.Single(d.Events, e => e.Kind == CaseEventKinds.TracksJoined);
        Assert.Equal("back-to-matching", d.Steps.First(s => s.StepKey == "expressions").Outcome);
        Assert.True((await w.Env.Service.Audit.HandleAsync(new(id), w.Env.Coordinator))!.IsIntact);
        var timeline = await w.Env.Service.Handler<CaseTimeline>().DescribeAsync(d, w.Env.LatvianBroker, new Dictionary<Guid, string>());
        var moved = Assert.Single(timeline, v => v.Title == "Partner track moved on");
        Assert.Equal(CaseTimers.ActorName, moved.ActorName);
        Assert.Equal("Vilnius Laser Works: No answer after 20 business days — Contacted → No answer.", Assert.Single(moved.Details));

        await w.DispatchAsync(); // nothing more happens
        Assert.Single(ByTimer(await w.Env.DetailsAsync(id)));
    }

    [SkippableFact]
    public async Task A_partners_answer_before_the_timer_cancels_it_in_the_same_transaction()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
        var row = await w.NoAnswerRowAsync(id, w.Env.GermanPartner);

        var answered = await w.TakeAsync(id, w.Env.GermanPartner, "interested", w.Env.GermanBroker);

        Assert.True(answered.Succeeded, answered.Message);
        Assert.Equal(ReminderStatus.Cancelled, (await w.Reminders.GetAsync(row.Id))!.Status);
        w.Env.Time.Advance(TimeSpan.FromDays(60));
        await w.DispatchAsync();
        var d = await w.Env.DetailsAsync(id);
        Assert.Equal("interested", (await w.TrackOfAsync(id, w.Env.GermanPartner)).State);
        Assert.Empty(ByTimer(d));
        Assert.Equal("expressions", d.Case.CurrentStep);
    }

    [SkippableFact]
    public async Task A_partner_brokers_answer_and_the_no_answer_timer_at_the_same_moment_give_exactly_one_result()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var brokerWon = 0;
        var timerWon = 0;
        for (var round = 0; round < 6; round++)
        {
            var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
            var row = await w.NoAnswerRowAsync(id, w.Env.GermanPartner);
            w.Env.Time.Advance(row.DueAt - w.Env.Time.GetUtcNow());
            var track = await w.TrackOfAsync(id, w.Env.GermanPartner);
            using var start = new Barrier(2);

            var broker = Task.Run(() =>
            {
                start.SignalAndWait();
                return w.Take.HandleAsync(new TakeTrackOutcome.Request(id, track.Id, track.Version, "declined"), w.Env.GermanBroker);
            });
            var timer = Task.Run(() =>
            {
                start.SignalAndWait();
                return w.Env.Service.Handler<RunTimer>().HandleAsync(row.Id);
            });
            var (byBroker, byTimer) = (await broker, await timer);

            var d = await w.Env.DetailsAsync(id);
            Assert.Single(d.Events, e => e.Kind == CaseEventKinds.TrackMoved);
            Assert.Single(d.Events, e => e.Kind == CaseEventKinds.TracksJoined);
            Assert.Equal("matching", d.Case.CurrentStep);
            Assert.True(AuditChain.Verify(d.Case, d.Events).IsIntact);
            var ended = await w.TrackOfAsync(id, w.Env.GermanPartner);
            if (byBroker.Status == CaseCommandStatus.Done)
            {
                brokerWon++;
                Assert.NotEqual(TimerRunOutcome.Acted, byTimer.Outcome);
                Assert.Equal("declined", ended.State);
                Assert.Equal(ReminderStatus.Cancelled, (await w.Reminders.GetAsync(row.Id))!.Status);
            }
            else
            {
                timerWon++;
                Assert.Equal(TimerRunOutcome.Acted, byTimer.Outcome);
                Assert.Equal((CaseCommandStatus.Conflict, TakeTrackOutcome.TrackConflict), (byBroker.Status, byBroker.Message));
                Assert.Equal("no-answer", ended.State);
                Assert.Equal(ReminderStatus.Sent, (await w.Reminders.GetAsync(row.Id))!.Status);
            }
        }

        Assert.Equal(6, brokerWon + timerWon);
    }

    [SkippableFact]
    public async Task Track_notices_go_to_the_brokers_of_the_partners_region_and_not_to_the_lead_regions_broker()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
        await w.ShortlistAsync(id, w.FinnishPartner); // shortlisted while the step runs: told once, by the shortlisting
        var finnishTrack = await w.TrackOfAsync(id, w.FinnishPartner);
        Assert.DoesNotContain((await w.Env.DetailsAsync(id)).Reminders, r => r.CaseTrackId == finnishTrack.Id && r.Kind == TrackNotices.Contacted);

        w.Env.Time.Advance(TimeSpan.FromDays(7)); // past the reminder timer after 5 business days
        await w.DispatchAsync();

        var german = await w.InboxAsync(w.Env.GermanBroker);
        var contacted = Assert.Single(german, n => n.Kind == TrackNotices.Contacted);
        Assert.Contains("wants the answer of Hamburg Maritime Analytics", contacted.Body, StringComparison.Ordinal);
        var reminder = Assert.Single(german, n => n.Kind == CaseSteps.TimerKind);
        Assert.Contains("the track of Hamburg Maritime Analytics in 'Expressions of interest' is still contacted after 5 business days", reminder.Body, StringComparison.Ordinal);
        var finnish = await w.InboxAsync(w.FinnishBroker);
        Assert.Single(finnish, n => n.Kind == NotificationKinds.PartnerShortlisted);
        Assert.DoesNotContain(finnish, n => n.Kind == TrackNotices.Contacted);
        Assert.All(finnish.Where(n => n.Kind == CaseSteps.TimerKind), n => Assert.Contains("Kouvola Logistics Lab", n.Body, StringComparison.Ordinal));
        Assert.DoesNotContain(await w.InboxAsync(w.Env.LatvianBroker), n => n.Kind is CaseSteps.TimerKind or TrackNotices.Contacted);
    }

    [SkippableFact]
    public async Task Track_notices_and_reminders_reach_a_broker_whose_second_region_is_the_partners()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var danish = await w.Env.UserAsync("broker.dk03@test.example", Roles.Broker, "DK03");
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "INSERT INTO user_regions (user_id, region_code) VALUES (@id, 'DE60')", new { id = danish.UserId });
        }

        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
        w.Env.Time.Advance(TimeSpan.FromDays(7)); // past the reminder timer after 5 business days
        await w.DispatchAsync();

        var inbox = await w.InboxAsync(danish);
        var contacted = Assert.Single(inbox, n => n.Kind == TrackNotices.Contacted);
        Assert.Contains("wants the answer of Hamburg Maritime Analytics", contacted.Body, StringComparison.Ordinal);
        var reminder = Assert.Single(inbox, n => n.Kind == CaseSteps.TimerKind);
        Assert.Contains("the track of Hamburg Maritime Analytics in 'Expressions of interest' is still contacted after 5 business days", reminder.Body, StringComparison.Ordinal);
        Assert.Single(await w.InboxAsync(w.Env.GermanBroker), n => n.Kind == CaseSteps.TimerKind); // the home broker of DE60 still gets it
        Assert.Empty(await w.InboxAsync(w.FinnishBroker));
        var covering = (await w.Env.Users.FindByIdAsync(danish.UserId))!.AsActor();
        Assert.Equal(["DK03", "DE60"], covering.Regions);
        var tracks = await w.Env.Service.Handler<GetCaseTracks>().HandleAsync(new GetCaseTracks.Request(id), covering);
        Assert.True(tracks.Found); // reads the case of their second region's partner and may move its track
        Assert.NotEmpty(Assert.Single(tracks.Tracks, t => t.CompanyName == "Hamburg Maritime Analytics").Outcomes);
        Assert.False((await w.Env.Service.Handler<GetCaseTracks>().HandleAsync(new GetCaseTracks.Request(id), danish with { Regions = ["DK03"] })).Found);
    }

    [SkippableFact]
    public async Task A_track_timer_waits_while_the_case_is_on_hold_and_moves_by_the_time_held()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
        var row = await w.NoAnswerRowAsync(id, w.Env.GermanPartner);
        var held = await w.Env.Service.ApplyCaseActionAsync(id, (await w.Env.DetailsAsync(id)).Case.Version, "hold", null, w.Env.LatvianBroker);
        Assert.True(held.Succeeded, held.Message);
        Assert.Equal(ReminderStatus.Paused, (await w.Reminders.GetAsync(row.Id))!.Status);

        w.Env.Time.Advance(TimeSpan.FromDays(10));
        var resumed = await w.Env.Service.ApplyCaseActionAsync(id, (await w.Env.DetailsAsync(id)).Case.Version, "resume", null, w.Env.LatvianBroker);
        Assert.True(resumed.Succeeded, resumed.Message);

        var moved = (await w.Reminders.GetAsync(row.Id))!;
        Assert.Equal((ReminderStatus.Pending, row.DueAt + TimeSpan.FromDays(10)), (moved.Status, moved.DueAt));
        w.Env.Time.Advance(row.DueAt - w.Env.Time.GetUtcNow() + TimeSpan.FromDays(1)); // the first due date has passed, the moved one not
        await w.DispatchAsync();
        Assert.Equal("contacted", (await w.TrackOfAsync(id, w.Env.GermanPartner)).State);
    }

    [SkippableFact]
    public async Task Resuming_the_case_fires_a_join_that_became_true_while_it_was_on_hold()
    {
        fixture.EnsureAvailable();
        var w = await WorldAsync();
        var id = await w.CaseInExpressionsAsync(w.Env.GermanPartner);
        var held = await w.Env.Service.ApplyCaseActionAsync(id, (await w.Env.DetailsAsync(id)).Case.Version, "hold", null, w.Env.LatvianBroker);
        Assert.True(held.Succeeded, held.Message);

        var declined = await w.TakeAsync(id, w.Env.GermanPartner, "declined", w.Env.GermanBroker);
        Assert.True(declined.Succeeded, declined.Message);
        var onHold = await w.Env.DetailsAsync(id);
        Assert.Equal(("expressions", CaseStatus.OnHold), (onHold.Case.CurrentStep, onHold.Case.Status));
        Assert.DoesNotContain(onHold.Events, e => e.Kind == CaseEventKinds.TracksJoined);

        var resumed = await w.Env.Service.ApplyCaseActionAsync(id, onHold.Case.Version, "resume", null, w.Env.LatvianBroker);

        Assert.True(resumed.Succeeded, resumed.Message);
        var d = await w.Env.DetailsAsync(id);
        Assert.Equal("matching", d.Case.CurrentStep);
        Assert.Equal(d.Case.Version, resumed.Case!.Version);
        Assert.Single(d.Events, e => e.Kind == CaseEventKinds.TracksJoined);
        Assert.Equal("back-to-matching", d.Steps.First(s => s.StepKey == "expressions").Outcome);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrackTimerTests(SqliteFixture fixture) : TrackTimerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrackTimerTests(PostgresFixture fixture) : TrackTimerTests(fixture);
