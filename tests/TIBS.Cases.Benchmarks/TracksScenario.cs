using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Partners.Tracks;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Partner track completions per second through the real Core handler (<see cref="TakeTrackOutcome"/>) and stores. Each
/// run uses a fresh database: migrate, import joint-smart-strategy v1 and the partner-tracks test definition, create ten
/// partner companies, open --items cases on partner-tracks, shortlist the ten partners and move each case into its
/// expressions-of-interest step (ten open tracks per case). Then --workers workers take distinct cases and, per case,
/// take ten track outcomes as the case's broker: nine partners decline, the tenth becomes interested and agrees, and
/// that last outcome fires the join (the case moves on). Setup is not measured. Figures are printed, never asserted;
/// every case must end in the step after the join.
/// </summary>
internal static class TracksScenario
{
    private const int TracksPerCase = 10;

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        if (options.Provider is not (DatabaseProvider.Sqlite or DatabaseProvider.Postgres) || options.Runs < 1 || options.Workers < 1 || options.Items < 1)
        {
            await Console.Error.WriteLineAsync("The tracks scenario runs on Sqlite or Postgres; --runs, --workers and --items must be at least 1.");
            return 2;
        }

        if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.Connection))
        {
            await Console.Error.WriteLineAsync("PostgreSQL: pass --connection \"Host=…;Username=…;Password=…;Database=postgres\" (a role that may create databases) or set TIBS_TEST_POSTGRES.");
            return 2;
        }

        var provider = options.Provider.ToString().ToLowerInvariant();
        Print($"tracks on {provider}: {options.Items} cases x {TracksPerCase} tracks (11 track outcomes per case, the last fires the join), {options.Workers} workers, {options.Runs} run(s)");
        var rates = new List<double>();
        var failed = 0;
        for (var r = 0; r < options.Runs; r++)
        {
            var run = await RunOnceAsync(options);
            rates.Add(run.PerSecond);
            failed += run.Failed;
            Print($"run {r + 1}/{options.Runs}: {run.Outcomes} track outcomes in {run.Elapsed.TotalSeconds:F2} s = {run.PerSecond:F1} track completions/s; " +
                  $"p50 {Stats.Percentile(run.Latencies, 50):F2} ms, p95 {Stats.Percentile(run.Latencies, 95):F2} ms; joins fired {run.Joined}/{options.Items}; failed {run.Failed}" +
                  (run.Failures.Count == 0 ? "" : " (" + string.Join("; ", run.Failures.Take(3)) + ")"));
        }

        rates.Sort();
        Print($"summary tracks {provider} workers={options.Workers} cases={options.Items} tracks/case={TracksPerCase} runs={options.Runs}: median {Stats.Percentile(rates, 50):F1} track completions/s (min {rates[0]:F1}, max {rates[^1]:F1})");
        return failed == 0 ? 0 : 1;
    }

    private sealed record RunResult(int Outcomes, TimeSpan Elapsed, List<double> Latencies, int Joined, int Failed, IReadOnlyList<string> Failures)
    {
        public double PerSecond => Outcomes / Elapsed.TotalSeconds;
    }

    private static async Task<RunResult> RunOnceAsync(BenchmarkOptions options)
    {
        await using var database = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        await new SchemaMigrator(database.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        var env = await BenchEnvironment.CreateAsync(database.Factory);
        await ImportTrackDefinitionAsync(env);
        var partners = new List<Company>();
        for (var i = 0; i < TracksPerCase; i++)
        {
            var now = TimeProvider.System.GetUtcNow();
            var partner = new Company
            {
                Id = Guid.CreateVersion7(),
                Name = $"Hamburg Partner {i + 1}",
                CountryCode = "DE",
                RegionCode = "DE60",
                SizeClass = SizeClasses.Small,
                NaceCodes = ["C"],
                S3Areas = ["bioeconomy"],
                CreatedAt = now,
                UpdatedAt = now,
            };
            await env.Companies.InsertAsync(partner);
            partners.Add(partner);
        }

        var cases = new ConcurrentBag<(Guid Case, Guid[] Tracks)>();
        await ForEachAsync(Enumerable.Range(0, options.Items), options.Workers, async _ => cases.Add(await CaseWithTracksAsync(env, partners)));

        var take = env.Service.Handler<TakeTrackOutcome>();
        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();
        var outcomes = 0;
        var clock = Stopwatch.StartNew();
        await ForEachAsync(cases, options.Workers, async c =>
        {
            var steps = c.Tracks[..^1].Select(t => (t, 1, "declined")).Append((c.Tracks[^1], 1, "interested")).Append((c.Tracks[^1], 2, "agreed"));
            foreach (var (track, version, outcome) in steps)
            {
                var sw = Stopwatch.StartNew();
                var result = await take.HandleAsync(new TakeTrackOutcome.Request(c.Case, track, version, outcome), env.Broker);
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                if (result.Succeeded)
                {
                    Interlocked.Increment(ref outcomes);
                }
                else
                {
                    failures.Add(result.Message);
                }
            }
        });
        clock.Stop();

        var joined = 0;
        foreach (var (id, _) in cases)
        {
            joined += (await env.Service.GetDetailsAsync(id))!.Case.CurrentStep == "agreement" ? 1 : 0;
        }

        var sorted = latencies.ToList();
        sorted.Sort();
        return new RunResult(outcomes, clock.Elapsed, sorted, joined, failures.Count + (options.Items - joined), [.. failures.Distinct()]);
    }

    /// <summary>A case on partner-tracks in its expressions-of-interest step, with a track per partner.</summary>
    private static async Task<(Guid, Guid[])> CaseWithTracksAsync(BenchEnvironment env, IReadOnlyList<Company> partners)
    {
        var opened = await env.Service.OpenCaseAsync(env.Lead.Id, null, env.Broker, TrackDefinition.Key);
        var id = opened.Succeeded ? opened.Case!.Id : throw new InvalidOperationException("Opening a case failed: " + opened.Message);
        var version = opened.Case.Version;
        foreach (var partner in partners)
        {
            var shortlisted = await env.Service.ShortlistPartnerAsync(id, version, partner.Id, env.Broker);
            version = shortlisted.Succeeded ? shortlisted.Case!.Version : throw new InvalidOperationException("Shortlisting failed: " + shortlisted.Message);
        }

        var moved = await env.Service.CompleteStepAsync(id, version, "ask-partners", FormInput.Empty, env.Broker);
        if (!moved.Succeeded)
        {
            throw new InvalidOperationException("Moving to the tracks failed: " + moved.Message);
        }

        var tracks = (await env.Service.GetDetailsAsync(id))!.Tracks.Where(t => t.Status == TrackStatus.Open).Select(t => t.Id).ToArray();
        return tracks.Length == TracksPerCase ? (id, tracks) : throw new InvalidOperationException($"Expected {TracksPerCase} open tracks, found {tracks.Length}.");
    }

    private static async Task ImportTrackDefinitionAsync(BenchEnvironment env)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-bench", "tracks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, TrackDefinition.Key));
        await File.WriteAllTextAsync(Path.Combine(folder, TrackDefinition.Key, "v1.yaml"), TrackDefinition.Yaml());
        try
        {
            await env.Catalog.ImportFolderAsync(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task ForEachAsync<T>(IEnumerable<T> items, int workers, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (item, _) => await body(item));

    private static void Print(string line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
