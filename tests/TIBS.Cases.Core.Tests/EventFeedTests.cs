using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Events;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Core.Tests;

public sealed class EventFeedCursorTests
{
    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(171_466L, 3L)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void A_cursor_reads_back_as_the_position_it_was_made_from(long commit, long position)
    {
        var cursor = new EventFeedPosition(commit, position).ToCursor();

        Assert.True(EventFeedPosition.TryParse(cursor, out var parsed));
        Assert.Equal(new EventFeedPosition(commit, position), parsed);
        Assert.DoesNotContain(cursor, c => c is '+' or '/' or '=');
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("not a cursor")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAA")] // format 1, but one byte short
    [InlineData("AgAAAAAAAAABAAAAAAAAAAE")] // an unknown format
    [InlineData("AQAAAAAAAAABAAAAAAAAAAE=")] // padding: not the spelling the feed gives out
    [InlineData("AQAAAAAAAAAB AAAAAAAAAAE")]
    [InlineData("Af__________AAAAAAAAAAE")] // a negative commit
    public void Anything_but_a_cursor_of_the_feed_is_refused(string cursor)
    {
        Assert.False(EventFeedPosition.TryParse(cursor, out _));
    }
}

public sealed class ReadEventFeedTests
{
    private static readonly Actor LatvianBroker = new(Guid.NewGuid(), WorkflowRole.Broker, "LV008");
    private static readonly Actor Coordinator = new(Guid.NewGuid(), WorkflowRole.Coordinator, null);

    [Fact]
    public async Task A_malformed_cursor_is_a_field_error_on_after_and_nothing_is_read()
    {
        var feed = new FakeFeed();

        var result = await new ReadEventFeed(feed).HandleAsync(new ReadEventFeed.Request("page-2", null), Coordinator);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.FieldErrors);
        Assert.Equal("after", error.Field);
        Assert.Contains("not a cursor of the events feed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, feed.Reads);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task A_limit_outside_1_to_500_is_a_field_error_on_limit(int limit)
    {
        var result = await new ReadEventFeed(new FakeFeed()).HandleAsync(new ReadEventFeed.Request(null, limit), Coordinator);

        var error = Assert.Single(result.FieldErrors);
        Assert.Equal("limit", error.Field);
        Assert.Equal("Ask for 1 to 500 events per page (the default is 100).", error.Message);
    }

    [Fact]
    public async Task Pages_follow_each_other_through_the_next_cursor_and_end_caught_up()
    {
        var feed = new FakeFeed();
        var c = feed.AddCase("LV008");
        for (var i = 0; i < 7; i++)
        {
            feed.Add(c);
        }

        var handler = new ReadEventFeed(feed);
        var first = await handler.HandleAsync(new ReadEventFeed.Request(null, 3), Coordinator);
        var second = await handler.HandleAsync(new ReadEventFeed.Request(first.Next, 3), Coordinator);
        var third = await handler.HandleAsync(new ReadEventFeed.Request(second.Next, 3), Coordinator);
        var after = await handler.HandleAsync(new ReadEventFeed.Request(third.Next, 3), Coordinator);

        Assert.Equal([1, 2, 3], first.Events.Select(e => e.Seq));
        Assert.True(first.More);
        Assert.Equal([4, 5, 6], second.Events.Select(e => e.Seq));
        Assert.Equal([7], third.Events.Select(e => e.Seq));
        Assert.False(third.More);
        Assert.Empty(after.Events);
        Assert.Equal(third.Next, after.Next);
        Assert.Equal("Note", first.Events[0].Title);
        Assert.Equal(third.Events[0].Cursor, third.Next);
    }

    [Fact]
    public async Task Events_of_cases_the_caller_may_not_read_are_passed_over_and_the_cursor_moves_past_them()
    {
        var feed = new FakeFeed();
        var hamburg = feed.AddCase("DE60");
        var vidzeme = feed.AddCase("LV008");
        feed.Add(vidzeme);
        for (var i = 0; i < 12; i++)
        {
            feed.Add(hamburg);
        }

        feed.Add(vidzeme);
        var handler = new ReadEventFeed(feed);

        var page = await handler.HandleAsync(new ReadEventFeed.Request(null, 2), LatvianBroker);
        var next = await handler.HandleAsync(new ReadEventFeed.Request(page.Next, 2), LatvianBroker);

        Assert.All(page.Events, e => Assert.Equal(vidzeme.Id, e.CaseId));
        Assert.Equal([1, 2], page.Events.Select(e => e.Seq));
        Assert.Empty(next.Events);
        Assert.False(next.More);
    }

    [Fact]
    public async Task A_caller_who_may_read_nothing_still_moves_through_the_feed_a_bounded_stretch_per_request()
    {
        var feed = new FakeFeed();
        var hamburg = feed.AddCase("DE60");
        var vidzeme = feed.AddCase("LV008");
        for (var i = 0; i < (ReadEventFeed.ScanPages * 2) + 1; i++)
        {
            feed.Add(hamburg);
        }

        feed.Add(vidzeme);
        var handler = new ReadEventFeed(feed);

        var first = await handler.HandleAsync(new ReadEventFeed.Request(null, 2), LatvianBroker);
        var readsOfFirst = feed.Reads;
        var second = await handler.HandleAsync(new ReadEventFeed.Request(first.Next, 2), LatvianBroker);

        Assert.Empty(first.Events);
        Assert.True(first.More);
        Assert.NotNull(first.Next);
        Assert.Equal(ReadEventFeed.ScanPages, readsOfFirst);
        Assert.Equal(vidzeme.Id, Assert.Single(second.Events).CaseId);
    }

    [Fact]
    public async Task An_evaluator_reads_the_events_of_closed_cases_only()
    {
        var feed = new FakeFeed();
        var open = feed.AddCase("LV008");
        var closed = feed.AddCase("LV008", CaseStatus.Closed);
        feed.Add(open);
        feed.Add(closed);

        var page = await new ReadEventFeed(feed).HandleAsync(new ReadEventFeed.Request(null, null), new Actor(Guid.NewGuid(), WorkflowRole.Evaluator, null));

        Assert.Equal(closed.Id, Assert.Single(page.Events).CaseId);
    }

    /// <summary>A feed over a list in memory: positions 1, 2, … in the order events were added.</summary>
    private sealed class FakeFeed : IEventFeedQueries
    {
        private readonly List<EventFeedRow> rows = [];
        private readonly List<CaseRecord> cases = [];

        public int Reads { get; private set; }

        public CaseRecord AddCase(string region, string status = CaseStatus.Active)
        {
            var c = new CaseRecord
            {
                Id = Guid.NewGuid(),
                Reference = $"{region}-2026-{cases.Count + 1:0000}",
                Title = "T",
                DefinitionVersionId = Guid.NewGuid(),
                LeadCompanyId = Guid.NewGuid(),
                RegionCode = region,
                OwnerUserId = Guid.NewGuid(),
                Status = status,
                CurrentStep = "intake",
                AuditHeadHash = AuditChain.GenesisHash,
            };
            cases.Add(c);
            return c;
        }

        public void Add(CaseRecord c)
        {
            var seq = rows.Count(r => r.Event.CaseId == c.Id) + 1;
            var prev = rows.LastOrDefault(r => r.Event.CaseId == c.Id)?.Event.Hash ?? AuditChain.GenesisHash;
            var e = AuditChain.Append(c.Id, seq, prev, new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), null, CaseEventKinds.NoteAdded, null, "{}");
            rows.Add(new EventFeedRow(e, new EventFeedPosition(rows.Count + 1, rows.Count + 1), null));
        }

        public Task<EventFeedPage> ReadAsync(EventFeedPosition? after, int take, CancellationToken cancellationToken = default)
        {
            Reads++;
            var page = rows.Where(r => after is null || r.Position.Position > after.Value.Position).Take(take).ToList();
            return Task.FromResult(new EventFeedPage(page, [.. cases.Where(c => page.Any(r => r.Event.CaseId == c.Id))], []));
        }
    }
}
