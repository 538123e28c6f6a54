using System.Data.Common;
using System.Text.Json.Nodes;
using Dapper;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Events;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.IntegrationTests.Events;

/// <summary>A receiver of the events feed: follows it page by page with the cursor and keeps what it got.</summary>
internal sealed class FeedFollower(ReadEventFeed feed, Actor actor, int limit)
{
    public static ReadEventFeed Feed(IDbConnectionFactory db) => new(new EventFeedQueries(db));

    public List<FeedEvent> Received { get; } = [];

    public string? Cursor { get; private set; }

    public int Pages { get; private set; }

    /// <summary>Reads pages until the feed says it has caught up with what is committed and final.</summary>
    public async Task ReadAvailableAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var page = await feed.HandleAsync(new ReadEventFeed.Request(Cursor, limit), actor, cancellationToken);
            Assert.True(page.Succeeded, string.Join("; ", page.FieldErrors.Select(e => $"{e.Field}: {e.Message}")));
            Assert.True(page.Events.Count <= limit);
            Received.AddRange(page.Events);
            Cursor = page.Next ?? Cursor;
            Pages++;
            if (!page.More)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Follows the feed until it has delivered <paramref name="expected"/> events. On PostgreSQL the feed holds back
    /// events while any older transaction of the server is still open (another database's too), so this waits for
    /// that rather than counting on the server being quiet. After a minute it stops, and the assertions that follow
    /// say what is missing.
    /// </summary>
    public Task CatchUpAsync(int expected) => CatchUpAsync(received => received.Count >= expected);

    /// <summary>Follows the feed, as <see cref="CatchUpAsync(int)"/> does, until what it received satisfies <paramref name="done"/>.</summary>
    public async Task CatchUpAsync(Func<IReadOnlyList<FeedEvent>, bool> done)
    {
        var giveUp = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            await ReadAvailableAsync();
            if (done(Received) || DateTimeOffset.UtcNow > giveUp)
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Every event exactly once, each case's events in chain order, and every hash verifying.</summary>
    public void AssertReceivedExactly(IReadOnlyCollection<(Guid CaseId, int Seq)> committed)
    {
        var duplicates = Received.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.First().CaseId}#{g.First().Seq}").ToList();
        Assert.True(duplicates.Count == 0, $"Received twice: {string.Join(", ", duplicates)}");
        var missing = committed.Except(Received.Select(e => (e.CaseId, e.Seq))).ToList();
        Assert.True(missing.Count == 0, $"Never received {missing.Count} of {committed.Count} events: {string.Join(", ", missing.Take(10))}");
        Assert.Equal(committed.Count, Received.Count);
        VerifyChains(Received);
    }

    /// <summary>Each event's hash recomputed from what the feed delivered, and each case's chain unbroken from its first event.</summary>
    public static void VerifyChains(IEnumerable<FeedEvent> events)
    {
        foreach (var chain in events.GroupBy(e => e.CaseId))
        {
            var prev = AuditChain.GenesisHash;
            var seq = 0;
            foreach (var e in chain)
            {
                Assert.True(e.Seq == seq + 1, $"Case {e.CaseReference}: event {e.Seq} arrived after event {seq}.");
                Assert.Equal(prev, e.PrevHash);
                var canonical = AuditChain.Canonical(e.CaseId, e.Seq, e.Id, e.OccurredAt, e.ActorId, e.Kind, e.StepKey, e.Data);
                Assert.True(AuditChain.Hash(e.PrevHash, canonical) == e.Hash, $"Case {e.CaseReference}: event {e.Seq} does not verify.");
                prev = e.Hash;
                seq = e.Seq;
            }
        }
    }

    /// <summary>Every event in the database, as (case, seq).</summary>
    public static async Task<List<(Guid CaseId, int Seq)>> CommittedAsync(IDbConnectionFactory db)
    {
        await using var c = await db.OpenAsync();
        return [.. (await c.QueryAsync<EventKey>("SELECT case_id, seq FROM case_events")).Select(k => (k.CaseId, k.Seq))];
    }

    private sealed class EventKey
    {
        public Guid CaseId { get; init; }

        public int Seq { get; init; }
    }
}

/// <summary>
/// A write transaction that appends a note event to a case the way the case store does (lock the case row, chain
/// after its head, insert, move the head) and then stays open until the test commits it: events other transactions
/// commit meanwhile get higher numbers from the database than this one, which commits after them.
/// </summary>
internal sealed class HeldEvent : IAsyncDisposable
{
    private readonly DbConnection connection;
    private readonly DbTransaction transaction;
    private bool ended;

    private HeldEvent(DbConnection connection, DbTransaction transaction, CaseEventRecord evt)
    {
        this.connection = connection;
        this.transaction = transaction;
        Event = evt;
    }

    public CaseEventRecord Event { get; }

    public static async Task<HeldEvent> BeginAsync(IDbConnectionFactory db, Guid caseId, Actor actor, DateTimeOffset now)
    {
        var c = await db.OpenAsync();
        var tx = await c.BeginWriteAsync();
        await c.ExecuteAsync("UPDATE cases SET audit_count = audit_count WHERE id = @caseId", new { caseId }, tx);
        var count = await c.ExecuteScalarAsync<int>("SELECT audit_count FROM cases WHERE id = @caseId", new { caseId }, tx);
        var head = (await c.ExecuteScalarAsync<string>("SELECT audit_head_hash FROM cases WHERE id = @caseId", new { caseId }, tx))!.Trim();
        var data = new JsonObject { ["noteId"] = Guid.NewGuid().ToString(), ["body"] = "Written in a long transaction" }.ToJsonString();
        var evt = AuditChain.Append(caseId, count + 1, head, now, actor.AuditId, CaseEventKinds.NoteAdded, null, data);
        await c.ExecuteAsync(
            """
            INSERT INTO case_events (case_id, seq, id, occurred_at, actor_user_id, kind, step_key, data, prev_hash, hash)
            VALUES (@CaseId, @Seq, @Id, @OccurredAt, @ActorUserId, @Kind, @StepKey, @Data, @PrevHash, @Hash)
            """, evt, tx);
        await c.ExecuteAsync("UPDATE cases SET audit_head_hash = @Hash, audit_count = @Seq WHERE id = @caseId", new { evt.Hash, evt.Seq, caseId }, tx);
        return new HeldEvent(c, tx, evt);
    }

    public async Task CommitAsync()
    {
        await transaction.CommitAsync();
        ended = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!ended)
        {
            await transaction.RollbackAsync();
        }

        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
