using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The scheduled verification of every audit trail (<see cref="VerifyAllTrails"/>) over --items N cases (100) of
/// --events M events (20) each plus one case of --long L events (2,000), all anchored by a checkpoint: time of a whole
/// run, cases and events per second, bytes allocated per event, next to <see cref="AuditVerifier.VerifyAsync"/> (every
/// case read whole, as /audit/verify does), median of --runs. Figures are printed, never asserted.
/// </summary>
internal static class TrailVerificationScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        int Arg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var (perCase, longCase) = (Arg("--events", 20), Arg("--long", 2000));
        var cases = options.Items == 200 ? 100 : options.Items;
        await using var database = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        await new SchemaMigrator(database.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        var env = await BenchEnvironment.CreateAsync(database.Factory);
        for (var c = 0; c <= cases; c++)
        {
            var id = await env.OpenCaseAsync();
            for (var n = 1; n < (c == cases ? longCase : perCase); n++)
            {
                await env.Cases.AppendSystemRecordAsync(id, new SystemRecord("audit-anchored", null, "{\"note\":\"benchmark filler\"}", DateTimeOffset.UtcNow));
            }
        }

        using var keys = AuditKeyRing.FromPem(AuditKeyRing.NewPrivateKeyPem(), []);
        var log = new AnchorFolderLog(Path.Combine(Path.GetTempPath(), "tibs-bench-anchors-" + Guid.NewGuid().ToString("N")));
        var ledger = new AuditLedger(database.Factory);
        await new AuditAnchoring(ledger, env.Cases, log, keys, TimeProvider.System).CheckpointAsync();
        var verifier = new AuditVerifier(env.Cases, ledger, log, keys);
        var store = new TrailVerificationStore(database.Factory);
        var runs = new List<(double Ms, long Bytes, int Events)>();
        var whole = new List<(double Ms, long Bytes)>();
        for (var r = 0; r < options.Runs + 1; r++)
        {
            var verify = new VerifyAllTrails(verifier, ledger, store, env.Users, new TrailVerificationOptions(), TimeProvider.System);
            var (allocated, start) = (GC.GetTotalAllocatedBytes(precise: false), Stopwatch.GetTimestamp());
            var result = await verify.HandleAsync(new VerifyAllTrails.Request("benchmark"));
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var bytes = GC.GetTotalAllocatedBytes(precise: false) - allocated;
            if (!result.Ran || result.Run!.Failures != 0)
            {
                throw new InvalidOperationException("The benchmark's trails must verify.");
            }

            (allocated, start) = (GC.GetTotalAllocatedBytes(precise: false), Stopwatch.GetTimestamp());
            _ = await verifier.VerifyAsync();
            var wholeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var wholeBytes = GC.GetTotalAllocatedBytes(precise: false) - allocated;
            if (r > 0)
            {
                runs.Add((ms, bytes, result.Run.EventsChecked));
                whole.Add((wholeMs, wholeBytes));
            }
        }

        var events = runs[0].Events;
        double Median(IEnumerable<double> values) => Stats.Percentile([.. values.Order()], 50);
        var runMs = Median(runs.Select(x => x.Ms));
        var provider = options.Provider.ToString().ToLowerInvariant();
        var scheduled = FormattableString.Invariant(
            $"scheduled run {runMs:F0} ms ({(cases + 1) / runMs * 1000:F0} cases/s, {events / runMs * 1000:F0} events/s, {Median(runs.Select(x => (double)x.Bytes)) / events:F0} B allocated per event)");
        var report = FormattableString.Invariant(
            $"whole report as /audit/verify {Median(whole.Select(x => x.Ms)):F0} ms ({Median(whole.Select(x => (double)x.Bytes)) / events:F0} B per event)");
        Console.WriteLine(FormattableString.Invariant(
            $"summary verify-trails {provider}: {cases + 1} cases, {events} events (one case of {longCase}); {scheduled}; {report}; median of {options.Runs}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        return 0;
    }
}
