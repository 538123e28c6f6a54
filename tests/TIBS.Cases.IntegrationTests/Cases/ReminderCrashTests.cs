using System.Collections.Concurrent;
using Dapper;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// A dispatcher run is interrupted between each pair of steps of delivery (claim, notify, mark, claim the mail, send,
/// confirm) — by an exception, or by a run that simply never continues, as a killed process — and the next run after
/// the lease finishes the work: every notice in-app exactly once, every e-mail sent at least once, repeats only with
/// the same message id. Time is a fake clock; nothing waits.
/// </summary>
public abstract class ReminderCrashTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private const int Rows = 6;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public enum Crash
    {
        /// <summary>The step throws: the run records the failure and carries on with the other rows.</summary>
        Throws,

        /// <summary>The run stops at the step and never continues (a killed process).</summary>
        Hangs,
    }

    public static TheoryData<DeliveryStep, Crash> Interruptions()
    {
        var data = new TheoryData<DeliveryStep, Crash>();
        foreach (var step in Enum.GetValues<DeliveryStep>())
        {
            data.Add(step, Crash.Throws);
            data.Add(step, Crash.Hangs);
        }

        return data;
    }

    /// <summary>The pieces of one process: its own delivery, mailer and dispatcher over the shared database and mail server.</summary>
    private sealed class Worker
    {
        public Worker(CaseEnvironment env, RecordingSender mail, int batchSize = 50)
        {
            Reminders = new ReminderStore(env.Fixture.Factory);
            Notifications = new NotificationStore(env.Fixture.Factory);
            Delivery = new ReminderDelivery(Reminders, env.Cases, env.Users, env.Catalog, env.Time);
            Mailer = new NotificationMailer(Notifications, env.Users, mail, env.Time, "https://tibs.example") { Lease = Lease, MessageIdDomain = "tibs.example" };
            Dispatcher = new ReminderDispatcher(Reminders, env.Time) { Lease = Lease, BatchSize = batchSize };
            Cycle = new DispatchCycle(Dispatcher, Delivery, Reminders, Mailer);
        }

        public ReminderStore Reminders { get; }
        public NotificationStore Notifications { get; }
        public ReminderDelivery Delivery { get; }
        public NotificationMailer Mailer { get; }
        public ReminderDispatcher Dispatcher { get; }
        public DispatchCycle Cycle { get; }

        /// <summary>Every step of this worker reports to <paramref name="checkpoint"/>.</summary>
        public Worker With(DeliveryCheckpoint checkpoint)
        {
            Delivery.Checkpoint = checkpoint;
            Mailer.Checkpoint = checkpoint;
            Dispatcher.Checkpoint = checkpoint;
            return this;
        }
    }

    /// <summary>Stands for the SMTP server: keeps every mail it accepted.</summary>
    private sealed class RecordingSender : IEmailSender
    {
        public ConcurrentQueue<EmailMessage> Accepted { get; } = new();

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            Accepted.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Interruptions))]
    public async Task A_run_interrupted_at_any_step_loses_nothing_once_the_lease_has_run_out(DeliveryStep step, Crash crash)
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedDueRemindersAsync(env, Rows);
        var mail = new RecordingSender();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var interrupted = 0;
        var dying = new Worker(env, mail).With((s, _) =>
        {
            if (s != step || Interlocked.Increment(ref interrupted) != 1)
            {
                return Task.CompletedTask;
            }

            reached.TrySetResult();
            return crash == Crash.Throws
                ? throw new InvalidOperationException($"The process died after {s}.")
                : new TaskCompletionSource().Task; // never completes: nothing after this point happens
        });

        var dead = dying.Cycle.RunAsync("worker-that-dies");
        await reached.Task;
        if (crash == Crash.Throws)
        {
            try
            {
                await dead; // a failed delivery or mail is recorded and the run goes on...
            }
            catch (InvalidOperationException)
            {
                // ...a failure in the dispatcher's own loop ends the run
            }
        }

        // A second worker right away takes nothing the dying one still holds...
        var survivor = new Worker(env, mail);
        await survivor.Cycle.RunAsync("survivor");
        // ...and after the lease, everything.
        env.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await survivor.Cycle.RunAsync("survivor");
        env.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await survivor.Cycle.RunAsync("survivor");

        Assert.False(crash == Crash.Hangs && dead.IsCompleted, "the hanging run must stay stopped for the test to mean anything");
        await AssertDeliveredAsync(env, caseId, mail, Rows);
    }

    [SkippableFact]
    public async Task A_dead_dispatcher_holds_its_rows_no_longer_than_its_lease()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedDueRemindersAsync(env, Rows);
        var mail = new RecordingSender();
        var claimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = new Worker(env, mail).With((s, _) =>
        {
            if (s != DeliveryStep.Claimed)
            {
                return Task.CompletedTask;
            }

            claimed.TrySetResult();
            return new TaskCompletionSource().Task;
        });
        _ = dying.Cycle.RunAsync("worker-killed-while-holding-the-batch");
        await claimed.Task;
        var next = new Worker(env, mail);

        env.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        var early = await next.Cycle.RunAsync("next");
        Assert.Equal(0, early.Claimed);
        Assert.Empty(mail.Accepted);

        env.Time.Advance(TimeSpan.FromSeconds(2)); // the dead worker's lease is over
        var after = await next.Cycle.RunAsync("next");
        Assert.Equal(Rows, after.Claimed);
        Assert.Equal(Rows, after.Delivered);
        await AssertDeliveredAsync(env, caseId, mail, Rows);
    }

    [SkippableFact]
    public async Task A_slow_dispatcher_renews_its_claim_so_that_nobody_takes_its_rows_while_it_works()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedDueRemindersAsync(env, Rows);
        var mail = new RecordingSender();
        var competitor = new Worker(env, mail);
        var competitorClaims = new List<int>();
        var slow = new Worker(env, mail).With(async (s, _) =>
        {
            if (s == DeliveryStep.Claimed)
            {
                // Each row takes most of a lease: without renewal the batch would be up for grabs after the second row.
                env.Time.Advance(Lease * 0.6);
                competitorClaims.Add(await competitor.Dispatcher.DispatchAsync(new NoQueue(), "competitor"));
            }
        });

        var summary = await slow.Cycle.RunAsync("slow");

        Assert.Equal(Rows, summary.Claimed);
        Assert.All(competitorClaims, n => Assert.Equal(0, n));
        Assert.Equal(Rows, competitorClaims.Count);
        await AssertDeliveredAsync(env, caseId, mail, Rows);
        Assert.Equal(mail.Accepted.Count, mail.Accepted.Select(m => m.MessageId).Distinct().Count()); // nothing was sent twice
    }

    [SkippableFact]
    public async Task A_digest_interrupted_after_sending_is_sent_again_by_the_sweep_with_the_same_message_id()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedDueRemindersAsync(env, Rows);
        await env.Users.SetEmailDigestAsync(env.Coordinator.UserId, true, env.Time.GetUtcNow());
        var mail = new RecordingSender();
        await new Worker(env, mail).Cycle.RunAsync("dispatcher"); // in-app only: the coordinator takes the digest
        Assert.Empty(mail.Accepted);

        var dying = new Worker(env, mail).With((s, _) => s == DeliveryStep.MailSent ? throw new InvalidOperationException("The process died.") : Task.CompletedTask);
        await Assert.ThrowsAsync<InvalidOperationException>(() => dying.Mailer.SendDigestsAsync());
        var first = Assert.Single(mail.Accepted);
        var survivor = new Worker(env, mail);
        Assert.Equal(0, (await survivor.Cycle.RunAsync("dispatcher")).Mailed); // the digest's claim still runs

        env.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await survivor.Cycle.RunAsync("dispatcher")).Mailed);
        Assert.Equal(2, mail.Accepted.Count);
        Assert.All(mail.Accepted, m => Assert.Equal(first.MessageId, m.MessageId));
        Assert.Equal(0, await survivor.Mailer.SendDigestsAsync());
        Assert.Equal(0, (await survivor.Cycle.RunAsync("dispatcher")).Mailed);
        await AssertDeliveredAsync(env, caseId, mail, Rows, digest: true);
    }

    [SkippableFact]
    public async Task A_mail_server_that_refuses_mail_gets_it_again_after_the_back_off()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedDueRemindersAsync(env, 2);
        var mail = new RecordingSender();
        var refusing = new RefusingSender();
        var worker = new Worker(env, mail);
        var down = new NotificationMailer(worker.Notifications, env.Users, refusing, env.Time, "https://tibs.example") { Lease = Lease };
        var downCycle = new DispatchCycle(worker.Dispatcher, worker.Delivery, worker.Reminders, down);

        var failed = await downCycle.RunAsync("while-the-server-is-down");
        Assert.Equal(2, failed.Delivered);
        Assert.Equal(2, failed.MailFailures);
        Assert.Equal(0, (await worker.Cycle.RunAsync("server-back")).Mailed); // waits for the back-off

        env.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await worker.Cycle.RunAsync("server-back")).Mailed);
        await AssertDeliveredAsync(env, caseId, mail, 2);
    }

    private sealed class RefusingSender : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default) =>
            throw new IOException("454 Temporary failure: the mail server is not accepting mail.");
    }

    private sealed class NoQueue : IReminderQueue
    {
        public Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    /// <summary>Cancels the case's own reminders and adds <paramref name="count"/> due ones for the coordinator.</summary>
    private static async Task<Guid> SeedDueRemindersAsync(CaseEnvironment env, int count)
    {
        var c = await env.OpenCaseAsync();
        var step = (await env.DetailsAsync(c.Id)).Steps.Single();
        await DueReminders.SeedAsync(env.Fixture.Factory, c.Id, step.Id, step.StepKey, count, env.Time.GetUtcNow(), TimeSpan.FromMinutes(1));
        return c.Id;
    }

    /// <summary>
    /// Every row sent; one in-app notice per row and recipient; every notice e-mailed (confirmed) and each of its mails
    /// under its own message id — a repeat only ever with the same id and text.
    /// </summary>
    private static async Task AssertDeliveredAsync(CaseEnvironment env, Guid caseId, RecordingSender mail, int rows, bool digest = false)
    {
        await using var db = await env.Fixture.Factory.OpenAsync();
        Assert.Equal(rows, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE case_id = @caseId AND status = 'sent'", new { caseId }));
        var notices = (await db.QueryAsync<NoticeRow>(
            "SELECT id, delivery_key, emailed_at FROM notifications WHERE case_id = @caseId", new { caseId })).ToList();
        Assert.Equal(rows, notices.Count); // one coordinator: one notice per row, never two
        Assert.Equal(rows, notices.Select(n => n.DeliveryKey).Distinct().Count());
        Assert.All(notices, n => Assert.NotNull(n.EmailedAt));
        if (digest)
        {
            Assert.All(mail.Accepted, m => Assert.Contains($"{rows} notifications", m.Subject, StringComparison.Ordinal)); // all of them, in each copy
            return;
        }

        foreach (var n in notices)
        {
            Assert.Contains(mail.Accepted, m => m.MessageId == $"notification-{n.Id:N}@tibs.example");
        }

        Assert.All(mail.Accepted.GroupBy(m => m.MessageId), g => Assert.Single(g.Select(m => (m.To, m.Subject, m.TextBody)).Distinct()));
        Assert.Equal(rows, mail.Accepted.Select(m => m.MessageId).Distinct().Count());
    }

    private sealed class NoticeRow
    {
        public Guid Id { get; set; }
        public string DeliveryKey { get; set; } = "";
        public DateTimeOffset? EmailedAt { get; set; }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteReminderCrashTests(SqliteFixture fixture) : ReminderCrashTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReminderCrashTests(PostgresFixture fixture) : ReminderCrashTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerReminderCrashTests(SqlServerFixture fixture) : ReminderCrashTests(fixture);
