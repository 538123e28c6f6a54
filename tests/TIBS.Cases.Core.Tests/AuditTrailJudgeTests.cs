using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Tests;

/// <summary>
/// The scheduled verification reads a trail page by page; its verdict is the verdict of the "Verify the whole audit
/// trail" button, which judges every event at once, whatever the page size.
/// </summary>
public sealed class AuditTrailJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid A = Guid.Parse("00000000-0000-7000-8000-00000000000a");

    private static List<CaseEventRecord> Trail(int length)
    {
        var events = new List<CaseEventRecord>();
        var prev = AuditChain.GenesisHash;
        for (var seq = 1; seq <= length; seq++)
        {
            var e = AuditChain.Append(A, seq, prev, T0.AddMinutes(seq), null, "note-added", null, $$"""{"body":"note {{seq}}"}""");
            events.Add(e);
            prev = e.Hash;
        }

        return events;
    }

    private static CaseRecord Row(IReadOnlyList<CaseEventRecord> events) => new()
    {
        Id = A,
        Reference = "LV008-2026-0001",
        Title = "T",
        DefinitionVersionId = A,
        LeadCompanyId = A,
        RegionCode = "LV008",
        OwnerUserId = A,
        Status = CaseStatus.Active,
        CurrentStep = "intake",
        AuditHeadHash = events.Count == 0 ? AuditChain.GenesisHash : events[^1].Hash,
        AuditCount = events.Count,
    };

    /// <summary>Anchors from one signed checkpoint that anchored the case at <paramref name="count"/> with <paramref name="head"/>.</summary>
    private static AnchorHistory Anchored(int count, string head)
    {
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        AnchorLeaf[] leaves = [new(A, count, head)];
        var checkpoint = keys.Sign(new AuditCheckpoint
        {
            Seq = 1,
            CreatedAt = T0.AddHours(1),
            PrevHash = AuditCheckpoint.GenesisHash,
            KeyId = keys.SigningKeyId!,
            Root = MerkleTree.Root(leaves),
            CaseCount = 1,
            Leaves = leaves,
        });
        return AnchorHistory.Read([new AnchorLine("checkpoints.jsonl", 1, checkpoint.ToLine())], keys);
    }

    private static CaseAuditResult Paged(CaseRecord row, IReadOnlyList<CaseEventRecord> events, AnchorHistory anchors, int pageSize)
    {
        var judge = new AuditTrailJudge(A, row, anchors, null);
        foreach (var page in events.Chunk(pageSize))
        {
            if (!judge.NeedsMore)
            {
                break;
            }

            judge.Add(page);
        }

        return judge.Finish();
    }

    public static TheoryData<string, int> Damages()
    {
        var data = new TheoryData<string, int>();
        foreach (var damage in new[] { "none", "edited", "reordered", "missing", "rewritten", "truncated" })
        {
            foreach (var size in new[] { 1, 2, 3, 7 })
            {
                data.Add(damage, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_trail_read_page_by_page_gets_the_verdict_of_the_whole_trail(string damage, int pageSize)
    {
        var events = Trail(7);
        var row = Row(events);
        var anchors = Anchored(5, events[4].Hash);
        switch (damage)
        {
            case "edited":
                events[4] = events[4] with { Data = """{"body":"changed"}""" };
                break;
            case "reordered":
                // Event 6 stored in the place of event 3: chained after event 5, which is stored later.
                (events[2], events[5]) = (events[5] with { Seq = 3 }, events[2] with { Seq = 6 });
                break;
            case "missing":
                events[2] = events[2] with { PrevHash = new string('0', 63) + "1" };
                break;
            case "rewritten":
                anchors = Anchored(5, new string('b', 64));
                break;
            case "truncated":
                anchors = Anchored(7, events[6].Hash);
                events.RemoveRange(5, 2);
                row = Row(events);
                break;
        }

        var whole = AuditEvidence.VerifyCase(A, row, events, anchors, null);
        var paged = Paged(row, events, anchors, pageSize);

        Assert.Equal(damage == "none", whole.IsIntact);
        Assert.Equal(whole.Problem?.Kind, paged.Problem?.Kind);
        Assert.Equal(whole.Problem?.Message, paged.Problem?.Message);
        Assert.Equal(whole.Covered, paged.Covered);
        if (damage != "none")
        {
            Assert.Equal(damage, whole.Problem!.KindName);
        }
    }
}
