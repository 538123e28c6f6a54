using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Events;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Events;

/// <summary>The events feed on each database: everything once, in order, verifiable, and only to those who may read it.</summary>
public abstract class EventFeedTests(DatabaseFixture fixture) : IAsyncLifetime
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
    public async Task A_receiver_paging_with_the_cursor_gets_every_event_once_in_chain_order_and_each_hash_verifies()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var a = await env.OpenCaseAsync();
        var b = await env.OpenCaseAsync();
        Assert.True((await env.CompleteTowardsAsync(a.Id, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        Assert.True((await env.Service.AddNoteAsync(b.Id, "Called the CEO", env.LatvianBroker)).Succeeded);
        Assert.True((await env.Service.AddNoteAsync(a.Id, "Sent the questionnaire", env.LatvianBroker)).Succeeded);

        var follower = new FeedFollower(FeedFollower.Feed(fixture.Factory), env.Coordinator, limit: 2);
        await follower.CatchUpAsync(5);

        follower.AssertReceivedExactly(await FeedFollower.CommittedAsync(fixture.Factory));
        Assert.Equal(3, follower.Pages);
        Assert.Equal(["case-opened", "case-opened", "step-completed", "note-added", "note-added"], follower.Received.Select(e => e.Kind));
        var note = follower.Received[3];
        Assert.Equal((b.Id, b.Reference, "Note", env.LatvianBroker.UserId, "broker.lv008@test.example"), (note.CaseId, note.CaseReference, note.Title, note.ActorId, note.ActorName));
        Assert.Contains("\"body\":\"Called the CEO\"", note.Data, StringComparison.Ordinal);
        var stored = await env.Service.GetDetailsAsync(a.Id);
        Assert.Equal(stored!.Case.AuditHeadHash, follower.Received.Last(e => e.CaseId == a.Id).Hash);

        // Caught up: asking again with the last cursor gives nothing new and keeps the cursor; a new event comes next.
        var feed = FeedFollower.Feed(fixture.Factory);
        var again = await feed.HandleAsync(new ReadEventFeed.Request(follower.Cursor, 2), env.Coordinator);
        Assert.Empty(again.Events);
        Assert.False(again.More);
        Assert.Equal(follower.Cursor, again.Next);
        Assert.True((await env.Service.AddNoteAsync(b.Id, "Second call", env.LatvianBroker)).Succeeded);
        await follower.CatchUpAsync(6);
        Assert.Equal("Second call", System.Text.Json.JsonDocument.Parse(follower.Received[^1].Data).RootElement.GetProperty("body").GetString());
    }

    [SkippableFact]
    public async Task Each_role_receives_the_events_of_the_cases_it_may_read_on_the_case_pages()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var vidzeme = await env.OpenCaseAsync();
        var hamburgOpened = await env.Service.OpenCaseAsync(env.GermanPartner.Id, null, env.GermanBroker);
        Assert.True(hamburgOpened.Succeeded, hamburgOpened.Message);
        var hamburg = hamburgOpened.Case!;
        Assert.True((await env.Service.AddNoteAsync(hamburg.Id, "Met at the fair", env.GermanBroker)).Succeeded);
        var details = await env.DetailsAsync(vidzeme.Id);
        Assert.True((await env.Service.ApplyCaseActionAsync(vidzeme.Id, details.Case.Version, "withdraw", "The company was sold", env.LatvianBroker)).Succeeded);
        var feed = FeedFollower.Feed(fixture.Factory);

        async Task<List<FeedEvent>> ReadAll(Actor actor)
        {
            var follower = new FeedFollower(feed, actor, limit: 1);
            await follower.ReadAvailableAsync();
            return follower.Received;
        }

        // Wait until every committed event is final for the feed, then read as each role.
        await new FeedFollower(feed, env.Coordinator, 100).CatchUpAsync((await FeedFollower.CommittedAsync(fixture.Factory)).Count);
        var latvian = await ReadAll(env.LatvianBroker);
        var german = await ReadAll(env.GermanBroker);
        var coordinator = await ReadAll(env.Coordinator);
        var evaluator = await ReadAll(env.Evaluator);

        Assert.Equal(["case-opened", "case-withdraw"], latvian.Select(e => e.Kind));
        Assert.All(latvian, e => Assert.Equal(vidzeme.Id, e.CaseId));
        Assert.Equal(["case-opened", "note-added"], german.Select(e => e.Kind));
        Assert.All(german, e => Assert.Equal(hamburg.Id, e.CaseId));
        Assert.Equal(4, coordinator.Count);
        Assert.Equal(latvian.Select(e => e.Id), evaluator.Select(e => e.Id));
        FeedFollower.VerifyChains(coordinator);
    }

    [SkippableFact]
    public async Task A_cursor_the_feed_did_not_give_out_is_refused_with_a_field_error()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        await env.OpenCaseAsync();

        var result = await FeedFollower.Feed(fixture.Factory).HandleAsync(new ReadEventFeed.Request("2026-01-12T09:00:00Z", null), env.Coordinator);

        Assert.Empty(result.Events);
        Assert.Equal("after", Assert.Single(result.FieldErrors).Field);
    }

    [SkippableFact]
    public async Task Events_written_before_the_feed_existed_were_numbered_in_chain_order()
    {
        fixture.EnsureAvailable();
        Skip.If(fixture.Provider == DatabaseProvider.SqlServer, "The SQL Server script is split into batches by the migrator; its backfill runs when the schema is created.");
        var env = await CaseEnvironment.CreateAsync(fixture);
        var a = await env.OpenCaseAsync();
        var b = await env.OpenCaseAsync();
        env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await env.Service.AddNoteAsync(a.Id, "First", env.LatvianBroker)).Succeeded);
        Assert.True((await env.Service.AddNoteAsync(b.Id, "Second", env.LatvianBroker)).Succeeded);

        // A's third event was made before its second (a change made earlier, chained later): time alone would put it
        // out of chain order.
        await using (var late = await HeldEvent.BeginAsync(fixture.Factory, a.Id, env.LatvianBroker, Start.AddMinutes(-5)))
        {
            await late.CommitAsync();
        }

        // Back to the schema before script 0014 (no feed columns), then the script runs over the existing events.
        await using var c = await fixture.Factory.OpenAsync();
        if (fixture.Provider == DatabaseProvider.Sqlite)
        {
            await c.ExecuteAsync("DROP TRIGGER tr_case_events_feed_position");
        }

        await c.ExecuteAsync("DROP INDEX ux_case_events_feed");
        await c.ExecuteAsync("ALTER TABLE case_events DROP COLUMN feed_commit");
        await c.ExecuteAsync("ALTER TABLE case_events DROP COLUMN feed_position");
        var script = SchemaMigrator.ScriptNames(fixture.Provider).Single(n => n.EndsWith("0014_events_feed.sql", StringComparison.Ordinal));
        await c.ExecuteAsync(SchemaMigrator.ReadScript(script));

        var follower = new FeedFollower(FeedFollower.Feed(fixture.Factory), env.Coordinator, 3);
        await follower.CatchUpAsync(5);
        follower.AssertReceivedExactly(await FeedFollower.CommittedAsync(fixture.Factory));
        Assert.True((await env.Service.AddNoteAsync(b.Id, "After the upgrade", env.LatvianBroker)).Succeeded);
        await follower.CatchUpAsync(6);
        Assert.Equal((b.Id, 3), (follower.Received[^1].CaseId, follower.Received[^1].Seq));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEventFeedTests(SqliteFixture fixture) : EventFeedTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventFeedTests(PostgresFixture fixture) : EventFeedTests(fixture);

[Collection(SqlServerCollection.Name)]
public sealed class SqlServerEventFeedTests(SqlServerFixture fixture) : EventFeedTests(fixture);
