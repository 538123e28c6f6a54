using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// How the reads of a case grow with its timeline: one case each with 10, 100 and 1,000 events (opened through the
/// engine, then system records appended), and per case, interleaved, --requests N (200) times each of: the case page's
/// view (<see cref="ICaseStore.GetViewAsync"/>, one round trip, the latest 50 events), what a command reads
/// (<see cref="ICaseStore.GetCommandStateAsync"/>, one round trip), and for comparison the whole case as it was read
/// for the page and for every command before (<see cref="CaseReader.GetDetailsAsync"/>: nine reads, every event).
/// Prints median and p95 in ms and the ratio of 1,000 to 10 events. Figures are printed, never asserted.
/// </summary>
internal static class PageScenario
{
    private static readonly int[] Sizes = [10, 100, 1000];

    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        var i = Array.IndexOf(args, "--requests");
        var requests = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 200;
        await using var database = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        await new SchemaMigrator(database.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        var env = await BenchEnvironment.CreateAsync(database.Factory);
        var cases = new Dictionary<int, Guid>();
        foreach (var size in Sizes)
        {
            var id = await env.OpenCaseAsync();
            for (var n = 1; n < size; n++)
            {
                await env.Cases.AppendSystemRecordAsync(id, new SystemRecord("audit-anchored", null, "{\"note\":\"benchmark filler\"}", DateTimeOffset.UtcNow));
            }

            cases[size] = id;
        }

        var reads = new (string Name, Func<Guid, Task> Read)[]
        {
            ("page view (1 round trip, latest 50 events)", async id => _ = await env.Cases.GetViewAsync(id, EventPage.Latest) ?? throw new InvalidOperationException("missing")),
            ("command state (1 round trip)", async id => _ = await env.Cases.GetCommandStateAsync(id) ?? throw new InvalidOperationException("missing")),
            ("whole case, as read before (9 reads)", async id => _ = await env.Service.GetDetailsAsync(id) ?? throw new InvalidOperationException("missing")),
        };
        var timings = reads.ToDictionary(r => r.Name, _ => Sizes.ToDictionary(s => s, _ => new List<double>()));
        for (var k = 0; k < requests + 20; k++)
        {
            foreach (var size in Sizes)
            {
                foreach (var (name, read) in reads)
                {
                    var start = Stopwatch.GetTimestamp();
                    await read(cases[size]);
                    if (k >= 20)
                    {
                        timings[name][size].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                }
            }
        }

        var provider = options.Provider.ToString().ToLowerInvariant();
        Console.WriteLine(FormattableString.Invariant($"page on {provider}: {requests} reads of each kind per size, interleaved, after 20 warm-up rounds; load average {LoadAverage()}"));
        Console.WriteLine("  read                                          events   p50 ms   p95 ms");
        foreach (var (name, bySize) in timings)
        {
            foreach (var size in Sizes)
            {
                var sorted = bySize[size].Order().ToArray();
                Console.WriteLine(FormattableString.Invariant($"  {name,-45} {size,6} {Stats.Percentile(sorted, 50),8:F3} {Stats.Percentile(sorted, 95),8:F3}"));
            }
        }

        foreach (var (name, bySize) in timings)
        {
            double P50(int size) => Stats.Percentile(bySize[size].Order().ToArray(), 50);
            Console.WriteLine(FormattableString.Invariant($"summary page {provider}: {name}: p50 {P50(10):F3} / {P50(100):F3} / {P50(1000):F3} ms at 10 / 100 / 1000 events, 1000:10 = {P50(1000) / P50(10):F2}x"));
        }

        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
