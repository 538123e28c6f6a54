using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Tests;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    private static (CaseRecord Case, List<CaseEventRecord> Events) Chain(int count)
    {
        var caseId = Guid.CreateVersion7(T0);
        var events = new List<CaseEventRecord>();
        var prev = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var e = AuditChain.Append(caseId, i, prev, T0.AddMinutes(i), Guid.NewGuid(), "step-completed", "intake", $$"""{"n":{{i}}}""");
            events.Add(e);
            prev = e.Hash;
        }

        var c = new CaseRecord
        {
            Id = caseId,
            Reference = "LV008-2026-0001",
            Title = "t",
            DefinitionVersionId = Guid.NewGuid(),
            LeadCompanyId = Guid.NewGuid(),
            RegionCode = "LV008",
            OwnerUserId = Guid.NewGuid(),
            Status = CaseStatus.Active,
            CurrentStep = "intake",
            AuditHeadHash = prev,
            AuditCount = count,
        };
        return (c, events);
    }

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var (c, events) = Chain(5);

        var result = AuditChain.Verify(c, events);

        Assert.True(result.IsIntact);
        Assert.Equal("All 5 events are intact.", result.Message);
    }

    [Fact]
    public void An_edited_event_is_found_at_its_position()
    {
        var (c, events) = Chain(5);
        events[2] = events[2] with { Data = """{"n":99}""" };

        var result = AuditChain.Verify(c, events);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSeq);
        Assert.Contains("altered", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_actor_or_time_is_found()
    {
        var (c, events) = Chain(3);
        var actor = events.ToList();
        actor[1] = actor[1] with { ActorUserId = Guid.NewGuid() };
        var time = events.ToList();
        time[0] = time[0] with { OccurredAt = time[0].OccurredAt.AddSeconds(1) };

        Assert.Equal(2, AuditChain.Verify(c, actor).FirstBrokenSeq);
        Assert.Equal(1, AuditChain.Verify(c, time).FirstBrokenSeq);
    }

    [Fact]
    public void A_removed_event_in_the_middle_is_found()
    {
        var (c, events) = Chain(5);
        events.RemoveAt(1);

        var result = AuditChain.Verify(c, events);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSeq);
    }

    [Fact]
    public void Removing_the_last_events_is_found_through_the_case_row()
    {
        var (c, events) = Chain(5);
        events.RemoveRange(3, 2);

        var result = AuditChain.Verify(c, events);

        Assert.False(result.IsIntact);
        Assert.Contains("records 5 events but 3 are present", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reordered_events_are_found()
    {
        var (c, events) = Chain(4);
        (events[1], events[2]) = (events[2], events[1]);

        Assert.False(AuditChain.Verify(c, events).IsIntact);
    }

    [Fact]
    public void A_rehashed_forgery_without_the_case_head_is_found()
    {
        var (c, events) = Chain(3);
        var forged = AuditChain.Append(c.Id, 3, events[1].Hash, events[2].OccurredAt, events[2].ActorUserId, events[2].Kind, events[2].StepKey, """{"n":"forged"}""");
        events[2] = forged;

        var result = AuditChain.Verify(c, events);

        Assert.False(result.IsIntact);
        Assert.Contains("head", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_are_hashed_at_the_microsecond_the_databases_keep()
    {
        var id = Guid.NewGuid();
        var caseId = Guid.NewGuid();
        var withTicks = T0.AddTicks(7);

        Assert.Equal(
            AuditChain.Canonical(caseId, 1, id, withTicks, null, "k", null, "{}"),
            AuditChain.Canonical(caseId, 1, id, T0, null, "k", null, "{}"));
    }

    [Fact]
    public void An_appended_event_s_hash_is_the_published_hash_of_its_canonical_form()
    {
        // A receiver verifies with the published rule: SHA-256 of the previous hash, a line feed and the canonical JSON.
        var caseId = Guid.CreateVersion7(T0);
        var data = """{"note":"Rūta Žemaitė — ąčęėįšųūž Øre & <b> \"q\"","n":-1.5}""";
        foreach (var actor in new Guid?[] { Guid.NewGuid(), null })
        {
            var e = AuditChain.Append(caseId, 7, AuditChain.GenesisHash, T0.AddTicks(1234567), actor, "note-added", null, data);

            Assert.Equal(AuditChain.Hash(AuditChain.GenesisHash, AuditChain.Canonical(e)), e.Hash);
            Assert.Equal(e.Hash, AuditChain.Rechain([e with { Seq = 1, Hash = "" }], AuditChain.GenesisHash, 6)[0].Hash);
        }
    }
}
