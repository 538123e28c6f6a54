using Dapper;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Audit;

/// <summary>
/// The scheduled verification of every case's whole audit trail (<see cref="VerifyAllTrails"/>) on the real stores:
/// what it counts, what it reports when an event was changed behind the application's back, whom it tells, and how a
/// run that stopped is continued.
/// </summary>
public abstract class TrailVerificationTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "tibs-tests", $"anchors_{Guid.NewGuid():N}");
    private CaseEnvironment env = null!;
    private AuditKeyRing keys = null!;
    private AuditAnchoring anchoring = null!;
    private AuditVerifier verifier = null!;
    private AuditLedger ledger = null!;

    public async Task InitializeAsync()
    {
        if (!fixture.Available)
        {
            return;
        }

        await fixture.ResetAsync();
        env = await CaseEnvironment.CreateAsync(fixture);
        keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var log = new AnchorFolderLog(folder);
        ledger = new AuditLedger(fixture.Factory);
        anchoring = new AuditAnchoring(ledger, env.Cases, log, keys, env.Time);
        verifier = new AuditVerifier(env.Cases, ledger, log, keys);
    }

    public Task DisposeAsync()
    {
        keys?.Dispose();
        return Task.CompletedTask;
    }

    private VerifyAllTrails Verification(ITrailVerificationStore store, int caseBatch = 2, int eventPage = 2) =>
        new(verifier, ledger, store, env.Users, new TrailVerificationOptions { CaseBatch = caseBatch, EventPage = eventPage }, env.Time);

    /// <summary><paramref name="count"/> cases, the first one step further, all anchored by a checkpoint.</summary>
    private async Task<IReadOnlyList<Guid>> AnchoredCasesAsync(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await env.OpenCaseAsync()).Id);
        }

        Assert.True((await env.CompleteTowardsAsync(ids[0], "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(await anchoring.CheckpointAsync());
        return ids;
    }

    private async Task<int> StoredEventsAsync()
    {
        await using var c = await fixture.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM case_events");
    }

    [SkippableFact]
    public async Task A_clean_programme_verifies_with_no_failures_and_counts_every_case_and_event()
    {
        fixture.EnsureAvailable();
        await AnchoredCasesAsync(3);

        var result = await Verification(new TrailVerificationStore(fixture.Factory)).HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName));

        Assert.True(result.Ran);
        var run = result.Run!;
        Assert.True(run.IsFinished);
        Assert.Equal(0, run.Failures);
        Assert.Empty(result.Failures);
        Assert.Equal(3, run.CasesChecked);
        Assert.Equal(await StoredEventsAsync(), run.EventsChecked);
        Assert.StartsWith($"Every audit trail is intact: 3 cases with {run.EventsChecked} events verified", run.Describe(env.Time.GetUtcNow()), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_event_changed_in_the_database_is_reported_with_its_case_and_first_bad_event_and_administrators_and_evaluators_are_notified()
    {
        fixture.EnsureAvailable();
        var ids = await AnchoredCasesAsync(3);
        var admin = await env.UserAsync("admin@test.example", Roles.Administrator, null);
        var damaged = (await env.Cases.GetAsync(ids[0]))!;
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE case_events SET data = @data WHERE case_id = @id AND seq = 2", new { data = """{"contact-data-consent":"no"}""", id = damaged.Id });
        }

        var result = await Verification(new TrailVerificationStore(fixture.Factory)).HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName));

        Assert.Equal(3, result.Run!.CasesChecked);
        Assert.Equal(1, result.Run.Failures);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(damaged.Id, failure.CaseId);
        Assert.Equal(damaged.Reference, failure.Reference);
        Assert.Equal("an event was edited", failure.KindLabel);
        Assert.StartsWith("Event 2 (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("was edited: its content does not match its hash.", failure.Message, StringComparison.Ordinal);

        var notifications = new NotificationStore(fixture.Factory);
        foreach (var person in new[] { admin, env.Evaluator })
        {
            var notice = Assert.Single(await notifications.ListForUserAsync(person.UserId, unreadOnly: true, take: 10), n => n.Kind == NotificationKinds.AuditTrailFailed);
            Assert.Equal("Audit verification found a damaged audit trail", notice.Title);
            Assert.Contains($"{damaged.Reference}: Event 2 (", notice.Body, StringComparison.Ordinal);
            Assert.Equal(damaged.Id, notice.CaseId);
        }

        Assert.DoesNotContain(await notifications.ListForUserAsync(env.LatvianBroker.UserId, unreadOnly: true, take: 10), n => n.Kind == NotificationKinds.AuditTrailFailed);
    }

    [SkippableFact]
    public async Task A_run_that_stopped_after_its_first_batch_is_continued_after_its_lease_and_checks_no_case_twice()
    {
        fixture.EnsureAvailable();
        var ids = await AnchoredCasesAsync(5);
        var store = new InterruptedStore(new TrailVerificationStore(fixture.Factory)) { FailOnBatch = 2 };

        await Assert.ThrowsAsync<IOException>(() => Verification(store).HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName)));
        var stopped = (await store.GetLatestAsync())!;
        Assert.False(stopped.IsFinished);
        Assert.Equal(2, stopped.CasesChecked);
        Assert.Equal(2, store.CasesRead.Count);

        // Within its lease the run counts as running: a second start is refused, a second process does not take it.
        store.FailOnBatch = null;
        var refused = await new StartTrailVerification(store, new NoLauncher(), env.Users, env.Time)
            .HandleAsync(await env.UserAsync("admin@test.example", Roles.Administrator, null));
        Assert.Equal(CaseCommandStatus.Conflict, refused.Status);
        Assert.StartsWith("A verification of every audit trail is already running (started 2026-01-12 09:01 UTC by the schedule, 2 cases checked so far)", refused.Message, StringComparison.Ordinal);
        var busy = await Verification(store).HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName));
        Assert.False(busy.Ran);

        env.Time.Advance(new TrailVerificationOptions().Lease + TimeSpan.FromSeconds(1));
        var resumed = await Verification(store).HandleAsync(new VerifyAllTrails.Request(VerifyAllTrails.ScheduleName));

        Assert.True(resumed.Ran);
        Assert.Equal(stopped.Id, resumed.Run!.Id);
        Assert.True(resumed.Run.IsFinished);
        Assert.Equal(5, resumed.Run.CasesChecked);
        Assert.Equal(await StoredEventsAsync(), resumed.Run.EventsChecked);
        Assert.Equal(ids.Order(), store.CasesRead.Order());
    }

    /// <summary>The real store, but the process "dies" when it asks for batch <see cref="FailOnBatch"/>; it records each case whose trail it started reading.</summary>
    private sealed class InterruptedStore(ITrailVerificationStore inner) : ITrailVerificationStore
    {
        private int batches;

        public int? FailOnBatch { get; set; }

        public List<Guid> CasesRead { get; } = [];

        public Task<TrailVerificationClaim> ClaimAsync(string holder, string startedBy, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
            inner.ClaimAsync(holder, startedBy, now, leaseUntil, cancellationToken);

        public Task<IReadOnlyList<CaseRecord>> ListCasesAfterAsync(Guid? after, int take, CancellationToken cancellationToken = default) =>
            ++batches == FailOnBatch ? throw new IOException("The process stopped.") : inner.ListCasesAfterAsync(after, take, cancellationToken);

        public Task<IReadOnlyList<CaseEventRecord>> ListEventsAsync(Guid caseId, int afterSeq, int take, CancellationToken cancellationToken = default)
        {
            if (afterSeq == 0)
            {
                CasesRead.Add(caseId);
            }

            return inner.ListEventsAsync(caseId, afterSeq, take, cancellationToken);
        }

        public Task<IReadOnlyList<Guid>> FindAbsentCasesAsync(IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken = default) =>
            inner.FindAbsentCasesAsync(caseIds, cancellationToken);

        public Task<bool> RecordBatchAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
            inner.RecordBatchAsync(progress, failures, leaseUntil, cancellationToken);

        public Task<bool> FinishAsync(TrailVerificationProgress progress, IReadOnlyList<TrailVerificationFailure> failures, DateTimeOffset finishedAt, IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default) =>
            inner.FinishAsync(progress, failures, finishedAt, notifications, cancellationToken);

        public Task<TrailVerificationRun?> GetLatestAsync(CancellationToken cancellationToken = default) => inner.GetLatestAsync(cancellationToken);

        public Task<IReadOnlyList<TrailVerificationFailure>> ListFailuresAsync(Guid runId, int take, CancellationToken cancellationToken = default) =>
            inner.ListFailuresAsync(runId, take, cancellationToken);
    }

    private sealed class NoLauncher : ITrailVerificationLauncher
    {
        public void Launch(string startedBy) => throw new InvalidOperationException("A run must not be started while one is running.");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTrailVerificationTests(SqliteFixture fixture) : TrailVerificationTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTrailVerificationTests(PostgresFixture fixture) : TrailVerificationTests(fixture);
