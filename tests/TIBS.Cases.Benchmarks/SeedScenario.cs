using System.Globalization;
using TIBS.Cases.Data;
using TIBS.Cases.Testing.Seeding;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// <c>seed --provider Postgres|Sqlite|SqlServer --connection "…" --cases N --companies N --seed N</c>: loads a realistic
/// programme into the (empty) database of the connection string and prints rows/s per table and in total. It runs in a
/// child process with its code fully optimized from the start (<see cref="FullyOptimized"/>); <c>--tiered</c> keeps the
/// runtime's tiers, to compare.
/// </summary>
internal static class SeedScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        if (string.IsNullOrWhiteSpace(options.Connection))
        {
            await Console.Error.WriteLineAsync(options.Provider == DatabaseProvider.Sqlite
                ? "seed needs --connection \"Data Source=<file>.db\"."
                : "seed needs --connection with the connection string of an empty database.");
            return 2;
        }

        if (await FullyOptimized.RelaunchAsync(args) is { } exitCode)
        {
            return exitCode;
        }

        var seed = new SeedOptions(
            int.Parse(Value("--cases") ?? "10000", CultureInfo.InvariantCulture),
            int.Parse(Value("--companies") ?? "1000", CultureInfo.InvariantCulture),
            int.Parse(Value("--seed") ?? "42", CultureInfo.InvariantCulture))
        {
            Workers = int.Parse(Value("--workers") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        };
        var folder = Path.Combine(BenchEnvironment.RepositoryRoot(), "workflows");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {options.Provider}: {seed.Cases:N0} cases, {seed.Companies:N0} companies, seed {seed.Seed}, as of {seed.Now:yyyy-MM-dd}, code {(Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") == "0" ? "fully optimized from the start" : "in tiers")}"));
        var report = await ProgrammeSeeder.RunAsync(options.Provider, options.Connection, seed, folder, Console.Out);
        foreach (var (table, (rows, time)) in report.Tables.OrderByDescending(t => t.Value.Rows))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {table,-20} {rows,12:N0} rows {time.TotalSeconds,8:F1} s writing {(time.TotalSeconds > 0 ? rows / time.TotalSeconds : 0),10:N0} rows/s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {report.Rows:N0} rows in {report.Elapsed.TotalSeconds:F1} s (generation and writing overlapped, indexes and checks after): {report.RowsPerSecond:N0} rows/s; setup {report.Setup.TotalSeconds:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  loading {report.Loading.TotalSeconds:F1} s (generating {report.Generating.TotalSeconds:F1} s on {seed.Workers} threads, writer waiting for batches {report.WriterIdle.TotalSeconds:F1} s), indexes, checks and statistics {report.Finishing.TotalSeconds:F1} s"));
        return 0;
    }
}
