using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// Absences and deputies through the handlers, on each database (the clock starts on 12 January 2026): every refusal
/// names its field in words; ending early and deleting; the administration log; reminders reach the deputy only while
/// the absence is current at delivery, once each; the deputy's "My work" lists what waits for the absent broker.
/// </summary>
public abstract class AbsenceHandlerTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record People(CaseEnvironment Env, UserAccount Anna, UserAccount Janis, UserAccount Administrator);

    /// <summary>Anna Berg (the test's Latvian broker, LV008), Jānis Kalns (another broker of LV008) and an administrator.</summary>
    private static async Task<People> PeopleAsync(DatabaseFixture fixture)
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE users SET display_name = 'Anna Berg' WHERE id = @id", new { id = env.LatvianBroker.UserId });
        }

        var janis = await env.UserAsync("janis.kalns@test.example", Roles.Broker, "LV008");
        var admin = await env.UserAsync("admin@test.example", Roles.Administrator, null);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE users SET display_name = 'Jānis Kalns' WHERE id = @id", new { id = janis.UserId });
        }

        return new People(env, (await env.Users.FindByIdAsync(env.LatvianBroker.UserId))!, (await env.Users.FindByIdAsync(janis.UserId))!, (await env.Users.FindByIdAsync(admin.UserId))!);
    }

    private static Task<CaseCommandResult> RecordAsync(People p, string? from, string? to, Guid? deputy, Actor? actor = null, Guid? user = null) =>
        p.Env.Service.Handler<RecordAbsence>().HandleAsync(new RecordAbsence.Request(user ?? p.Anna.Id, from, to, deputy), actor ?? p.Anna.AsActor());

    private static string? Error(CaseCommandResult result, string field) => result.FieldErrors.FirstOrDefault(e => e.Field == field)?.Message;

    [SkippableFact]
    public async Task Every_refusal_names_its_field_and_saves_nothing()
    {
        var p = await PeopleAsync(fixture);
        var env = p.Env;
        var coordinator = await env.Users.FindByIdAsync(env.Coordinator.UserId);
        var german = await env.Users.FindByIdAsync(env.GermanBroker.UserId);

        Assert.Equal("Enter the first day of the absence.", Error(await RecordAsync(p, "", "2026-01-20", p.Janis.Id), "StartsOn"));
        Assert.Equal("The last day '20.01.2026' is not a date: write it as year-month-day, such as 2027-03-12.", Error(await RecordAsync(p, "2026-01-13", "20.01.2026", p.Janis.Id), "EndsOn"));
        Assert.Equal("The last day (13 January 2026) is before the first day (20 January 2026): the last day is the first day or later.",
            Error(await RecordAsync(p, "2026-01-20", "2026-01-13", p.Janis.Id), "EndsOn"));
        Assert.Equal("The period 2 January 2026 to 9 January 2026 is in the past: an absence is recorded for today or later.",
            Error(await RecordAsync(p, "2026-01-02", "2026-01-09", p.Janis.Id), "EndsOn"));
        Assert.Equal("The first day (11 January 2026) has passed: an absence starts today (12 January 2026) or later.",
            Error(await RecordAsync(p, "2026-01-11", "2026-01-20", p.Janis.Id), "StartsOn"));
        Assert.Equal("The period has 400 days: an absence is at most 366 days; record a longer one in parts.",
            Error(await RecordAsync(p, "2026-01-12", "2027-02-15", p.Janis.Id), "EndsOn"));
        Assert.Equal("Choose a deputy: the person who takes over the work while you are away.", Error(await RecordAsync(p, "2026-01-13", "2026-01-20", null), "DeputyUserId"));
        Assert.Equal("Anna Berg cannot deputise for themselves: choose someone else.", Error(await RecordAsync(p, "2026-01-13", "2026-01-20", p.Anna.Id), "DeputyUserId"));
        Assert.Equal($"{coordinator!.DisplayName} is Partner coordinator: the deputy of Anna Berg must be Innovation broker too.",
            Error(await RecordAsync(p, "2026-01-13", "2026-01-20", coordinator.Id), "DeputyUserId"));
        Assert.Equal($"{german!.DisplayName} covers none of Anna Berg's regions (Vidzeme (LV008)): choose someone who covers at least one.",
            Error(await RecordAsync(p, "2026-01-13", "2026-01-20", german.Id), "DeputyUserId"));

        // Jānis is away himself for the whole period: refused; for part of it: accepted, and the answer says so.
        Assert.True((await RecordAsync(p, "2026-01-13", "2026-01-16", p.Anna.Id, p.Janis.AsActor(), p.Janis.Id)).Succeeded);
        Assert.Equal("Jānis Kalns is absent for the whole period (13 January 2026 to 16 January 2026): choose another deputy.",
            Error(await RecordAsync(p, "2026-01-14", "2026-01-15", p.Janis.Id), "DeputyUserId"));
        var partly = await RecordAsync(p, "2026-01-15", "2026-01-20", p.Janis.Id);
        Assert.True(partly.Succeeded, partly.Message);
        Assert.Equal("Absence recorded: Anna Berg is away 15 January 2026 to 20 January 2026; Jānis Kalns deputises and receives Anna Berg's reminders and escalations as well."
            + " Note: Jānis Kalns is absent too (13 January 2026 to 16 January 2026); on those days nobody deputises.", partly.Message);

        Assert.Equal("Anna Berg is already absent 15 January 2026 to 20 January 2026, which overlaps this period: end or delete that absence first, or choose other days.",
            Error(await RecordAsync(p, "2026-01-20", "2026-01-25", p.Janis.Id), "StartsOn"));

        await using var c = await fixture.Factory.OpenAsync();
        await c.ExecuteAsync("UPDATE users SET is_active = @no WHERE id = @id", new { id = p.Janis.Id, no = false });
        Assert.Equal("Jānis Kalns is deactivated: choose an active user.", Error(await RecordAsync(p, "2026-02-01", "2026-02-05", p.Janis.Id), "DeputyUserId"));

        // Someone else's absence: only the user or an administrator.
        Assert.Equal(CaseCommandStatus.Forbidden, (await RecordAsync(p, "2026-02-01", "2026-02-05", p.Janis.Id, env.Coordinator)).Status);
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM user_absences"));
    }

    [SkippableFact]
    public async Task An_administrator_records_ends_and_deletes_absences_and_each_change_is_logged()
    {
        var p = await PeopleAsync(fixture);
        var admin = p.Administrator.AsActor();
        Assert.True((await RecordAsync(p, "2026-01-12", "2026-01-23", p.Janis.Id, admin)).Succeeded);
        p.Env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await RecordAsync(p, "2026-02-02", "2026-02-06", p.Janis.Id, admin)).Succeeded);
        var absences = await p.Env.Service.Handler<GetAbsences>().HandleAsync(new GetAbsences.Request(p.Anna.Id), admin);
        Assert.Equal(["Jānis Kalns (Vidzeme (LV008))"], absences!.Deputies.Select(d => d.Label));
        Assert.Equal(new DateOnly(2026, 1, 23), absences.Current!.EndsOn);
        var deputy = await p.Env.Service.Handler<GetAbsences>().HandleAsync(new GetAbsences.Request(p.Janis.Id), p.Janis.AsActor());
        Assert.Equal("Anna Berg", Assert.Single(deputy!.DeputisingNow).UserName);
        Assert.Null(await p.Env.Service.Handler<GetAbsences>().HandleAsync(new GetAbsences.Request(p.Anna.Id), p.Janis.AsActor())); // not his to see

        // Two days later Anna is back: the current one ends yesterday; the future one is deleted; a stale page is told.
        p.Env.Time.Advance(TimeSpan.FromDays(2));
        var end = p.Env.Service.Handler<EndAbsence>();
        var current = absences.Absences[0];
        var future = absences.Absences[1];
        var ended = await end.HandleAsync(new EndAbsence.Request(current.Id, current.EndsOn), admin);
        Assert.Equal("The absence now ends on 13 January 2026: Anna Berg is back from today and Jānis Kalns no longer deputises.", ended.Message);
        Assert.Equal(CaseCommandStatus.Conflict, (await end.HandleAsync(new EndAbsence.Request(current.Id, current.EndsOn), admin)).Status);
        p.Env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("The absence 2 February 2026 to 6 February 2026 is deleted; Jānis Kalns does not deputise for Anna Berg then.",
            (await end.HandleAsync(new EndAbsence.Request(future.Id, future.EndsOn), p.Anna.AsActor())).Message);
        Assert.Equal(CaseCommandStatus.Forbidden, (await end.HandleAsync(new EndAbsence.Request(current.Id, new DateOnly(2026, 1, 13)), p.Janis.AsActor())).Status);

        await using var c = await fixture.Factory.OpenAsync();
        var log = (await c.QueryAsync<(string Action, string Details, Guid ActorId, Guid SubjectUserId)>(
            "SELECT action AS Action, details AS Details, actor_id AS ActorId, subject_user_id AS SubjectUserId FROM administration_log WHERE action LIKE 'absence-%' ORDER BY occurred_at, id")).ToList();
        Assert.Equal(
            [
                ("absence-recorded", "Absence of Anna Berg recorded: 12 January 2026 to 23 January 2026, deputy Jānis Kalns.", p.Administrator.Id, p.Anna.Id),
                ("absence-recorded", "Absence of Anna Berg recorded: 2 February 2026 to 6 February 2026, deputy Jānis Kalns.", p.Administrator.Id, p.Anna.Id),
                ("absence-ended", "Absence of Anna Berg ended early: 12 January 2026 to 23 January 2026 now ends on 13 January 2026; Jānis Kalns no longer deputises.", p.Administrator.Id, p.Anna.Id),
                ("absence-deleted", "Absence of Anna Berg deleted: 2 February 2026 to 6 February 2026, deputy Jānis Kalns.", p.Anna.Id, p.Anna.Id),
            ],
            log);
    }

    [SkippableFact]
    public async Task Reminders_reach_the_deputy_only_while_the_absence_is_current_at_delivery_and_once_each()
    {
        var p = await PeopleAsync(fixture);
        var env = p.Env;
        var cases = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var id = (await env.OpenCaseAsync()).Id;
            Assert.True((await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
            Assert.True((await env.CompleteTowardsAsync(id, "needs-assessment")).Succeeded);
            cases.Add(id);
        }

        // Recorded after the reminders were scheduled: the absence is read when they are delivered.
        Assert.True((await RecordAsync(p, "2026-01-15", "2026-01-20", p.Janis.Id)).Succeeded);
        var reminders = new ReminderStore(fixture.Factory);
        var notifications = new NotificationStore(fixture.Factory);
        var delivery = env.Service.Handler<ReminderDelivery>();
        var results = new System.Collections.Concurrent.ConcurrentBag<DeliveryResult>();

        // Day 7 (19 January): two dispatchers at once; Anna and Jānis each get each case's reminder once.
        env.Time.Advance(TimeSpan.FromDays(7));
        var handed = await Task.WhenAll(new[] { "server-a", "server-b" }.Select(worker => Task.Run(() =>
            new ReminderDispatcher(reminders, env.Time) { BatchSize = 1 }.DispatchAsync(new Inline(delivery, results), worker))));
        Assert.Equal(4, handed.Sum());
        var annas = (await notifications.ListForUserAsync(p.Anna.Id, false, 100)).Where(n => n.Kind == "reminder").ToList();
        var janis = (await notifications.ListForUserAsync(p.Janis.Id, false, 100)).Where(n => n.Kind == "reminder").ToList();
        Assert.Equal(4, annas.Count);
        Assert.Equal(4, janis.Count);
        Assert.All(annas, n => Assert.DoesNotContain("deputising", n.Title, StringComparison.Ordinal));
        Assert.All(janis, n => Assert.EndsWith("(deputising for Anna Berg, absent until 20 January 2026)", n.Title, StringComparison.Ordinal));
        Assert.All(janis, n => Assert.StartsWith("You are deputising for Anna Berg, absent until 20 January 2026. ", n.Body, StringComparison.Ordinal));
        Assert.Equal(cases.Order(), janis.Select(n => n.CaseId!.Value).Order());

        // Day 10 (22 January), after the absence: the due notices reach Anna alone.
        env.Time.Advance(TimeSpan.FromDays(3));
        await new ReminderDispatcher(reminders, env.Time).DispatchAsync(new Inline(delivery, results), "server-a");
        Assert.Equal(4, (await notifications.ListForUserAsync(p.Anna.Id, false, 100)).Count(n => n.Kind == "due"));
        Assert.DoesNotContain(await notifications.ListForUserAsync(p.Janis.Id, false, 100), n => n.Kind == "due");
    }

    [SkippableFact]
    public async Task A_deputy_deactivated_since_the_absence_was_recorded_is_not_told()
    {
        var p = await PeopleAsync(fixture);
        var env = p.Env;
        var id = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.CompleteTowardsAsync(id, "needs-assessment")).Succeeded);
        Assert.True((await RecordAsync(p, "2026-01-12", "2026-01-25", p.Janis.Id)).Succeeded);
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE users SET is_active = @no WHERE id = @id", new { id = p.Janis.Id, no = false });
        }

        env.Time.Advance(TimeSpan.FromDays(7));
        var notifications = new NotificationStore(fixture.Factory);
        var results = new System.Collections.Concurrent.ConcurrentBag<DeliveryResult>();
        Assert.Equal(1, await new ReminderDispatcher(new ReminderStore(fixture.Factory), env.Time).DispatchAsync(new Inline(env.Service.Handler<ReminderDelivery>(), results), "server-a"));
        Assert.Equal(1, Assert.Single(results).NewlyNotified);
        Assert.Single(await notifications.ListForUserAsync(p.Anna.Id, false, 100), n => n.Kind == "reminder");
        Assert.Empty(await notifications.ListForUserAsync(p.Janis.Id, false, 100));
    }

    [SkippableFact]
    public async Task My_work_shows_the_deputy_what_waits_for_the_absent_broker_and_nothing_once_it_is_over()
    {
        var p = await PeopleAsync(fixture);
        var env = p.Env;
        var opened = await env.OpenCaseAsync();
        Assert.True((await RecordAsync(p, "2026-01-12", "2026-01-14", p.Janis.Id)).Succeeded);
        var myDeputising = env.Service.Handler<MyDeputising>();

        var deputising = Assert.Single(await myDeputising.HandleAsync(p.Janis.AsActor()));
        Assert.Equal("Anna Berg", deputising.UserName);
        Assert.Equal("14 January 2026", deputising.UntilText);
        var item = Assert.Single(deputising.Items);
        Assert.Equal(opened.Id, item.CaseId);
        Assert.True(item.MayOpen);
        Assert.Empty(await myDeputising.HandleAsync(p.Anna.AsActor()));

        env.Time.Advance(TimeSpan.FromDays(3));
        Assert.Empty(await myDeputising.HandleAsync(p.Janis.AsActor()));
    }

    private sealed class Inline(ReminderDelivery delivery, System.Collections.Concurrent.ConcurrentBag<DeliveryResult> results) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) =>
            results.Add(await delivery.DeliverAsync(reminderId, cancellationToken));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAbsenceHandlerTests(SqliteFixture fixture) : AbsenceHandlerTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAbsenceHandlerTests(PostgresFixture fixture) : AbsenceHandlerTests(fixture);
