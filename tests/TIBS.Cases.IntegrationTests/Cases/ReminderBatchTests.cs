using System.Collections.Concurrent;
using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// Set-based delivery: a batch's notifications and the marks of its rows are written in one transaction, so two
/// dispatcher runs over the same due rows notify every recipient (and the deputy of an absent one) exactly once, and a
/// batch interrupted between its claim and its commit leaves nothing behind and comes back after the lease.
/// </summary>
public abstract class ReminderBatchTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The pieces of one process over the shared database and mail server; <paramref name="store"/> replaces its reminder store.</summary>
    private sealed class Worker
    {
        public Worker(CaseEnvironment env, RecordingSender mail, IReminderStore? store = null)
        {
            var reminders = store ?? new ReminderStore(env.Fixture.Factory);
            Delivery = new ReminderDelivery(reminders, env.Cases, env.Users, env.Catalog, env.Time, absences: env.Service.Handler<IAbsenceStore>());
            var mailer = new NotificationMailer(new NotificationStore(env.Fixture.Factory), env.Users, mail, env.Time, "https://tibs.example") { Lease = Lease, MessageIdDomain = "tibs.example" };
            Cycle = new DispatchCycle(new ReminderDispatcher(reminders, env.Time) { Lease = Lease, BatchSize = 50 }, Delivery, reminders, mailer);
        }

        public ReminderDelivery Delivery { get; }
        public DispatchCycle Cycle { get; }
    }

    private sealed class RecordingSender : IEmailSender
    {
        public ConcurrentQueue<EmailMessage> Accepted { get; } = new();

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
        {
            Accepted.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>Records what the dispatcher hands over: whole batches, and any row handed over on its own.</summary>
    private sealed class HandOvers : IReminderQueue
    {
        public List<IReadOnlyList<ReminderRecord>> Batches { get; } = [];
        public int SingleRows { get; private set; }

        public Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default)
        {
            SingleRows++;
            return Task.CompletedTask;
        }

        public Task EnqueueBatchAsync(IReadOnlyList<ReminderRecord> batch, CancellationToken cancellationToken = default)
        {
            Batches.Add(batch);
            return Task.CompletedTask;
        }
    }

    /// <summary>A reminder store whose batch write fails inside its transaction, after a first statement of valid rows.</summary>
    private sealed class FailingWrite(IReminderStore inner, Guid someUser) : IReminderStore
    {
        public Task<IReadOnlyList<Guid>> ClaimDueAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default) =>
            inner.ClaimDueAsync(now, batchSize, workerId, claimFor, cancellationToken);

        public Task<IReadOnlyList<ReminderRecord>> ClaimDueRowsAsync(DateTimeOffset now, int batchSize, string workerId, TimeSpan claimFor, CancellationToken cancellationToken = default) =>
            inner.ClaimDueRowsAsync(now, batchSize, workerId, claimFor, cancellationToken);

        public Task<IReadOnlySet<string>> DeliverAsync(IReadOnlyList<NotificationRecord> notifications, IReadOnlyCollection<Guid> sent, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            // 500 valid rows fill the first insert; the next row names a user who does not exist, so the second insert fails.
            NotificationRecord Row(string key, Guid user) => new() { Id = Guid.NewGuid(), UserId = user, Kind = "reminder", Title = "t", Body = "b", DeliveryKey = key, CreatedAt = now };
            var padded = notifications.Concat(Enumerable.Range(0, 500 - notifications.Count).Select(i => Row($"filler:{i}", someUser))).Append(Row("poison", Guid.NewGuid())).ToList();
            return inner.DeliverAsync(padded, sent, now, cancellationToken);
        }

        public Task<ReminderRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public Task<bool> MarkSentAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.MarkSentAsync(id, now, cancellationToken);

        public Task SetStatusAsync(Guid id, string status, string? note, CancellationToken cancellationToken = default) => inner.SetStatusAsync(id, status, note, cancellationToken);

        public Task<IReadOnlyList<Guid>> RenewClaimAsync(IReadOnlyList<Guid> ids, string workerId, DateTimeOffset until, CancellationToken cancellationToken = default) =>
            inner.RenewClaimAsync(ids, workerId, until, cancellationToken);

        public Task RecordFailureAsync(Guid id, string error, CancellationToken cancellationToken = default) => inner.RecordFailureAsync(id, error, cancellationToken);
    }

    private static async Task<Guid> SeedAsync(CaseEnvironment env, int rows, string role)
    {
        var c = await env.OpenCaseAsync();
        var step = (await env.DetailsAsync(c.Id)).Steps.Single();
        await DueReminders.SeedAsync(env.Fixture.Factory, c.Id, step.Id, step.StepKey, rows, env.Time.GetUtcNow(), TimeSpan.FromSeconds(1), role);
        return c.Id;
    }

    private async Task<(int Notifications, int Keys, int Sent, int Claimed)> CountAsync(IReadOnlyList<Guid> caseIds)
    {
        await using var c = await fixture.Factory.OpenAsync();
        var ids = fixture.Factory.Dialect.IdList(caseIds);
        var inList = fixture.Factory.Dialect.InList("case_id", "@ids");
        return (
            await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM notifications WHERE {inList}", new { ids }),
            await c.ExecuteScalarAsync<int>($"SELECT COUNT(DISTINCT delivery_key) FROM notifications WHERE {inList}", new { ids }),
            await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM reminders WHERE {inList} AND status = 'sent'", new { ids }),
            await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM reminders WHERE {inList} AND status = 'claimed'", new { ids }));
    }

    /// <summary>A new case at its first step, and the environment's time.</summary>
    private async Task<(Guid CaseId, Guid StepId, string StepKey, DateTimeOffset Now)> OneStepCaseAsync()
    {
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        var step = (await env.DetailsAsync(c.Id)).Steps.Single();
        return (c.Id, step.Id, step.StepKey, env.Time.GetUtcNow());
    }

    [SkippableFact]
    public async Task A_claim_takes_the_earliest_due_of_the_pending_rows_and_the_expired_claims_together_and_leaves_live_claims()
    {
        // Six rows due one minute apart (the oldest is row 6): rows 5 and 3 were claimed by a worker whose claim ran out,
        // row 6 by one whose claim still holds. The claim reads expired claims and pending rows apart; what it takes is
        // still the earliest due of both, in due order, and never a live claim.
        fixture.EnsureAvailable();
        var (caseId, stepId, stepKey, now) = await OneStepCaseAsync();
        await DueReminders.SeedAsync(fixture.Factory, caseId, stepId, stepKey, 6, now, TimeSpan.FromMinutes(1));
        await using (var db = await fixture.Factory.OpenAsync())
        {
            var claim = $"UPDATE reminders SET status = 'claimed', claimed_by = 'gone', claimed_until = @until WHERE case_id = @id AND {fixture.Factory.Dialect.InList("notice_key", "@keys")}";
            await db.ExecuteAsync(claim, new { until = now.AddMinutes(-1), id = caseId, keys = new[] { "due-5", "due-3" } });
            await db.ExecuteAsync(claim, new { until = now.AddMinutes(10), id = caseId, keys = new[] { "due-6" } });
        }

        var store = new ReminderStore(fixture.Factory);
        var first = await store.ClaimDueRowsAsync(now, 3, "worker-a", Lease);
        Assert.Equal(["due-5", "due-4", "due-3"], first.Select(r => r.NoticeKey));
        Assert.All(first, r => Assert.Equal(ReminderStatus.Claimed, r.Status));
        var second = await store.ClaimDueRowsAsync(now, 3, "worker-a", Lease);
        Assert.Equal(["due-2", "due-1"], second.Select(r => r.NoticeKey));
        Assert.Empty(await store.ClaimDueRowsAsync(now, 3, "worker-a", Lease));
        await using var check = await fixture.Factory.OpenAsync();
        Assert.Equal("gone", await check.ExecuteScalarAsync<string>("SELECT claimed_by FROM reminders WHERE case_id = @id AND notice_key = 'due-6'", new { id = caseId }));
    }

    [SkippableFact]
    public async Task The_oldest_due_reminder_is_the_earliest_of_the_pending_rows_and_the_claims_and_never_history()
    {
        // The health check's backlog age. Rows 1–4 due one to four minutes ago: row 4 is sent (history), row 3 claimed
        // by a live worker; the oldest is row 3's due time until it is sent, then row 2's, then none.
        fixture.EnsureAvailable();
        var (caseId, stepId, stepKey, now) = await OneStepCaseAsync();
        await DueReminders.SeedAsync(fixture.Factory, caseId, stepId, stepKey, 4, now, TimeSpan.FromMinutes(1));
        var store = new ReminderStore(fixture.Factory);
        async Task SetAsync(string key, string set)
        {
            await using var db = await fixture.Factory.OpenAsync();
            await db.ExecuteAsync($"UPDATE reminders SET {set} WHERE case_id = @id AND notice_key = @key", new { id = caseId, key, until = now.AddMinutes(10), now });
        }

        await SetAsync("due-4", "status = 'sent', sent_at = @now");
        await SetAsync("due-3", "status = 'claimed', claimed_by = 'live', claimed_until = @until");
        Assert.Equal(now.AddMinutes(-3), await store.OldestDueAsync(now));

        await SetAsync("due-3", "status = 'sent', sent_at = @now, claimed_until = NULL");
        Assert.Equal(now.AddMinutes(-2), await store.OldestDueAsync(now));
        Assert.Null(await store.OldestDueAsync(now.AddMinutes(-5)));
    }

    /// <summary>
    /// A case's reminders after a long history: <paramref name="history"/> rows sent or cancelled, five pending (due),
    /// one claimed by a worker whose claim ran out; the statistics taken. Returns the step's id.
    /// </summary>
    protected async Task<Guid> SeedHistoryAsync(int history)
    {
        var (caseId, stepId, stepKey, now) = await OneStepCaseAsync();
        await using var db = await fixture.Factory.OpenAsync();
        await db.ExecuteAsync("UPDATE reminders SET status = 'cancelled' WHERE case_id = @id", new { id = caseId });
        await using (var tx = await db.BeginTransactionAsync())
        {
            await db.ExecuteAsync(
                """
                INSERT INTO reminders (id, case_id, case_step_id, step_key, notice_key, kind, recipient_role, due_at, status, attempts, created_at, sent_at, claimed_by, claimed_until)
                VALUES (@Id, @CaseId, @CaseStepId, @StepKey, @NoticeKey, @Kind, 'coordinator', @DueAt, @Status, 0, @CreatedAt, @SentAt, @ClaimedBy, @ClaimedUntil)
                """,
                Enumerable.Range(1, history + 6).Select(i => new
                {
                    Id = Guid.CreateVersion7(),
                    CaseId = caseId,
                    CaseStepId = stepId,
                    StepKey = stepKey,
                    NoticeKey = $"due-{i}",
                    Kind = i % 3 == 0 ? "escalation" : "reminder",
                    DueAt = now - TimeSpan.FromMinutes(i),
                    Status = i switch { 1 => "claimed", <= 6 => "pending", _ when i % 2 == 0 => "sent", _ => "cancelled" },
                    CreatedAt = now,
                    SentAt = i > 6 && i % 2 == 0 ? now : (DateTimeOffset?)null,
                    ClaimedBy = i == 1 ? "gone" : null,
                    ClaimedUntil = i == 1 ? now.AddMinutes(-1) : (DateTimeOffset?)null,
                }),
                tx);
            await tx.CommitAsync();
        }

        await db.ExecuteAsync("ANALYZE reminders");
        return stepId;
    }

    [SkippableFact]
    public async Task Two_dispatch_runs_at_once_notify_every_recipient_and_deputy_exactly_once_and_mail_each_notice()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var deputy = await env.UserAsync("janis.kalns@test.example", Roles.Broker, "LV008");
        var absence = await env.Service.Handler<RecordAbsence>().HandleAsync(
            new RecordAbsence.Request(env.LatvianBroker.UserId, "2026-01-12", "2026-01-25", deputy.UserId), env.LatvianBroker);
        Assert.True(absence.Succeeded, absence.Message);
        // Two cases' rows for their broker (absent: the deputy is told too), one case's for the coordinator of its region.
        var cases = new[] { await SeedAsync(env, 120, "broker"), await SeedAsync(env, 120, "broker"), await SeedAsync(env, 120, "coordinator") };
        var mail = new RecordingSender();

        var runs = await Task.WhenAll(new[] { "server-a", "server-b" }.Select(worker => Task.Run(() => new Worker(env, mail).Cycle.RunAsync(worker))));

        Assert.Equal(360, runs.Sum(r => r.Claimed));
        Assert.Equal(360, runs.Sum(r => r.Delivered));
        Assert.Equal(0, runs.Sum(r => r.DeliveryFailures));
        var (notifications, keys, sent, claimed) = await CountAsync(cases);
        Assert.Equal((240 * 2) + 120, notifications);
        Assert.Equal(notifications, keys);
        Assert.Equal((360, 0), (sent, claimed));
        var store = new NotificationStore(fixture.Factory);
        var anna = (await store.ListForUserAsync(env.LatvianBroker.UserId, false, 1000)).Where(n => n.Kind == "reminder").ToList();
        var janis = (await store.ListForUserAsync(deputy.UserId, false, 1000)).Where(n => n.Kind == "reminder").ToList();
        var coordinator = (await store.ListForUserAsync(env.Coordinator.UserId, false, 1000)).Where(n => n.Kind == "reminder").ToList();
        Assert.Equal((240, 240, 120), (anna.Count, janis.Count, coordinator.Count));
        Assert.All(anna, n => Assert.DoesNotContain("deputising", n.Title, StringComparison.Ordinal));
        Assert.All(janis, n => Assert.Contains("(deputising for ", n.Title, StringComparison.Ordinal));
        // Every notice was e-mailed, each under its own message id.
        Assert.Equal(notifications, mail.Accepted.Select(m => m.MessageId).Distinct().Count());
    }

    [SkippableFact]
    public async Task A_batch_whose_write_fails_inside_its_transaction_leaves_nothing_and_comes_back_after_the_lease()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedAsync(env, 30, "coordinator");
        var mail = new RecordingSender();

        var failed = await new Worker(env, mail, new FailingWrite(new ReminderStore(fixture.Factory), env.Coordinator.UserId)).Cycle.RunAsync("worker-whose-write-fails");

        Assert.Equal((30, 0, 30), (failed.Claimed, failed.Delivered, failed.DeliveryFailures));
        Assert.Equal((0, 0, 0, 30), await CountAsync([caseId]));
        await using (var c = await fixture.Factory.OpenAsync())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE delivery_key LIKE 'filler:%'"));
        }

        var next = new Worker(env, mail);
        Assert.Equal(0, (await next.Cycle.RunAsync("next")).Claimed); // the claim still runs
        env.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var after = await next.Cycle.RunAsync("next");
        Assert.Equal((30, 30), (after.Claimed, after.Delivered));
        Assert.Equal((30, 30, 30, 0), await CountAsync([caseId]));
    }

    [SkippableFact]
    public async Task A_worker_stopped_between_claim_and_commit_loses_its_batch_to_the_next_and_adds_nothing_when_it_wakes()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedAsync(env, 40, "coordinator");
        var mail = new RecordingSender();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sleeper = new Worker(env, mail);
        sleeper.Delivery.Checkpoint = async (step, _) =>
        {
            if (step == DeliveryStep.Notified && stopped.TrySetResult())
            {
                await wake.Task; // claimed, recipients read, notices built: nothing written yet
            }
        };

        var sleeping = Task.Run(() => sleeper.Cycle.RunAsync("worker-that-stops"));
        await stopped.Task;
        Assert.Equal((0, 0, 0, 40), await CountAsync([caseId]));

        env.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var next = await new Worker(env, mail).Cycle.RunAsync("next");
        Assert.Equal((40, 40), (next.Claimed, next.Delivered));
        Assert.Equal((40, 40, 40, 0), await CountAsync([caseId]));

        wake.SetResult(); // the stopped worker finishes its stale batch: every key is taken, every row already sent
        var woke = await sleeping;
        Assert.Equal(40, woke.Claimed);
        Assert.Equal((40, 40, 40, 0), await CountAsync([caseId]));
        Assert.Equal(40, mail.Accepted.Select(m => m.MessageId).Distinct().Count());
    }

    [SkippableFact]
    public async Task Dispatching_250_due_reminders_hands_over_3_batches_and_a_batch_delivered_twice_notifies_nobody_twice()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var caseId = await SeedAsync(env, 250, "coordinator");
        var worker = new Worker(env, new RecordingSender());
        var queue = new HandOvers();

        var handed = await new ReminderDispatcher(new ReminderStore(fixture.Factory), env.Time) { Lease = Lease, BatchSize = 100 }.DispatchAsync(queue, "worker-1");

        // ceil(250 / 100) units of work, not 250: each claim is handed over whole.
        Assert.Equal(250, handed);
        Assert.Equal([100, 100, 50], queue.Batches.Select(b => b.Count));
        Assert.Equal(0, queue.SingleRows);
        Assert.Equal(250, queue.Batches.SelectMany(b => b).Select(r => r.Id).Distinct().Count());
        Assert.Equal((0, 0, 0, 250), await CountAsync([caseId]));

        var first = new List<DeliveryResult>();
        foreach (var batch in queue.Batches)
        {
            first.AddRange(await worker.Delivery.DeliverBatchAsync(batch));
        }

        Assert.All(first, r => Assert.Equal((DeliveryOutcome.Delivered, 1), (r.Outcome, r.NewlyNotified)));
        Assert.Equal((250, 250, 250, 0), await CountAsync([caseId]));

        // The second batch again, as it was claimed (a run retried after its commit, its rows still marked claimed in
        // memory): every delivery key is taken, nothing is added.
        var stale = await worker.Delivery.DeliverBatchAsync(queue.Batches[1]);
        Assert.Equal(0, stale.Sum(r => r.NewlyNotified));
        Assert.Equal(first.Skip(100).Take(100).SelectMany(r => r.NotificationIds), stale.SelectMany(r => r.NotificationIds));

        // The same batch read again from the database: the rows' sent mark stops it before anything is written.
        var store = new ReminderStore(fixture.Factory);
        var reread = new List<ReminderRecord>();
        foreach (var row in queue.Batches[1])
        {
            reread.Add((await store.GetAsync(row.Id))!);
        }

        var again = await worker.Delivery.DeliverBatchAsync(reread);
        Assert.All(again, r => Assert.Equal((DeliveryOutcome.AlreadyDone, 0), (r.Outcome, r.NewlyNotified)));
        Assert.Equal((250, 250, 250, 0), await CountAsync([caseId]));
        var coordinator = (await new NotificationStore(fixture.Factory).ListForUserAsync(env.Coordinator.UserId, false, 1000)).Where(n => n.Kind == "reminder").ToList();
        Assert.Equal(250, coordinator.Count);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteReminderBatchTests(SqliteFixture fixture) : ReminderBatchTests(fixture)
{
    private async Task<string> PlanAsync(string sql, object parameters)
    {
        await using var c = await fixture.Factory.OpenAsync();
        var rows = await c.QueryAsync("EXPLAIN QUERY PLAN " + sql, parameters);
        return string.Join(Environment.NewLine, rows.Select(r => (string)((IDictionary<string, object>)r)["detail"]));
    }

    [SkippableFact]
    public async Task The_dispatcher_and_the_escalation_count_read_the_live_reminders_from_their_partial_indexes()
    {
        // Script 0045: the sent and cancelled history is in no index the dispatcher or the escalation count reads.
        fixture.EnsureAvailable();
        var stepId = await SeedHistoryAsync(200);
        var now = DateTimeOffset.UtcNow;
        var d = fixture.Factory.Dialect;
        var claims = ReminderStore.ClaimSelects(d).ToList();
        var oldest = ReminderStore.OldestDueSelects(d).ToList();

        Assert.Matches(@"USING INDEX ix_reminders_claimed \(claimed_until<\?\)", await PlanAsync(claims[0], new { now, take = 50 }));
        Assert.Matches(@"USING INDEX ix_reminders_due \(due_at<\?\)", await PlanAsync(claims[1], new { now, take = 50 }));
        Assert.Matches(@"USING COVERING INDEX ix_reminders_due \(due_at<\?\)", await PlanAsync(oldest[0], new { now, take = 1 }));
        Assert.Matches(@"USING INDEX ix_reminders_claimed", await PlanAsync(oldest[1], new { now, take = 1 }));
        var escalations = await PlanAsync(
            "SELECT r.case_id FROM reminders r WHERE r.case_step_id = @stepId AND r.kind = 'escalation' AND r.status = 'sent'", new { stepId = stepId.ToString("D") });
        Assert.Contains("USING INDEX ix_reminders_escalation (case_step_id=?)", escalations, StringComparison.Ordinal);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReminderBatchTests(PostgresFixture fixture) : ReminderBatchTests(fixture)
{
    private async Task<string> PlanAsync(string sql, object parameters)
    {
        await using var c = await fixture.Factory.OpenAsync();
        return string.Join(Environment.NewLine, await c.QueryAsync<string>("EXPLAIN " + sql, parameters));
    }

    [SkippableFact]
    public async Task The_dispatcher_and_the_escalation_count_read_the_live_reminders_from_their_partial_indexes()
    {
        // Script 0045: of 3,006 rows, the six live ones are in the dispatcher's indexes; no plan reads the table through.
        fixture.EnsureAvailable();
        var stepId = await SeedHistoryAsync(3000);
        var now = DateTimeOffset.UtcNow;
        var d = fixture.Factory.Dialect;
        var plans = new List<string>();
        foreach (var sql in ReminderStore.ClaimSelects(d))
        {
            plans.Add(await PlanAsync(sql, new { now, take = 50 }));
        }

        foreach (var sql in ReminderStore.OldestDueSelects(d))
        {
            plans.Add(await PlanAsync(sql, new { now, take = 1 }));
        }

        plans.Add(await PlanAsync("SELECT r.case_id FROM reminders r WHERE r.case_step_id = @stepId AND r.kind = 'escalation' AND r.status = 'sent'", new { stepId }));
        Assert.Matches(@"ix_reminders_claimed on reminders[^\n]*\n\s*Index Cond: \(claimed_until < ", plans[0]);
        Assert.Matches(@"ix_reminders_due on reminders[^\n]*\n\s*Index Cond: \(due_at <= ", plans[1]);
        Assert.Matches(@"ix_reminders_due on reminders[^\n]*\n\s*Index Cond: \(due_at <= ", plans[2]);
        Assert.Contains("ix_reminders_claimed", plans[3], StringComparison.Ordinal);
        Assert.Matches(@"ix_reminders_escalation on reminders r[^\n]*\n\s*Index Cond: \(case_step_id = ", plans[4]);
        Assert.All(plans, plan => Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal));
    }
}

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerReminderBatchTests(SqlServerFixture fixture) : ReminderBatchTests(fixture);
