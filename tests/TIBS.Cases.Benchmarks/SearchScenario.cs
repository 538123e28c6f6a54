using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Matching;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Case- and accent-insensitive search over folded keys: --items × 25 companies with Baltic, Polish, German and Nordic
/// names; latency of the company list search and of the partner candidate query (p50/p95 of 200 searches each), and
/// the time to compute the keys of every row after the schema scripts (the start-up step for older rows).
/// </summary>
internal static class SearchScenario
{
    private static readonly string[] Stems = ["Kokapstrāde", "Łódzka Stolarnia", "Õunapuu", "Šiaulių Ūkis", "Großhandel Müller", "Ærø Træ", "Åkerström", "Żółć Meble"];
    private static readonly (string Country, string Region)[] Places = [("LV", "LV008"), ("PL", "PL84"), ("EE", "EE008"), ("LT", "LT02"), ("DE", "DE60"), ("DK", "DK03"), ("SE", "SE23"), ("FI", "FI19")];
    private static readonly string[] Terms = ["kokapstrade", "ŁÓDZKA", "ounapuu", "siauliu ukis", "GROSSHANDEL", "aero", "akerström", "zolc", "mobel", "12"];

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var count = options.Items * 25;
        await using var database = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        var migrator = new SchemaMigrator(database.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System);
        await migrator.MigrateAsync(TimeSpan.FromSeconds(10));
        var store = new CompanyStore(database.Factory);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var (country, region) = Places[i % Places.Length];
            await store.InsertAsync(new Company
            {
                Id = Guid.CreateVersion7(),
                Name = string.Create(CultureInfo.InvariantCulture, $"{Stems[i % Stems.Length]} {i}"),
                CountryCode = country,
                RegionCode = region,
                SizeClass = SizeClasses.Small,
                Keywords = "mēbeles, möbel, træ, drewno",
                Offers = "Wood processing and furniture for the Baltic Sea Region",
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        var list = await TimeAsync(async term => (await store.SearchAsync(new CompanySearch { Text = term })).Items.Count);
        var matching = new MatchingQueries(database.Factory);
        var candidates = await TimeAsync(async term => (await matching.CandidatesAsync(new CandidateQuery { ExcludeCountry = "IS", Text = term })).Count);

        await using (var c = await database.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE companies SET search_name = NULL, search_text = NULL");
        }

        var sw = Stopwatch.StartNew();
        var filled = await SearchKeys.FillMissingAsync(database.Factory);
        var fill = sw.Elapsed.TotalMilliseconds;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"search {options.Provider}: companies={count} company-list p50={list.P50:F1} ms p95={list.P95:F1} ms; candidates p50={candidates.P50:F1} ms p95={candidates.P95:F1} ms; keys of {filled} rows filled in {fill:F0} ms"));
        return 0;
    }

    private static async Task<(double P50, double P95)> TimeAsync(Func<string, Task<int>> search)
    {
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            var found = await search(Terms[i % Terms.Length]);
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (found == 0)
            {
                throw new InvalidOperationException($"Nothing found for '{Terms[i % Terms.Length]}'.");
            }
        }

        times.Sort();
        return (Stats.Percentile(times, 50), Stats.Percentile(times, 95));
    }
}
