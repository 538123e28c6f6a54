using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Events;

/// <summary>
/// The feed's promise under concurrency: writers commit case events at the same time, some in transactions held open
/// so that an event numbered lower commits after events numbered higher, while readers follow the feed page by page.
/// Every reader ends with every committed event exactly once, each case's events in chain order, each hash verifying.
/// </summary>
public abstract class EventFeedConcurrencyTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const int Rounds = 3;
    private const int Writers = 3;
    private const int NotesPerWriter = 3;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Servers let other writers commit while a transaction is held; SQLite makes them wait for it.</summary>
    private bool WritersCommitWhileHeld => fixture.Provider != DatabaseProvider.Sqlite;

    [SkippableFact]
    public async Task Readers_following_the_feed_while_cases_change_concurrently_receive_every_event_exactly_once()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var cases = new List<CaseRecord>();
        for (var i = 0; i <= Writers; i++)
        {
            cases.Add(await env.OpenCaseAsync());
        }

        // One reader follows the feed between the phases of each round; another polls it all along, in small pages.
        var feed = FeedFollower.Feed(fixture.Factory);
        var stepwise = new FeedFollower(feed, env.Coordinator, limit: 4);
        var polling = new FeedFollower(feed, env.Coordinator, limit: 3);
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await polling.ReadAvailableAsync();
                await Task.Yield();
            }
        });

        var overtaken = new List<(Guid Held, List<Guid> CommittedMeanwhile)>();
        for (var round = 0; round < Rounds; round++)
        {
            // A transaction writes an event on one case and stays open ...
            var heldCase = cases[round % cases.Count];
            await using var held = await HeldEvent.BeginAsync(fixture.Factory, heldCase.Id, env.Coordinator, env.Time.GetUtcNow());

            // ... while writers change the other cases concurrently (each writer its own case).
            var others = cases.Where(c => c.Id != heldCase.Id).ToList();
            var writes = others.Select((c, w) => Task.Run(() => WriteAsync(env, c.Id, round, w))).ToList();
            if (WritersCommitWhileHeld)
            {
                var committed = await Task.WhenAll(writes);
                overtaken.Add((held.Event.Id, [.. committed.SelectMany(ids => ids)]));
            }

            // The reader reads what is final now: never the held event, and nothing it would have to skip back for.
            await stepwise.ReadAvailableAsync();
            Assert.DoesNotContain(stepwise.Received, e => e.Id == held.Event.Id);

            await held.CommitAsync();
            await Task.WhenAll(writes);
            await stepwise.ReadAvailableAsync();
        }

        await stop.CancelAsync();
        await poller;
        var all = await FeedFollower.CommittedAsync(fixture.Factory);
        await stepwise.CatchUpAsync(all.Count);
        await polling.CatchUpAsync(all.Count);

        stepwise.AssertReceivedExactly(all);
        polling.AssertReceivedExactly(all);
        Assert.Equal(cases.Count + (Rounds * ((Writers * NotesPerWriter) + 1)) + Writers, all.Count);
        Assert.True(stepwise.Pages > all.Count / 4);
        if (WritersCommitWhileHeld)
        {
            // The hazard was real: each held event has a lower position than events that committed before it, so a
            // feed ordered by position alone would have passed it by.
            await using var c = await fixture.Factory.OpenAsync();
            foreach (var (heldId, meanwhile) in overtaken)
            {
                var positions = (await c.QueryAsync<EventPosition>($"SELECT id, feed_position FROM case_events WHERE {fixture.Factory.Dialect.InList("id", "@ids")}", new { ids = meanwhile.Append(heldId).ToList() }))
                    .ToDictionary(p => p.Id, p => p.FeedPosition);
                Assert.All(meanwhile, id => Assert.True(positions[heldId] < positions[id]));
            }
        }
    }

    /// <summary>One writer's work on a case in a round: the first step in the first round, then notes; the ids of its events.</summary>
    private static async Task<List<Guid>> WriteAsync(CaseEnvironment env, Guid caseId, int round, int writer)
    {
        var before = (await env.DetailsAsync(caseId)).Events.Count;
        if (round == 0)
        {
            var step = await env.CompleteTowardsAsync(caseId, "first-contact", With(("contact-data-consent", "yes")));
            Assert.True(step.Succeeded, step.Message);
        }

        for (var n = 0; n < NotesPerWriter; n++)
        {
            var note = await env.Service.AddNoteAsync(caseId, $"Round {round}, writer {writer}, note {n}", env.LatvianBroker);
            Assert.True(note.Succeeded, note.Message);
        }

        return [.. (await env.DetailsAsync(caseId)).Events.Skip(before).Select(e => e.Id)];
    }

    private sealed class EventPosition
    {
        public Guid Id { get; init; }

        public long FeedPosition { get; init; }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEventFeedConcurrencyTests(SqliteFixture fixture) : EventFeedConcurrencyTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventFeedConcurrencyTests(PostgresFixture fixture) : EventFeedConcurrencyTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerEventFeedConcurrencyTests(SqlServerFixture fixture) : EventFeedConcurrencyTests(fixture);
