using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Load and latency scenarios for TIBS.Cases. Not a test project: figures are printed, never asserted.
/// Usage: dotnet run -c Release --project tests/TIBS.Cases.Benchmarks -- &lt;scenario&gt; [--provider Sqlite|Postgres] [--connection "…"] [--runs N]
/// [--workers N] [--items N]. Results of recorded runs are in docs/performance.md.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchmarkOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("""
                Scenarios:
                  migrate      time to create the whole schema on an empty database (median of --runs)
                  reminders    --items due reminders dispatched by one and by two workers, per row and set-based (--batch N rows
                               per claim, --cases N): deliveries/s, server CPU, lost and duplicated (must be 0); e-mail separately
                  crash-dispatch  --reminders N (600) due reminders dispatched by the application's worker process, killed with
                               SIGKILL --kills N (12) times during delivery and restarted: in-app notices (exactly once), e-mails
                               (lost must be 0, duplicates counted), longest stall after a kill. Also --lease 00:00:30,
                               --cron "*/5 * * * * *", --smtp-delay-ms 50, --seed N, --app <TIBS.Cases.Web.dll>
                  transitions  step completions through the engine (CompleteStep) next to a raw ADO.NET baseline doing the same
                               writes: transitions/s and p50/p95/p99 latency, medians of --runs fresh databases; --existing:
                               in the database --connection names (a seeded programme), which is kept
                  tracks       --items cases with 10 partner tracks each; track outcomes taken through TakeTrackOutcome until
                               the join fires (11 per case): track completions/s (median of --runs) and p50/p95 latency
                  search       --items × 25 companies with accented names: company list and partner candidate search latency
                               (p50/p95, case and accents ignored) and the time to compute the search keys of every row
                  queries      the hot reads through the pages' handlers at --sizes 10000,1000000 cases and --companies N (100,000)
                               (PostgreSQL, databases tibs_scale_N, or --database-prefix P: P_N, kept unless --drop): case list per filter, My work, coordinator
                               overview, company search, indicators, partner matching: p50/p95 and the ratio; --explain FILE
                  fuzz-definitions  --cases N generated and mutated workflow definitions through loader, validator and diagram:
                               cases run, crashes (must be 0), problems without a line, largest allocation per case
                  case-page    --requests N (200) renders of one case page by the web application started in this process,
                               next to the sign-in page and /health in the same run: median, p95, max and size (SQLite)
                  http         the published application (--published <folder>, default /tmp/tibs-load/publish) as separate
                               processes: --brokers N (32) brokers at once sign in through the sign-in page and take --cases M
                               (6) cases each through four steps (My work, case page, step form): p50/p95/p99 per request kind,
                               errors (conflicts apart), completions/s, peak working set; --instances 2 (PostgreSQL): one node
                               against two, a cookie across nodes, reminders with two workers, the events feed from both;
                               pgbench TPC-B in the same run (--pgbench-seconds 30, 0 to skip); --think-ms N (0): a
                               broker reads each page 0.5–1.5 × N ms before posting, and starts within N ms; --warmup-seconds
                               S (0): unmeasured rounds first, until the server has compiled its hot code; processor time
                               per request of the web node, PostgreSQL and the load generator
                  cold-start   the published application on a fresh embedded SQLite folder: time to the first healthy
                               /health answer, median of --runs
                  page         the reads of a case with 10, 100 and 1,000 timeline events, --requests N (200) each: the case
                               page's handler GetCase (one round trip, latest 50 events), a command's state (one round trip) and the whole
                               case as read before: p50/p95 and the 1,000:10 ratio
                  verify-trails  --items N (100) cases of --events M (20) events and one of --long L (2,000), anchored: the
                               scheduled verification of every trail (cases/s, events/s, bytes allocated per event) next
                               to the whole /audit/verify report, median of --runs
                  anchors      the anchor files after --checkpoints K (1,440) signed checkpoints of --moved M (40) of --cases N (2,000):
                               the case page's read of them first in a process, after one more checkpoint and unchanged, median of --runs
                  dossier      a case with 1,000 events: its dossier read, verified and laid out as PDF, median of --runs
                  export       --rows N (100,000) rows through the CSV and XLSX writers (and ClosedXML for comparison), at N/10
                               and N rows: time, bytes allocated, peak managed heap and peak working set
                  seed         loads a realistic programme into an empty database: --cases N (10,000) --companies N (1,000)
                               --seed N (42), --workers N (one per core), with --provider and --connection (SQLite:
                               "Data Source=<file>"); rows/s per table, generation, index building and checks; runs with
                               its code fully optimized from the start (--tiered: the runtime's tiers, to compare)
                  backup       the seeded programme (--cases N (10,000) --companies N (2,000) --seed N (42)) in a fresh embedded data
                               folder with a real file per attachment (--file-cap BYTES, 65,536): --rounds R (3) of the product's
                               backup and verified restore into an empty folder: median/min/max, archive and database size;
                               --postgres (or --provider Postgres): pg_dump -Fc, pg_restore and restore --verify on the same data
                Options: --provider Sqlite|Postgres|SqlServer, --connection <server connection string>, --runs N (default 5),
                         --workers N (concurrent workers, default 4), --items N (cases per path, default 200)
                PostgreSQL: --connection or TIBS_TEST_POSTGRES, a role that may create databases (each run creates and drops one).
                """);
            return 2;
        }

        return options.Scenario switch
        {
            "migrate" => await MigrateScenario.RunAsync(options),
            "transitions" => await TransitionsScenario.RunAsync(options, args.Contains("--existing")),
            "tracks" => await TracksScenario.RunAsync(options),
            "reminders" => await RemindersScenario.RunAsync(options, args),
            "crash-dispatch" => await CrashDispatchScenario.RunAsync(options, args),
            "fuzz-definitions" => DefinitionFuzzScenario.Run(args),
            "case-page" => await CasePageScenario.RunAsync(args),
            "http" => await HttpScenario.RunAsync(options, args),
            "cold-start" => await ColdStartScenario.RunAsync(options, args),
            "page" => await PageScenario.RunAsync(options, args),
            "search" => await SearchScenario.RunAsync(options),
            "queries" => await QueriesScenario.RunAsync(options, args),
            "dossier" => await ExportScenarios.DossierAsync(options),
            "verify-trails" => await TrailVerificationScenario.RunAsync(options, args),
            "anchors" => await AnchorsScenario.RunAsync(options, args),
            "export" => await ExportScenarios.ExportAsync(args),
            "seed" => await SeedScenario.RunAsync(options, args),
            "backup" => await BackupScenario.RunAsync(options, args),
            _ => Fail($"Unknown scenario '{options.Scenario}'."),
        };
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}

public sealed record BenchmarkOptions(string Scenario, DatabaseProvider Provider, string? Connection, int Runs, int Workers, int Items)
{
    public static BenchmarkOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var provider = Enum.Parse<DatabaseProvider>(Value("--provider") ?? "Sqlite", ignoreCase: true);
        var connection = Value("--connection") ?? (provider == DatabaseProvider.Postgres ? Environment.GetEnvironmentVariable("TIBS_TEST_POSTGRES") : null);
        return new BenchmarkOptions(
            args[0], provider, connection,
            int.Parse(Value("--runs") ?? "5", CultureInfo.InvariantCulture),
            int.Parse(Value("--workers") ?? "4", CultureInfo.InvariantCulture),
            int.Parse(Value("--items") ?? "200", CultureInfo.InvariantCulture));
    }
}

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p / 100 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }
}

internal static class MigrateScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        if (options.Provider != DatabaseProvider.Sqlite)
        {
            Console.Error.WriteLine("The migrate scenario runs on SQLite (a fresh file per run).");
            return 2;
        }

        var times = new List<double>();
        for (var i = 0; i < options.Runs; i++)
        {
            var file = Path.Combine(Path.GetTempPath(), $"tibs-bench-{Guid.NewGuid():N}.db");
            var factory = new ConnectionFactory(DatabaseProvider.Sqlite, $"Data Source={file}");
            var migrator = new SchemaMigrator(factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System);
            var sw = Stopwatch.StartNew();
            await migrator.MigrateAsync(TimeSpan.Zero);
            times.Add(sw.Elapsed.TotalMilliseconds);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"migrate sqlite: runs={times.Count} median={Stats.Percentile(times, 50):F1} ms min={times[0]:F1} ms max={times[^1]:F1} ms"));
        return 0;
    }
}
