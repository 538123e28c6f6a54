using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Data.Audit;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The anchor files of a programme that has run a while: --cases N (2,000) cases anchored, then --checkpoints K (1,440:
/// a day of the checkpoint job's minutes) signed checkpoints of --moved M (40) moved cases each, written as the
/// checkpoint job writes them. Times what the case page's verifier pays (<see cref="AuditVerifier.History"/>): its
/// first read in a process, a read after one more checkpoint was appended (every minute while cases move) and a read
/// with the files unchanged, median of --runs, with bytes allocated. Figures are printed, never asserted.
/// </summary>
internal static class AnchorsScenario
{
    public static Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var (cases, count, moved) = (Arg("--cases", 2000), Arg("--checkpoints", 1440), Arg("--moved", 40));
        var folder = Path.Combine(Path.GetTempPath(), "tibs-bench-anchors-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
            var log = new AnchorFolderLog(folder);
            var writer = new Writer(keys, log, cases);
            var generate = Stopwatch.StartNew();
            for (var k = 1; k < count; k++)
            {
                writer.Next(moved);
            }

            var bytes = Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"anchors: {cases:N0} cases, {count:N0} checkpoints of {moved} moved cases, {Directory.GetFiles(folder).Length} file(s), {bytes / 1048576.0:F1} MB, written in {generate.Elapsed.TotalSeconds:F1} s"));

            var verifier = new AuditVerifier(null!, null!, log, keys);
            var (firstMs, firstBytes, first) = Time(verifier.History);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  first read in a process           {firstMs,9:F1} ms  {firstBytes / 1048576.0,8:F1} MB allocated  ({first.Checkpoints.Count} checkpoints, {first.Problems.Count} problems)"));

            var appended = new List<(double Ms, long Bytes)>();
            var unchanged = new List<(double Ms, long Bytes)>();
            for (var r = 0; r < options.Runs; r++)
            {
                writer.Next(moved);
                var (ms, allocated, history) = Time(verifier.History);
                if (history.Problems.Count > 0 || history.Latest!.Seq != writer.Seq)
                {
                    Console.Error.WriteLine($"anchors: the read after checkpoint {writer.Seq} found {history.Problems.Count} problem(s) and ends at {history.Latest?.Seq}.");
                    return Task.FromResult(1);
                }

                appended.Add((ms, allocated));
                var again = Time(verifier.History);
                unchanged.Add((again.Ms, again.Bytes));
            }

            Print("a read after one more checkpoint  ", appended);
            Print("a read with the files unchanged   ", unchanged);
            return Task.FromResult(0);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static (double Ms, long Bytes, AnchorHistory History) Time(Func<AnchorHistory> read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var history = read();
        return (watch.Elapsed.TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - before, history);
    }

    private static void Print(string label, List<(double Ms, long Bytes)> runs)
    {
        var ms = runs.Select(r => r.Ms).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label} {ms[ms.Count / 2],9:F2} ms  {runs.Select(r => r.Bytes).Order().ElementAt(runs.Count / 2) / 1048576.0,8:F2} MB allocated  (median of {runs.Count}; {ms[0]:F2}–{ms[^1]:F2} ms)"));
    }

    /// <summary>Writes checkpoints as the checkpoint job does: the moved heads, the root over all heads, signed, appended.</summary>
    private sealed class Writer
    {
        private static readonly DateTimeOffset Start = new(2026, 5, 4, 0, 0, 0, TimeSpan.Zero);
        private readonly AuditKeyRing keys;
        private readonly AnchorFolderLog log;
        private readonly Dictionary<Guid, AnchorLeaf> state = [];
        private readonly List<Guid> ids;
        private readonly Random random = new(42);
        private string prev = AuditCheckpoint.GenesisHash;

        public Writer(AuditKeyRing keys, AnchorFolderLog log, int cases)
        {
            (this.keys, this.log) = (keys, log);
            ids = [.. Enumerable.Range(0, cases).Select(_ => Guid.CreateVersion7())];
            Write(ids.Select(id => new AnchorLeaf(id, 1, Head())).ToList());
        }

        public int Seq { get; private set; }

        public void Next(int moved) =>
            Write([.. Enumerable.Range(0, moved).Select(_ => ids[random.Next(ids.Count)]).Distinct().Select(id => new AnchorLeaf(id, state[id].Count + 1, Head()))]);

        private string Head() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        private void Write(List<AnchorLeaf> leaves)
        {
            foreach (var leaf in leaves)
            {
                state[leaf.CaseId] = leaf;
            }

            Seq++;
            var checkpoint = keys.Sign(new AuditCheckpoint
            {
                Seq = Seq,
                CreatedAt = Start.AddMinutes(Seq),
                PrevHash = prev,
                KeyId = keys.SigningKeyId!,
                Root = MerkleTree.Root(state.Values),
                CaseCount = state.Count,
                Leaves = [.. leaves.OrderBy(l => l.CaseId.ToString("D"), StringComparer.Ordinal)],
            });
            log.Append(checkpoint);
            prev = checkpoint.Hash;
        }
    }
}
