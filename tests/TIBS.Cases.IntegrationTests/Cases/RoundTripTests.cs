using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Display;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// What a step completion sends to the database: its decision is read in one round trip, its write goes as one batch
/// and a commit where the driver batches, and neither grows with the case's timeline.
/// </summary>
public abstract class RoundTripTests(DatabaseFixture fixture) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task A_step_completion_reads_once_and_writes_in_one_batch_however_long_the_timeline()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var counting = new CountingConnectionFactory(fixture.Factory);
        var service = await CaseCommands.CreateAsync(fixture.Factory, env.Time, env.Storage, s => s.AddSingleton<ICaseStore>(new CaseStore(counting)));
        var id = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);

        var short_ = await CompleteCountedAsync(env, service, counting, id, "needs-assessment");
        var beforeNotes = (await env.DetailsAsync(id)).Events.Count;
        for (var n = 0; n < 30; n++)
        {
            Assert.True((await env.Service.AddNoteAsync(id, $"Call {n + 1} with the lead SME.", env.LatvianBroker)).Succeeded);
        }

        var long_ = await CompleteCountedAsync(env, service, counting, id, "eligibility");
        var details = await env.DetailsAsync(id);

        Assert.Equal("eligibility", details.Case.CurrentStep);
        Assert.Equal(beforeNotes + 31, details.Events.Count);
        Assert.True(AuditChain.Verify(details.Case, details.Events).IsIntact);
        await using var probe = fixture.Factory.Create();
        var batches = probe.CanCreateBatch;
        foreach (var counted in new[] { short_, long_ })
        {
            Assert.Equal(1, counted.Reads);
            Assert.Equal(1, counted.Commits);
            // The read and the write share one connection: no second one from the pool (nor its reset on the server).
            Assert.Equal(1, counted.Opened);
            if (batches)
            {
                Assert.Equal(1, counted.Writes);
                Assert.Equal(3, counted.Total);
            }
        }

        Assert.Equal(short_.Total, long_.Total);
    }

    [SkippableFact]
    public async Task A_note_appended_meanwhile_is_chained_before_the_step_and_a_stale_version_is_still_a_conflict()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var id = (await env.OpenCaseAsync()).Id;
        var details = await env.DetailsAsync(id);
        var step = details.CurrentStep!;
        var input = FormFiller.Fill(step.Fields, env.Lead.Id, With(("contact-data-consent", "yes")));
        var outcome = step.Outcomes.First(o => o.Target == "first-contact").Key;

        Assert.True((await env.Service.AddNoteAsync(id, "Called before the intake was saved.", env.LatvianBroker)).Succeeded);
        var completed = await env.Service.CompleteStepAsync(id, details.Case.Version, outcome, input, env.LatvianBroker);
        var stale = await env.Service.CompleteStepAsync(id, details.Case.Version, outcome, input, env.LatvianBroker);

        Assert.True(completed.Succeeded, completed.Message);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        var after = await env.DetailsAsync(id);
        Assert.Equal(["case-opened", "note-added", "step-completed"], after.Events.Select(e => e.Kind));
        Assert.True(AuditChain.Verify(after.Case, after.Events).IsIntact);
        Assert.Single(after.Steps, s => s.StepKey == "intake");
    }

    [SkippableFact]
    public async Task The_case_page_reads_in_one_round_trip_and_pages_the_timeline_from_the_latest_event()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var counting = new CountingConnectionFactory(fixture.Factory);
        var store = new CaseStore(counting);
        var id = (await env.OpenCaseAsync()).Id;
        for (var n = 0; n < 12; n++)
        {
            Assert.True((await env.Service.AddNoteAsync(id, $"Note {n + 1}", env.LatvianBroker)).Succeeded);
        }

        var counted = counting.Restart();
        var latest = (await store.GetViewAsync(id, new EventPage(5)))!;
        Assert.Equal(1, counted.Total);
        Assert.Equal(1, counted.Opened);

        Assert.Equal([9, 10, 11, 12, 13], latest.Events.Select(e => e.Seq));
        Assert.Equal(9, latest.EarlierBefore);
        Assert.Equal(12, latest.Notes.Count);
        Assert.Contains(latest.People, p => p.Id == env.LatvianBroker.UserId);
        Assert.DoesNotContain(latest.People, p => p.Id == env.GermanBroker.UserId || p.Id == env.Coordinator.UserId);

        var earlier = (await store.GetViewAsync(id, new EventPage(5, latest.EarlierBefore)))!;
        Assert.Equal([4, 5, 6, 7, 8], earlier.Events.Select(e => e.Seq));
        var first = (await store.GetViewAsync(id, new EventPage(5, 4)))!;
        Assert.Equal([1, 2, 3], first.Events.Select(e => e.Seq));
        Assert.Null(first.EarlierBefore);
        Assert.Null(await store.GetViewAsync(Guid.NewGuid(), EventPage.Latest));
    }

    [SkippableFact]
    public async Task The_case_page_handler_reads_in_one_round_trip_for_a_short_and_a_long_timeline_and_shows_the_latest_fifty_events()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var counting = new CountingConnectionFactory(fixture.Factory);
        var store = new CaseStore(counting);
        var reference = new ReferenceDataStore(counting);
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var anchors = new AnchorFolderLog(Path.Combine(Path.GetTempPath(), "tibs-tests", "anchors-" + Guid.NewGuid().ToString("N")));
        var handler = new GetCase(
            new CaseReader(store, env.Companies, env.Catalog, env.Time), store, new AuditVerifier(store, new AuditLedger(counting), anchors, keys),
            new CaseTimeline(reference, env.Companies), reference, env.Time);
        var shortCase = (await env.OpenCaseAsync()).Id;
        var longCase = (await env.OpenCaseAsync()).Id;
        for (var n = 0; n < 60; n++)
        {
            Assert.True((await env.Service.AddNoteAsync(longCase, $"Call {n + 1} with the lead SME.", env.LatvianBroker)).Succeeded);
        }

        // Reference data and the published workflow are cached: the first view fills the caches.
        Assert.NotNull(await handler.HandleAsync(new GetCase.Request(shortCase), env.LatvianBroker));

        var counted = counting.Restart();
        var few = (await handler.HandleAsync(new GetCase.Request(shortCase), env.LatvianBroker))!;
        var fewTrips = counted.Total;
        counted = counting.Restart();
        var many = (await handler.HandleAsync(new GetCase.Request(longCase), env.LatvianBroker))!;
        var manyTrips = counted.Total;

        Assert.Equal(1, fewTrips);
        Assert.Equal(1, manyTrips);
        Assert.Single(few.Timeline);
        Assert.Null(few.EarlierBefore);
        Assert.True(few.Audit.IsWhole && few.Audit.IsIntact, few.Audit.Describe());
        Assert.Equal(EventPage.DefaultTake, many.Timeline.Count);
        Assert.Equal(61, many.Timeline[0].Seq);
        Assert.Equal(11, many.EarlierEvents);
        Assert.Equal(12, many.EarlierBefore);
        Assert.True(many.Audit.IsIntact, many.Audit.Describe());
        Assert.Equal(12, many.Audit.FirstChecked);
        Assert.All(many.Timeline, e => Assert.Equal("broker.lv008@test.example", e.ActorName));

        var earlier = (await handler.HandleAsync(new GetCase.Request(longCase, new EventPage(Before: many.EarlierBefore)), env.LatvianBroker))!;
        Assert.Equal(Enumerable.Range(1, 11).Reverse(), earlier.Timeline.Select(e => e.Seq));
        Assert.Null(earlier.EarlierBefore);
        Assert.Equal(50, earlier.LaterEvents);
    }

    private static async Task<RoundTrips> CompleteCountedAsync(
        CaseEnvironment env, CaseCommands service, CountingConnectionFactory counting, Guid id, string target, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var details = await env.DetailsAsync(id);
        var step = details.CurrentStep!;
        var outcome = step.Outcomes.First(o => o.Target == target);
        var input = FormFiller.Fill(step.Fields, env.Lead.Id, overrides);
        var counted = counting.Restart();
        var result = await service.CompleteStepAsync(id, details.Case.Version, outcome.Key, input, env.ActorFor(step.Role));
        Assert.True(result.Succeeded, result.Message);
        return counted;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteRoundTripTests(SqliteFixture fixture) : RoundTripTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRoundTripTests(PostgresFixture fixture) : RoundTripTests(fixture);
