// Longer than 400 lines because one run (setup, the three paths taking turns, CPU and allocation accounting, the report) is measured and printed in one place, so that every figure comes from the same run.
using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Step completions per second and their latency, through the real engine and stores, next to a raw ADO.NET baseline
/// doing the same writes, in the same run on the same database. Each run uses a fresh database (or, with --existing,
/// the database --connection names, with its cases, so that a seeded programme of 1,000,000 cases is measured): migrate, import
/// joint-smart-strategy v1, create a broker and a lead SME, open the cases of every path through the engine, warm up,
/// then measure the paths taking turns in slices (the order rotates from slice to slice), each with the same number
/// of workers taking distinct cases and driving each through intake → first-contact → needs-assessment → eligibility →
/// cooperation-profile (four transitions). Figures are printed, never asserted.
/// </summary>
internal static class TransitionsScenario
{
    private static readonly CaseWritePath[] Paths = [CaseWritePath.Engine, CaseWritePath.Baseline, CaseWritePath.Store];

    private static readonly AllocationTypes? Sampler = Environment.GetEnvironmentVariable("TIBS_BENCH_ALLOCATIONS") == "1" ? new AllocationTypes() : null;

    private static readonly ConcurrentDictionary<(CaseWritePath, string), long> SampledTypes = new();

    /// <summary>Spans recorded while <c>TIBS_BENCH_TRACING=1</c> attaches a listener to the application's source (as an exporter would).</summary>
    private static long tracedSpans;

    public static async Task<int> RunAsync(BenchmarkOptions options, bool existing = false)
    {
        if (options.Provider is not (DatabaseProvider.Sqlite or DatabaseProvider.Postgres))
        {
            await Console.Error.WriteLineAsync("The transitions scenario runs on Sqlite or Postgres.");
            return 2;
        }

        if (options.Runs < 1 || options.Workers < 1 || options.Items < 1)
        {
            await Console.Error.WriteLineAsync("--runs, --workers and --items must be at least 1.");
            return 2;
        }

        if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.Connection))
        {
            await Console.Error.WriteLineAsync("PostgreSQL: pass --connection \"Host=…;Username=…;Password=…;Database=postgres\" (a role that may create databases) or set TIBS_TEST_POSTGRES.");
            return 2;
        }

        var provider = options.Provider.ToString().ToLowerInvariant();
        var warmup = Math.Max(4, 2 * options.Workers);
        Print($"transitions on {provider}: {options.Items} cases x 4 transitions per path, {options.Workers} workers, {options.Runs} run(s), {warmup} warm-up cases per path");
        Print($"  {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(IsDebugBuild() ? "DEBUG build (use -c Release)" : "Release build")}");

        // TIBS_BENCH_TRACING=1: something listens to TIBS.Cases and records every span (SQLite commands are then wrapped).
        using var tracing = Environment.GetEnvironmentVariable("TIBS_BENCH_TRACING") == "1" ? new ActivityListener
        {
            ShouldListenTo = s => s.Name == TIBS.Cases.Core.Observability.TibsTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref tracedSpans),
        } : null;
        if (tracing is not null)
        {
            ActivitySource.AddActivityListener(tracing);
        }

        Print($"  tracing: {(tracing is null ? "nothing listens to TIBS.Cases" : "a listener records every span of TIBS.Cases (TIBS_BENCH_TRACING=1)")}");
        var runs = new List<RunResult>();
        for (var r = 0; r < options.Runs; r++)
        {
            var run = await RunOnceAsync(options, r, warmup, existing);
            runs.Add(run);
            Print($"run {r + 1}/{options.Runs} (setup {run.Setup.TotalSeconds:F1} s{(run.ServerVersion is null ? "" : ", " + run.ServerVersion)}; load average {run.LoadAverage}; {run.Slices} slices per path)");
            foreach (var path in Paths)
            {
                PrintRaw("  " + Line(run.Phases[path]));
            }

            var sameRows = run.Rows.Values.Distinct(StringComparer.Ordinal).Count() == 1;
            PrintRaw($"  rows of the measured cases, per path: {run.Rows[CaseWritePath.Engine]}; " +
                     (sameRows ? "the same on every path" : "DIFFERENT: " + string.Join(" | ", run.Rows.Select(x => $"{Name(x.Key)}: {x.Value}"))));
            var store = run.Phases[CaseWritePath.Store];
            Print($"  store phase split: read p50 {Stats.Percentile(store.Reads, 50):F2} ms, build p50 {Stats.Percentile(store.Builds, 50):F3} ms, commit p50 {Stats.Percentile(store.Commits, 50):F2} ms");
        }

        Report(options, runs, provider);
        return runs.Sum(r => r.Phases.Values.Sum(p => p.Failed)) == 0 ? 0 : 1;
    }

    /// <summary>The paths in the order of slice <paramref name="k"/>: each path comes first, second and third equally often.</summary>
    private static CaseWritePath[] Order(int k) => [.. Enumerable.Range(0, Paths.Length).Select(i => Paths[(i + k) % Paths.Length])];

    private static async Task<RunResult> RunOnceAsync(BenchmarkOptions options, int run, int warmup, bool existing)
    {
        var setup = Stopwatch.StartNew();
        await using var database = existing
            ? BenchmarkDatabase.Existing(options.Provider, options.Connection ?? throw new InvalidOperationException("--existing needs --connection naming the database."))
            : await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        await new SchemaMigrator(database.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        var env = await BenchEnvironment.CreateAsync(database.Factory);
        var route = await RouteStep.BuildAsync(env);
        var serverVersion = database.Factory.Provider == DatabaseProvider.Postgres ? await ServerVersionAsync(database.Factory) : null;

        // Every path gets its own cases, opened the same way (through the engine), before anything is measured.
        var opened = await InParallelAsync(Enumerable.Range(0, Paths.Length * (warmup + options.Items)), options.Workers, _ => env.OpenCaseAsync());
        var cases = new Dictionary<CaseWritePath, (Guid[] Warm, Guid[] Measured)>();
        for (var p = 0; p < Paths.Length; p++)
        {
            var mine = opened.Skip(p * (warmup + options.Items)).Take(warmup + options.Items).ToArray();
            cases[Paths[p]] = (mine[..warmup], mine[warmup..]);
        }

        var baseline = new RawTransitionWriter(database.Factory, env.Broker.UserId);

        Func<Guid, Recorder, Task> Driver(CaseWritePath path) => path switch
        {
            CaseWritePath.Engine => (id, rec) => DriveEngineAsync(env, route, id, rec),
            CaseWritePath.Baseline => (id, rec) => DriveBaselineAsync(baseline, route, id, rec),
            _ => (id, rec) => DriveStoreAsync(env, route, id, rec),
        };

        foreach (var path in Order(run))
        {
            var warm = await RunPhaseAsync(path, cases[path].Warm, options.Workers, Driver(path));
            if (warm.Failed > 0)
            {
                throw new InvalidOperationException($"Warm-up of {Name(path)} failed: {string.Join("; ", warm.Failures.Select(f => $"{f.Value} x {f.Key}"))}");
            }
        }

        setup.Stop();
        var loadAverage = LoadAverage();

        // The paths take turns in slices of about 40 cases, so that a change of load on this shared machine (another
        // build starting, say) falls on all of them rather than on whichever happened to run at that moment.
        var slices = Math.Clamp(options.Items / 40, 1, 10);
        var parts = Paths.ToDictionary(p => p, _ => new List<PhaseResult>());
        for (var k = 0; k < slices; k++)
        {
            var from = options.Items * k / slices;
            var to = options.Items * (k + 1) / slices;
            foreach (var path in Order(run + k))
            {
                parts[path].Add(await RunPhaseAsync(path, cases[path].Measured[from..to], options.Workers, Driver(path)));
            }
        }

        var phases = parts.ToDictionary(x => x.Key, x => PhaseResult.Combine(x.Value));

        // Not timed: what each path left in the database, to show that the baseline writes what the engine writes.
        var rows = new Dictionary<CaseWritePath, string>();
        foreach (var path in Paths)
        {
            rows[path] = Rows(await InParallelAsync(cases[path].Measured, options.Workers,
                async id => await env.Service.GetDetailsAsync(id) ?? throw new InvalidOperationException($"Case {id} is missing.")));
        }

        return new RunResult(setup.Elapsed, serverVersion, loadAverage, slices, phases, rows);
    }

    /// <summary>Workers take the next case from a shared index (so every case has exactly one worker) and drive it to the end of the route.</summary>
    private static async Task<PhaseResult> RunPhaseAsync(CaseWritePath path, Guid[] cases, int workers, Func<Guid, Recorder, Task> drive)
    {
        var next = -1;
        var gauge = new Gauge();
        var recorders = Enumerable.Range(0, workers).Select(_ => new Recorder(gauge)).ToArray();
        var cpu = CpuTimes.Now();
        Sampler?.Start();
        var clock = Stopwatch.StartNew();

        // One dedicated thread per worker: Microsoft.Data.Sqlite completes its "async" calls synchronously, so workers
        // queued on the two-thread pool of this machine would otherwise run two at a time rather than all at once.
        await Task.WhenAll(recorders.Select(rec => Task.Factory.StartNew(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < cases.Length)
                {
                    await drive(cases[i], rec);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()));
        clock.Stop();
        var sampled = Sampler?.Stop() ?? [];
        var used = CpuTimes.Now(ending: true) - cpu;
        foreach (var (type, bytes) in sampled)
        {
            SampledTypes.AddOrUpdate((path, type), bytes, (_, v) => v + bytes);
        }

        static double[] Sorted(IEnumerable<double> values)
        {
            var a = values.ToArray();
            Array.Sort(a);
            return a;
        }

        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in recorders.SelectMany(r => r.Failures))
        {
            failures.AddOrUpdate(f, 1, (_, n) => n + 1);
        }

        return new PhaseResult(
            path,
            recorders.Sum(r => r.Latencies.Count),
            recorders.Sum(r => r.Failures.Count),
            clock.Elapsed,
            Sorted(recorders.SelectMany(r => r.Latencies)),
            Sorted(recorders.SelectMany(r => r.Reads)),
            Sorted(recorders.SelectMany(r => r.Builds)),
            Sorted(recorders.SelectMany(r => r.Commits)),
            gauge.Max,
            failures)
        {
            ClientCpu = used.Process,
            MachineCpu = used.Machine,
            ServerCpu = used.Server,
            Allocated = used.Allocated,
        };
    }

    /// <summary>The engine: one <see cref="CompleteStep"/> per transition, nothing else timed.</summary>
    private static async Task DriveEngineAsync(BenchEnvironment env, IReadOnlyList<RouteStep> route, Guid caseId, Recorder rec)
    {
        var version = 1;
        foreach (var s in route)
        {
            rec.Gauge.Enter();
            var start = Stopwatch.GetTimestamp();
            var result = await env.Service.CompleteStepAsync(caseId, version, s.Outcome.Key, s.Input, env.Broker);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            rec.Gauge.Exit();
            if (!result.Succeeded)
            {
                rec.Failures.Add($"engine {s.Step.Key}: {result.Status}: {result.Message}");
                return;
            }

            rec.Latencies.Add(ms);
            version = result.Case!.Version;
        }
    }

    /// <summary>The baseline: one raw read and the same writes in one raw ADO.NET transaction per transition.</summary>
    private static async Task DriveBaselineAsync(RawTransitionWriter writer, IReadOnlyList<RouteStep> route, Guid c, Recorder rec)
    {
        foreach (var s in route)
        {
            rec.Gauge.Enter();
            var start = Stopwatch.GetTimestamp();
            try
            {
                await writer.CompleteAsync(c, s);
            }
            catch (Exception ex) when (ex is RawConflictException or DbException)
            {
                rec.Failures.Add($"baseline {s.Step.Key}: {ex.GetType().Name}: {ex.Message}");
                return;
            }
            finally
            {
                rec.Gauge.Exit();
            }

            rec.Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    /// <summary>
    /// A diagnostic split of the engine's work: the same read it makes (the command state, one round trip), the same
    /// write built the same way, committed by the real <see cref="TIBS.Cases.Data.Stores.CaseStore"/> (Dapper); but no
    /// form validation, state machine or condition evaluation (the form values are validated once before the run).
    /// </summary>
    private static async Task DriveStoreAsync(BenchEnvironment env, IReadOnlyList<RouteStep> route, Guid caseId, Recorder rec)
    {
        foreach (var s in route)
        {
            rec.Gauge.Enter();
            var start = Stopwatch.GetTimestamp();
            var details = await env.Cases.GetCommandStateAsync(caseId) ?? throw new InvalidOperationException($"Case {caseId} is missing.");
            var read = Stopwatch.GetTimestamp();
            if (details.Case.CurrentStep != s.Step.Key)
            {
                rec.Failures.Add($"store {s.Step.Key}: the case is at {details.Case.CurrentStep}");
                rec.Gauge.Exit();
                return;
            }

            var write = StoreWrite(details, await env.Catalog.GetPlanAsync(details.Case.DefinitionVersionId), s, env.Broker);
            var built = Stopwatch.GetTimestamp();
            try
            {
                await env.Cases.CommitAsync(write);
            }
            catch (Exception ex) when (ex is ConcurrencyConflictException or DbException)
            {
                rec.Failures.Add($"store {s.Step.Key}: {ex.GetType().Name}: {ex.Message}");
                return;
            }
            finally
            {
                rec.Gauge.Exit();
            }

            var end = Stopwatch.GetTimestamp();
            rec.Latencies.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            rec.Reads.Add(Stopwatch.GetElapsedTime(start, read).TotalMilliseconds);
            rec.Builds.Add(Stopwatch.GetElapsedTime(read, built).TotalMilliseconds);
            rec.Commits.Add(Stopwatch.GetElapsedTime(built, end).TotalMilliseconds);
        }
    }

    /// <summary>The write <see cref="CompleteStep"/> makes when a step is completed towards a next step.</summary>
    private static CaseWrite StoreWrite(CaseCommandState details, WorkflowPlan plan, RouteStep s, Actor actor)
    {
        var now = TimeProvider.System.UtcNow();
        var c = details.Case;
        var current = details.OpenSteps.Last(x => x.StepKey == c.CurrentStep);
        var evt = AuditChain.Append(c.Id, c.AuditCount + 1, c.AuditHeadHash, now, actor.AuditId, "step-completed", s.Step.Key, s.EventData);
        var next = CaseSteps.NewStep(c.Id, s.Next, now);
        return new CaseWrite
        {
            Case = c with
            {
                Data = CaseData.With(c.Data, s.Step.Key, s.Values),
                Version = c.Version + 1,
                AuditHeadHash = evt.Hash,
                AuditCount = c.AuditCount + 1,
                UpdatedAt = now,
                CurrentStep = s.Next.Key,
                CurrentStage = s.Next.StageKey,
                StepStartedAt = now,
                StepDueAt = next.DueAt,
            },
            Before = c,
            ExpectedVersion = c.Version,
            CompletedSteps = [current with { CompletedAt = now, CompletedBy = actor.AuditId, Outcome = s.Outcome.Key, FormData = s.FormJson }],
            StartedSteps = [next],
            Events = [evt],
            CancelReminders = [.. details.OpenReminders.Where(r => r.CaseStepId == current.Id).Select(r => r.Id)],
            NewReminders = CaseSteps.Schedule(plan, s.Next, next, now),
        };
    }

    /// <summary>Setup work (not timed) spread over <paramref name="workers"/> tasks; results in the order of <paramref name="items"/>.</summary>
    private static async Task<TResult[]> InParallelAsync<TItem, TResult>(IEnumerable<TItem> items, int workers, Func<TItem, Task<TResult>> work)
    {
        var list = items.ToArray();
        var results = new TResult[list.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Length), new ParallelOptions { MaxDegreeOfParallelism = workers },
            async (i, _) => results[i] = await work(list[i]));
        return results;
    }

    /// <summary>Counts the rows of the cases: steps, events, reminders by status, and the case versions and steps.</summary>
    private static string Rows(IReadOnlyList<CaseDetails> cases)
    {
        int steps = 0, completed = 0, events = 0, pending = 0, cancelled = 0, other = 0;
        var versions = new SortedSet<int>();
        var at = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var d in cases)
        {
            steps += d.Steps.Count;
            completed += d.Steps.Count(x => x.CompletedAt is not null);
            events += d.Events.Count;
            pending += d.Reminders.Count(r => r.Status == ReminderStatus.Pending);
            cancelled += d.Reminders.Count(r => r.Status == ReminderStatus.Cancelled);
            other += d.Reminders.Count(r => r.Status is not (ReminderStatus.Pending or ReminderStatus.Cancelled));
            versions.Add(d.Case.Version);
            at.Add(d.Case.CurrentStep);
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"steps {steps} ({completed} completed), events {events}, reminders {pending} pending + {cancelled} cancelled + {other} other, case version {string.Join('/', versions)}, at {string.Join('/', at)}");
    }

    /// <summary>The 1, 5 and 15 minute load averages before the measured phases (Linux), to tell a quiet machine from a busy one.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static async Task<string> ServerVersionAsync(ConnectionFactory factory)
    {
        await using var connection = await factory.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SHOW server_version";
        return "PostgreSQL " + await command.ExecuteScalarAsync();
    }

    private static void Report(BenchmarkOptions options, IReadOnlyList<RunResult> runs, string provider)
    {
        static double Median(IEnumerable<double> values)
        {
            var a = values.ToArray();
            Array.Sort(a);
            return Stats.Percentile(a, 50);
        }

        double M(CaseWritePath path, Func<PhaseResult, double> f) => Median(runs.Select(r => f(r.Phases[path])));

        PrintRaw("");
        Print($"medians of {runs.Count} run(s), {provider}, {options.Workers} workers, {options.Items} cases x 4 transitions per path:");
        PrintRaw("  path                       transitions   transitions/s   p50 ms   p95 ms   p99 ms   >=100 ms   failed");
        foreach (var path in Paths)
        {
            Print($"  {Name(path),-26} {M(path, p => p.Completed),11:F0} {M(path, p => p.PerSecond),15:F1} {M(path, p => p.P(50)),8:F2} {M(path, p => p.P(95)),8:F2} {M(path, p => p.P(99)),8:F2} {M(path, p => p.Slow),10:F0} {runs.Sum(r => r.Phases[path].Failed),8}");
        }

        var throughputRatio = Median(runs.Select(r => r.Phases[CaseWritePath.Engine].PerSecond / r.Phases[CaseWritePath.Baseline].PerSecond));
        var p50Ratio = Median(runs.Select(r => r.Phases[CaseWritePath.Engine].P(50) / r.Phases[CaseWritePath.Baseline].P(50)));
        var p99Ratio = Median(runs.Select(r => r.Phases[CaseWritePath.Engine].P(99) / r.Phases[CaseWritePath.Baseline].P(99)));
        Print($"  engine/baseline (median of per-run ratios): throughput {throughputRatio:F2}, p50 latency {p50Ratio:F2}x, p99 latency {p99Ratio:F2}x");
        foreach (var path in Paths)
        {
            Print($"  CPU per transition, {Name(path)}: client {M(path, p => p.ClientCpuPerTransition):F2} ms, database server {M(path, p => p.ServerCpuPerTransition):F2} ms, rest of machine (server, other work) {M(path, p => p.OtherCpuPerTransition):F2} ms; allocated {M(path, p => p.AllocatedKbPerTransition):F0} KB");
        }

        Print($"  store phase split (medians): read command state {M(CaseWritePath.Store, p => Stats.Percentile(p.Reads, 50)):F2} ms p50, build write {M(CaseWritePath.Store, p => Stats.Percentile(p.Builds, 50)):F3} ms p50, commit (Dapper) {M(CaseWritePath.Store, p => Stats.Percentile(p.Commits, 50)):F2} ms p50");

        foreach (var (failure, count) in runs.SelectMany(r => r.Phases.Values).SelectMany(p => p.Failures).GroupBy(f => f.Key, StringComparer.Ordinal)
                     .Select(g => (g.Key, g.Sum(x => x.Value))).Take(10))
        {
            Print($"  failure x{count}: {failure}");
        }

        foreach (var path in Sampler is null ? [] : Paths)
        {
            Print($"  sampled allocations by type, {Name(path)}:");
            foreach (var ((_, type), bytes) in SampledTypes.Where(x => x.Key.Item1 == path).OrderByDescending(x => x.Value).Take(30))
            {
                PrintRaw($"    {bytes / 1024,9:N0} KB  {type}");
            }
        }

        PrintRaw("");
        Print($"  spans recorded: {Interlocked.Read(ref tracedSpans)}");
        Print($"summary transitions {provider} workers={options.Workers} cases={options.Items} runs={runs.Count}: engine {M(CaseWritePath.Engine, p => p.PerSecond):F0}/s p50 {M(CaseWritePath.Engine, p => p.P(50)):F2} ms, baseline {M(CaseWritePath.Baseline, p => p.PerSecond):F0}/s p50 {M(CaseWritePath.Baseline, p => p.P(50)):F2} ms, engine/baseline throughput {throughputRatio:F2} p50 {p50Ratio:F2}x");
    }

    private static string Line(PhaseResult p) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Name(p.Path),-26} {p.Completed,5} transitions in {p.Elapsed.TotalSeconds,6:F2} s = {p.PerSecond,7:F1}/s   p50 {p.P(50),6:F2}  p95 {p.P(95),6:F2}  p99 {p.P(99),6:F2} ms   >=100 ms: {p.Slow,3}   in flight max {p.MaxInFlight}   failed {p.Failed}   CPU per transition: client {p.ClientCpuPerTransition:F2} ms, server {p.ServerCpuPerTransition:F2} ms, rest of machine {p.OtherCpuPerTransition:F2} ms, allocated {p.AllocatedKbPerTransition:F0} KB");

    private static string Name(CaseWritePath path) => path switch
    {
        CaseWritePath.Engine => "engine (CompleteStep)",
        CaseWritePath.Baseline => "baseline (raw ADO.NET)",
        _ => "store (read + CaseStore)",
    };

    private static void Print(FormattableString line) => Console.WriteLine(FormattableString.Invariant(line));

    private static void PrintRaw(string line) => Console.WriteLine(line);

    private static bool IsDebugBuild() =>
        typeof(TransitionsScenario).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);
}

internal enum CaseWritePath
{
    Engine,
    Baseline,
    Store,
}

/// <summary>How many transitions are in flight at once, and the most seen.</summary>
internal sealed class Gauge
{
    private int current;
    private int max;

    public int Max => Volatile.Read(ref max);

    public void Enter()
    {
        var now = Interlocked.Increment(ref current);
        int seen;
        while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref current);
}

/// <summary>What one worker measured.</summary>
internal sealed class Recorder(Gauge gauge)
{
    public Gauge Gauge { get; } = gauge;

    public List<double> Latencies { get; } = [];
    public List<double> Reads { get; } = [];
    public List<double> Builds { get; } = [];
    public List<double> Commits { get; } = [];
    public List<string> Failures { get; } = [];
}

internal sealed record PhaseResult(
    CaseWritePath Path,
    int Completed,
    int Failed,
    TimeSpan Elapsed,
    double[] Latencies,
    double[] Reads,
    double[] Builds,
    double[] Commits,
    int MaxInFlight,
    IReadOnlyDictionary<string, int> Failures)
{
    /// <summary>Transitions that took 100 ms or more (on SQLite: a writer that found the database locked; Microsoft.Data.Sqlite retries after 150 ms).</summary>
    public int Slow => Latencies.Count(l => l >= 100);

    /// <summary>The slices of one path as one result: counts and times added, latencies pooled.</summary>
    public static PhaseResult Combine(IReadOnlyList<PhaseResult> parts)
    {
        static double[] Pool(IEnumerable<double[]> arrays)
        {
            var a = arrays.SelectMany(x => x).ToArray();
            Array.Sort(a);
            return a;
        }

        return new PhaseResult(
            parts[0].Path,
            parts.Sum(p => p.Completed),
            parts.Sum(p => p.Failed),
            TimeSpan.FromTicks(parts.Sum(p => p.Elapsed.Ticks)),
            Pool(parts.Select(p => p.Latencies)),
            Pool(parts.Select(p => p.Reads)),
            Pool(parts.Select(p => p.Builds)),
            Pool(parts.Select(p => p.Commits)),
            parts.Max(p => p.MaxInFlight),
            parts.SelectMany(p => p.Failures).GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(f => f.Value), StringComparer.Ordinal))
        {
            ClientCpu = TimeSpan.FromTicks(parts.Sum(p => p.ClientCpu.Ticks)),
            MachineCpu = TimeSpan.FromTicks(parts.Sum(p => p.MachineCpu.Ticks)),
            ServerCpu = TimeSpan.FromTicks(parts.Sum(p => p.ServerCpu.Ticks)),
            Allocated = parts.Sum(p => p.Allocated),
        };
    }

    /// <summary>CPU time this process used during the path's slices (the engine or baseline, the drivers' client side).</summary>
    public TimeSpan ClientCpu { get; init; }

    /// <summary>CPU time the whole machine used during the slices (Linux /proc/stat; zero elsewhere): client, database server and anything else.</summary>
    public TimeSpan MachineCpu { get; init; }

    /// <summary>CPU time of the local PostgreSQL server's processes during the slices (zero for SQLite or a remote server): unlike <see cref="MachineCpu"/>, not disturbed by other work on the machine.</summary>
    public TimeSpan ServerCpu { get; init; }

    /// <summary>Bytes this process allocated during the slices (all threads).</summary>
    public long Allocated { get; init; }

    /// <summary>Kilobytes allocated per completed transition: the garbage the path makes, which the collector then pauses every thread for.</summary>
    public double AllocatedKbPerTransition => Completed == 0 ? 0 : Allocated / 1024.0 / Completed;

    /// <summary>Milliseconds of the database server's CPU per completed transition (see <see cref="ServerCpu"/>).</summary>
    public double ServerCpuPerTransition => Completed == 0 ? 0 : ServerCpu.TotalMilliseconds / Completed;

    /// <summary>Milliseconds of this process's CPU per completed transition.</summary>
    public double ClientCpuPerTransition => Completed == 0 ? 0 : ClientCpu.TotalMilliseconds / Completed;

    /// <summary>Milliseconds of CPU the rest of the machine (the database server, other work) used per completed transition.</summary>
    public double OtherCpuPerTransition => Completed == 0 || MachineCpu == TimeSpan.Zero ? 0 : (MachineCpu - ClientCpu).TotalMilliseconds / Completed;

    public double PerSecond => Completed / Elapsed.TotalSeconds;

    public double P(double percentile) => Stats.Percentile(Latencies, percentile);
}

internal sealed record RunResult(
    TimeSpan Setup, string? ServerVersion, string LoadAverage, int Slices, IReadOnlyDictionary<CaseWritePath, PhaseResult> Phases, IReadOnlyDictionary<CaseWritePath, string> Rows);

/// <summary>
/// CPU time used so far by this process, by the whole machine (all cores, Linux /proc/stat; zero elsewhere) and by the
/// local PostgreSQL server's processes (/proc/[pid]/stat of every process named postgres), and bytes allocated by this process.
/// </summary>
internal readonly record struct CpuTimes(TimeSpan Process, TimeSpan Machine, TimeSpan Server, long Allocated)
{
    /// <summary>
    /// The times now. Reading /proc takes CPU and allocates in this process, so at the start of what is measured
    /// (<paramref name="ending"/> false) this process's own figures are read after it, at the end before it.
    /// </summary>
    public static CpuTimes Now(bool ending = false)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        if (ending)
        {
            var (process, allocated) = (self.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
            return new CpuTimes(process, MachineBusy(), PostgresBusy(), allocated);
        }

        var (machine, server) = (MachineBusy(), PostgresBusy());
        self.Refresh();
        return new CpuTimes(self.TotalProcessorTime, machine, server, GC.GetTotalAllocatedBytes(precise: true));
    }

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Process - b.Process, a.Machine - b.Machine, a.Server - b.Server, a.Allocated - b.Allocated);

    /// <summary>user + nice + system + irq + softirq + steal of the first line of /proc/stat, in clock ticks of 10 ms.</summary>
    private static TimeSpan MachineBusy()
    {
        try
        {
            if (!File.Exists("/proc/stat"))
            {
                return TimeSpan.Zero;
            }

            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
            return TimeSpan.FromMilliseconds(ticks * 10.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>
    /// utime + stime (clock ticks of 10 ms) of every live process whose name is postgres, including the backends that
    /// ended (cutime + cstime of the postmaster, which reaps them).
    /// </summary>
    private static TimeSpan PostgresBusy()
    {
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }

                // Fields after the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17), numbered from pid = 1.
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture) +
                         long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return TimeSpan.FromMilliseconds(ticks * 10.0);
    }
}
