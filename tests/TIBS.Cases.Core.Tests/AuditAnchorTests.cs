using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Tests;

public sealed class AuditAnchorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid A = Guid.Parse("00000000-0000-7000-8000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-7000-8000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-7000-8000-00000000000c");

    private static string H(char c) => new(c, 64);

    private static byte[] Sha(params byte[][] parts) => SHA256.HashData(parts.SelectMany(p => p).ToArray());

    private static byte[] Leaf(Guid id, int count, string head) => Sha([0x00], Encoding.UTF8.GetBytes($"{id:D}\n{count}\n{head}"));

    [Fact]
    public void The_Merkle_root_follows_the_documented_construction_whatever_the_order_of_the_leaves()
    {
        AnchorLeaf[] leaves = [new(C, 3, H('c')), new(A, 1, H('a')), new(B, 2, H('b'))];
        var expected = Convert.ToHexStringLower(Sha([0x01], Sha([0x01], Leaf(A, 1, H('a')), Leaf(B, 2, H('b'))), Leaf(C, 3, H('c'))));

        Assert.Equal(expected, MerkleTree.Root(leaves));
        Assert.Equal(expected, MerkleTree.Root(leaves.Reverse()));
        Assert.Equal(Convert.ToHexStringLower(Leaf(A, 1, H('a'))), MerkleTree.Root([new(A, 1, H('a'))]));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), MerkleTree.Root([]));
    }

    [Fact]
    public void The_Merkle_root_of_many_leaves_orders_them_by_the_ids_lower_case_text_and_pairs_them_level_by_level()
    {
        var random = new Random(7);
        var leaves = Enumerable.Range(0, 1_001).Select(i => new AnchorLeaf(
            i % 3 == 0 ? Guid.CreateVersion7() : new Guid(random.GetItems<byte>([0x00, 0x7f, 0x80, 0xff, 0x0a, 0xa0], 16)),
            i, i % 5 == 0 ? new string('é', 300) : H((char)('a' + (i % 6))))).ToList();

        var level = leaves.OrderBy(l => l.CaseId.ToString("D"), StringComparer.Ordinal).Select(l => Leaf(l.CaseId, l.Count, l.Head)).ToList();
        while (level.Count > 1)
        {
            level = [.. level.Chunk(2).Select(pair => pair.Length == 2 ? Sha([0x01], pair[0], pair[1]) : pair[0])];
        }

        Assert.Equal(Convert.ToHexStringLower(level[0]), MerkleTree.Root(leaves));
    }

    [Fact]
    public void Any_changed_count_or_head_changes_the_Merkle_root()
    {
        AnchorLeaf[] leaves = [new(A, 1, H('a')), new(B, 2, H('b'))];
        var root = MerkleTree.Root(leaves);

        Assert.NotEqual(root, MerkleTree.Root([new(A, 1, H('a')), new(B, 3, H('b'))]));
        Assert.NotEqual(root, MerkleTree.Root([new(A, 1, H('a')), new(B, 2, H('d'))]));
        Assert.NotEqual(root, MerkleTree.Root([new(A, 1, H('a'))]));
    }

    private static AuditCheckpoint Checkpoint(int seq, string prev, params AnchorLeaf[] leaves) => new()
    {
        Seq = seq,
        CreatedAt = T0.AddMinutes(seq),
        PrevHash = prev,
        KeyId = "",
        Root = MerkleTree.Root(leaves),
        CaseCount = leaves.Length,
        Leaves = leaves,
    };

    [Fact]
    public void A_signed_checkpoint_verifies_and_any_change_to_its_line_breaks_the_signature()
    {
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var signed = keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 2, H('a'))));
        var parsed = AuditCheckpoint.Parse(signed.ToLine(), out _)!;

        Assert.Equal(keys.SigningKeyId, signed.KeyId);
        Assert.Matches("^[0-9a-f]{16}$", signed.KeyId);
        Assert.True(keys.Verify(parsed));
        Assert.False(keys.Verify(parsed with { Leaves = [new AnchorLeaf(A, 1, H('a'))] }));
        Assert.False(keys.Verify(parsed with { CreatedAt = parsed.CreatedAt.AddSeconds(1) }));
        Assert.Null(AuditCheckpoint.Parse("{\"v\":1,", out var error));
        Assert.Equal("it is not a readable checkpoint", error);
    }

    [Fact]
    public void After_a_rotation_the_old_public_key_still_verifies_old_checkpoints_and_an_unknown_key_does_not()
    {
        var oldPem = AuditKeyRing.NewPrivateKeyPem();
        using var oldKeys = AuditKeyRing.FromPem(oldPem, []);
        var old = oldKeys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 2, H('a'))));
        using var oldKey = ECDsa.Create();
        oldKey.ImportFromPem(oldPem);

        using var rotated = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), [oldKey.ExportSubjectPublicKeyInfoPem()]);
        using var stranger = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);

        Assert.NotEqual(oldKeys.SigningKeyId, rotated.SigningKeyId);
        Assert.True(rotated.Verify(old));
        Assert.Equal(2, rotated.PublicKeys.Count);
        Assert.False(stranger.Verify(old));
        Assert.False(stranger.IsTrusted(old.KeyId));
    }

    private static AnchorLine Line(int n, AuditCheckpoint c) => new("checkpoints-2026-05-04.jsonl", n, c.ToLine());

    [Fact]
    public void The_anchor_history_reports_a_missing_checkpoint_a_replaced_one_and_a_wrong_root()
    {
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var first = keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 2, H('a'))));
        var second = keys.Sign(Checkpoint(2, first.Hash, new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(B, 1, H('b'))) with { Leaves = [new AnchorLeaf(B, 1, H('b'))] });
        var third = keys.Sign(Checkpoint(3, second.Hash, new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(B, 1, H('b'))) with { Leaves = [] });

        Assert.Empty(AnchorHistory.Read([Line(1, first), Line(2, second), Line(3, third)], keys).Problems);
        Assert.Equal([(1, 2)], AnchorHistory.Read([Line(1, first), Line(2, second)], keys).PointsOf(B).Select(p => (p.Count, p.CheckpointSeq)));

        var gap = AnchorHistory.Read([Line(1, first), Line(2, third)], keys);
        Assert.Contains(gap.Problems, p => p.Message == "checkpoints-2026-05-04.jsonl line 2: checkpoint 2 is missing from the anchor files.");

        var replaced = keys.Sign(Checkpoint(2, H('e'), new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(B, 1, H('b'))) with { Leaves = [new AnchorLeaf(B, 1, H('b'))] });
        Assert.Contains(AnchorHistory.Read([Line(1, first), Line(2, replaced)], keys).Problems,
            p => p.Message == "checkpoints-2026-05-04.jsonl line 2: checkpoint 2 does not follow checkpoint 1: the previous checkpoint was replaced.");

        var wrongRoot = keys.Sign(second with { Root = H('f') });
        Assert.Contains(AnchorHistory.Read([Line(1, first), Line(2, wrongRoot)], keys).Problems,
            p => p.Message.EndsWith("checkpoint 2's Merkle root does not match the heads of the checkpoints before it.", StringComparison.Ordinal));
    }

    [Fact]
    public void Extending_a_history_by_the_lines_appended_gives_what_one_read_of_every_line_gives_and_leaves_the_held_history_as_it_was()
    {
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var first = keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(B, 2, H('b'))));
        var second = keys.Sign(Checkpoint(2, first.Hash, new AnchorLeaf(A, 3, H('c')), new AnchorLeaf(B, 2, H('b'))) with { Leaves = [new AnchorLeaf(A, 3, H('c'))] });
        var restore = keys.Sign(Checkpoint(3, second.Hash, new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(C, 1, H('d'))) with { RestoredFrom = T0 });
        var fourth = keys.Sign(Checkpoint(4, restore.Hash, new AnchorLeaf(A, 4, H('e')), new AnchorLeaf(C, 1, H('d'))) with { Leaves = [new AnchorLeaf(A, 4, H('e'))] });
        AnchorLine[] lines = [Line(1, first), Line(2, second), Line(3, restore), Line(4, fourth)];

        var held = AnchorHistory.Read(lines[..2], keys);
        var extended = held.Extend(lines[2..], keys);
        var whole = AnchorHistory.Read(lines, keys);

        Assert.Empty(extended.Problems);
        Assert.Equal(whole.Checkpoints.Select(c => c.Seq), extended.Checkpoints.Select(c => c.Seq));
        Assert.Equal(whole.State.OrderBy(s => s.Key), extended.State.OrderBy(s => s.Key));
        Assert.Equal([(2, 1), (2, 3), (4, 4)], extended.PointsOf(A).Select(p => (p.Count, p.CheckpointSeq)));
        Assert.Empty(extended.PointsOf(B));

        // The history a reader holds is not changed by extending it.
        Assert.Equal(2, held.Latest!.Seq);
        Assert.Equal([(2, 1), (3, 2)], held.PointsOf(A).Select(p => (p.Count, p.CheckpointSeq)));
        Assert.Equal(2, held.State.Count);
        Assert.Same(held, held.Extend([], keys));
    }

    [Fact]
    public void A_wrong_root_is_named_by_its_line_when_lines_are_read_together_whether_last_or_before_a_restore()
    {
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var first = keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 2, H('a'))));
        var second = keys.Sign(Checkpoint(2, first.Hash, new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(B, 1, H('b'))) with { Leaves = [new AnchorLeaf(B, 1, H('b'))], Root = H('f') });
        var restore = keys.Sign(Checkpoint(3, second.Hash, new AnchorLeaf(A, 2, H('a'))) with { RestoredFrom = T0 });
        var wrong = "checkpoints-2026-05-04.jsonl line 2: checkpoint 2's Merkle root does not match the heads of the checkpoints before it.";

        var last = AnchorHistory.Read([Line(1, first)], keys).Extend([Line(2, second)], keys);
        Assert.Equal([wrong], last.Problems.Select(p => p.Message));

        var beforeRestore = AnchorHistory.Read([Line(1, first)], keys).Extend([Line(2, second), Line(3, restore)], keys);
        Assert.Equal([wrong], beforeRestore.Problems.Select(p => p.Message));
        Assert.Equal(3, beforeRestore.Latest!.Seq);
        Assert.Equal([wrong], AnchorHistory.Read([Line(1, first), Line(2, second), Line(3, restore)], keys).Problems.Select(p => p.Message));
    }

    [Fact]
    public void A_database_consistently_at_an_earlier_checkpoint_is_a_restore_but_one_case_set_back_alone_is_not()
    {
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var first = keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 2, H('a')), new AnchorLeaf(B, 2, H('b'))));
        var second = keys.Sign(Checkpoint(2, first.Hash, new AnchorLeaf(A, 3, H('c')), new AnchorLeaf(B, 2, H('b'))) with { Leaves = [new AnchorLeaf(A, 3, H('c'))] });
        var third = keys.Sign(Checkpoint(3, second.Hash, new AnchorLeaf(A, 3, H('c')), new AnchorLeaf(B, 4, H('d'))) with { Leaves = [new AnchorLeaf(B, 4, H('d'))] });
        var history = AnchorHistory.Read([Line(1, first), Line(2, second), Line(3, third)], keys);

        var restored = AuditEvidence.FindRestore(history, new Dictionary<Guid, int> { [A] = 2, [B] = 3 });
        Assert.Equal(1, restored!.CheckpointSeq);
        Assert.Equal([A, B], restored.CasesBehind.Order());
        Assert.Equal(2, AuditEvidence.FindRestore(history, new Dictionary<Guid, int> { [A] = 3, [B] = 2 })!.CheckpointSeq);

        Assert.Null(AuditEvidence.FindRestore(history, new Dictionary<Guid, int> { [A] = 2, [B] = 4 }));
        Assert.Null(AuditEvidence.FindRestore(history, new Dictionary<Guid, int> { [A] = 3, [B] = 4, [C] = 1 }));
    }

    [Fact]
    public void Events_made_after_an_older_head_are_chained_after_the_current_head()
    {
        var caseId = Guid.CreateVersion7(T0);
        var e1 = AuditChain.Append(caseId, 1, AuditChain.GenesisHash, T0, null, "case-opened", null, "{}");
        var system = AuditChain.Append(caseId, 2, e1.Hash, T0.AddSeconds(1), null, "audit-anchored", null, "{}");
        var stale = AuditChain.Append(caseId, 2, e1.Hash, T0.AddSeconds(2), Guid.NewGuid(), "step-completed", "intake", """{"a":1}""");

        var chained = AuditChain.Rechain([stale], system.Hash, 2);

        var record = new CaseRecord
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
            AuditHeadHash = chained[0].Hash,
            AuditCount = 3,
        };
        Assert.Equal(3, chained[0].Seq);
        Assert.Equal(stale.Id, chained[0].Id);
        Assert.Null(AuditEvidence.CheckChain(caseId, record, [e1, system, chained[0]]));
        Assert.Same(stale, AuditChain.Rechain([stale], e1.Hash, 1)[0]);
    }

    /// <summary>A case with <paramref name="count"/> notes recorded, and its events.</summary>
    private static (CaseRecord Case, List<CaseEventRecord> Events) Recorded(int count)
    {
        var actor = new Actor(Guid.NewGuid(), TIBS.Cases.Workflows.Definitions.WorkflowRole.Broker, "LV008");
        var c = new CaseRecord { Id = A, Reference = "LV008-2026-0002", Title = "t", DefinitionVersionId = B, LeadCompanyId = C, RegionCode = "LV008", OwnerUserId = actor.UserId, Status = CaseStatus.Active, CurrentStep = "intake", AuditHeadHash = AuditChain.GenesisHash };
        var events = new List<CaseEventRecord>();
        for (var n = 1; n <= count; n++)
        {
            (c, var e) = c.RecordAppendOnly(T0.AddMinutes(n), actor, CaseEventKinds.NoteAdded, null, $$"""{"body":"Call {{n}}"}""");
            events.Add(e);
        }

        return (c, events);
    }

    [Fact]
    public void A_page_of_the_timeline_is_judged_in_itself_and_against_the_head_but_events_before_it_only_by_the_whole_trail()
    {
        var (c, events) = Recorded(10);
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var none = AnchorHistory.Read([], keys);
        var page = events[6..];

        var intact = AuditEvidence.VerifyShown(c, page, latest: true, none, null);
        Assert.True(intact.IsIntact);
        Assert.False(intact.IsWhole);
        Assert.Equal("Audit trail: the latest 4 of 10 events are intact and end at the case's recorded head. The other events are checked when you verify the whole trail.", intact.Describe());
        Assert.Equal("Audit trail: events 3 to 6 of 10 are intact and follow each other. The other events are checked when you verify the whole trail.",
            AuditEvidence.VerifyShown(c, events[2..6], latest: false, none, null).Describe());
        Assert.True(AuditEvidence.VerifyShown(c, events, latest: true, none, null).IsWhole);

        var editedBefore = events.Select(e => e.Seq == 3 ? e with { Data = """{"body":"Visit 3"}""" } : e).ToList();
        Assert.True(AuditEvidence.VerifyShown(c, editedBefore[6..], latest: true, none, null).IsIntact);
        Assert.Equal("Event 3 (Note) was edited: its content does not match its hash.", AuditEvidence.VerifyCase(A, c, editedBefore, none, null).Problem!.Message);

        var editedOnPage = events.Select(e => e.Seq == 8 ? e with { Data = """{"body":"Visit 8"}""" } : e).ToList();
        Assert.Equal("Event 8 (Note) was edited: its content does not match its hash.", AuditEvidence.VerifyShown(c, editedOnPage[6..], latest: true, none, null).Problem!.Message);
        Assert.Equal(AuditProblemKind.Missing, AuditEvidence.VerifyShown(c, [.. page.Where(e => e.Seq != 9)], latest: true, none, null).Problem!.Kind);
        Assert.Equal("The case records 12 events but the last one stored is event 10: the last events were removed.",
            AuditEvidence.VerifyShown(c with { AuditCount = 12 }, page, latest: true, none, null).Problem!.Message);
        Assert.Equal(AuditProblemKind.Edited, AuditEvidence.VerifyShown(c with { AuditHeadHash = H('e') }, page, latest: true, none, null).Problem!.Kind);
    }

    [Fact]
    public void A_page_is_checked_against_the_checkpoints_that_anchored_its_events_and_the_case_row_count()
    {
        var (c, events) = Recorded(10);
        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var first = keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 9, events[8].Hash)));
        var anchored = AnchorHistory.Read([Line(1, first)], keys);

        var covered = AuditEvidence.VerifyShown(c, events[6..], latest: true, anchored, null);
        Assert.True(covered.IsIntact);
        Assert.Equal(1, covered.Covered!.CheckpointSeq);
        Assert.Contains("event 9 is the one checkpoint 1 signed", covered.Describe(), StringComparison.Ordinal);

        // Event 2 rewritten and every hash after it recomputed, the case row's head too: the anchored event 9 on the page differs.
        var rewritten = new List<CaseEventRecord>();
        foreach (var e in events)
        {
            var data = e.Seq == 2 ? """{"body":"Visit 2"}""" : e.Data;
            var prev = rewritten.Count == 0 ? AuditChain.GenesisHash : rewritten[^1].Hash;
            rewritten.Add(e with { Data = data, PrevHash = prev, Hash = AuditChain.Hash(prev, AuditChain.Canonical(e with { Data = data, PrevHash = prev })) });
        }

        Assert.Equal(AuditProblemKind.Rewritten, AuditEvidence.VerifyShown(c with { AuditHeadHash = rewritten[^1].Hash }, rewritten[6..], latest: true, anchored, null).Problem!.Kind);

        var beyond = AnchorHistory.Read([Line(1, keys.Sign(Checkpoint(1, AuditCheckpoint.GenesisHash, new AnchorLeaf(A, 11, H('f')))))], keys);
        Assert.Equal(AuditProblemKind.Truncated, AuditEvidence.VerifyShown(c, events[6..], latest: true, beyond, null).Problem!.Kind);
    }
}
