using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Cold start of the published application on the embedded default: a fresh data folder each run (SQLite, the schema
/// applied, the shipped definitions imported, the demo data and the audit key made at first start), Production
/// environment with a key file, timed from starting <c>dotnet TIBS.Cases.Web.dll</c> to the first healthy /health
/// answer. Median of --runs (5); the working set just after start is printed too.
/// </summary>
internal static class ColdStartScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        var i = Array.IndexOf(args, "--published");
        var dll = PublishedApp.Find(i >= 0 && i + 1 < args.Length ? args[i + 1] : null);
        var times = new List<double>();
        var memory = new List<double>();
        for (var run = 1; run <= options.Runs; run++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tibs-load", $"cold-{Guid.NewGuid():N}")).FullName;
            var keyFile = Path.Combine(folder, "dataprotection.key");
            await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            var settings = new Dictionary<string, string>
            {
                ["DataProtection__KeyFile"] = keyFile,
                ["Database__DataDirectory"] = Path.Combine(folder, "data"),
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var load = HttpScenario.LoadAverage();
            var watch = Stopwatch.StartNew();
            await using (var app = PublishedApp.StartWeb(dll, settings, folder))
            {
                var healthy = await app.WaitHealthyAsync(watch, TimeSpan.FromSeconds(180));
                times.Add(healthy.TotalMilliseconds);
                memory.Add(app.ResidentMb);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: healthy after {healthy.TotalMilliseconds:F0} ms, working set {app.ResidentMb:F0} MB (load average {load})"));
            }

            Directory.Delete(folder, recursive: true);
        }

        var sorted = times.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold-start, embedded SQLite, fresh data folder, Production: median {Stats.Percentile(sorted, 50):F0} ms, min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms over {sorted.Count} runs; working set after start median {Stats.Percentile([.. memory.Order()], 50):F0} MB"));
        return 0;
    }
}
