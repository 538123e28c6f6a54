using System.Diagnostics;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using TIBS.Cases.Fuzzing;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// <c>fuzz-definitions --cases N [--seed S]</c>: N cases of <see cref="DefinitionFuzz"/> (documents built from the
/// definition vocabulary, mutations of the shipped definitions, known attacks) through loader, validator, compiler and
/// diagram. Prints cases run, crashes, problems without a line and the largest allocation of one case; exit code 1
/// when any case failed, with the first failing cases written out for replay.
/// </summary>
internal static class DefinitionFuzzScenario
{
    public static int Run(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var cases = int.Parse(Value("--cases") ?? "10000", CultureInfo.InvariantCulture);
        var seed = ulong.Parse(Value("--seed") ?? "20261201", CultureInfo.InvariantCulture);
        var folder = Path.Combine(Directory.GetCurrentDirectory(), "workflows", "joint-smart-strategy");
        if (!Directory.Exists(folder))
        {
            folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "workflows", "joint-smart-strategy");
        }

        string[] shipped = [File.ReadAllText(Path.Combine(folder, "v1.yaml")), File.ReadAllText(Path.Combine(folder, "v2.yaml"))];
        var generator = DefinitionFuzz.Cases(shipped);
        var watch = Stopwatch.StartNew();
        int run = 0, crashes = 0, withoutLine = 0, overBound = 0, valid = 0;
        long largest = 0;
        const int Batch = 500;
        while (run < cases)
        {
            // One reproducible stream per batch: the seed and the batch number give the same cases again.
            var batch = generator.Sample(50, new Rnd(seed + (ulong)run), Math.Min(Batch, cases - run));
            foreach (var bytes in batch)
            {
                var result = DefinitionFuzz.Run(bytes);
                run++;
                valid += result.Valid ? 1 : 0;
                largest = Math.Max(largest, result.AllocatedBytes);
                withoutLine += result.ProblemsWithoutLine > 0 ? 1 : 0;
                overBound += result.AllocatedBytes > DefinitionFuzz.AllocationBound ? 1 : 0;
                if (result.Crash is not null)
                {
                    crashes++;
                    if (crashes <= 5)
                    {
                        var file = Path.Combine(Path.GetTempPath(), $"fuzz-crash-{crashes}.yaml");
                        File.WriteAllBytes(file, bytes);
                        Console.Error.WriteLine($"crash {crashes}: {result.Crash.GetType().Name}: {result.Crash.Message} (case written to {file})");
                    }
                }
            }

            if (run % 10_000 == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run} cases, {crashes} crashes, {watch.Elapsed.TotalSeconds:F0} s"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz-definitions: seed={seed} cases={run} crashes={crashes} problems-without-line={withoutLine} valid={valid} " +
            $"largest-allocation={largest / (1024.0 * 1024):F1} MB (bound {DefinitionFuzz.AllocationBound / (1024 * 1024)} MB, over bound {overBound}) time={watch.Elapsed.TotalSeconds:F0} s"));
        return crashes == 0 && withoutLine == 0 && overBound == 0 ? 0 : 1;
    }
}
