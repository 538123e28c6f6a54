using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TIBS.Cases.Core;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Coordination;
using TIBS.Cases.Core.Indicators;
using TIBS.Cases.Core.Partners;
using TIBS.Cases.Core.Work;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The hot reads at scale through the product's own handlers, as the pages call them: the case list with each filter
/// (and its second page), My work, the coordinator overview, the company search, the indicators and the partner
/// search, at each --sizes number of cases (10,000 and 1,000,000 by default, --companies companies). Prints p50/p95 per
/// query and the ratio of the largest size to the smallest; --explain FILE writes the EXPLAIN (ANALYZE, BUFFERS) of
/// every statement each query sends (auto_explain, PostgreSQL); --only WORDS measures only the queries whose name
/// contains them (--only matching: the partner search). The databases tibs_scale_N are kept for the next run unless --drop.
/// </summary>
internal static class QueriesScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        if (options.Provider != DatabaseProvider.Postgres || string.IsNullOrWhiteSpace(options.Connection))
        {
            Console.Error.WriteLine("The queries scenario runs on PostgreSQL: --provider Postgres --connection \"Host=…;Database=postgres\" (or TIBS_TEST_POSTGRES).");
            return 2;
        }

        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var sizes = (Value("--sizes") ?? "10000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var companies = int.Parse(Value("--companies") ?? "100000", CultureInfo.InvariantCulture);
        var repeats = int.Parse(Value("--requests") ?? "40", CultureInfo.InvariantCulture);
        var explain = Value("--explain");
        var only = Value("--only");
        ScaleData.Prefix = Value("--database-prefix") ?? "tibs_scale";
        var results = new Dictionary<int, List<(string Name, double P50, double P95)>>();
        var plans = new StringBuilder();
        foreach (var size in sizes)
        {
            var factory = await ScaleData.OpenAsync(options.Connection, size, companies, async f =>
            {
                await new SchemaMigrator(f, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.FromSeconds(10));
                return await BenchEnvironment.CreateAsync(f);
            });
            // A database kept from an earlier run gets this build's schema, and rows the loader wrote get the values the
            // application computes when it starts (search keys, match terms).
            var started = Stopwatch.StartNew();
            await new SchemaMigrator(factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.FromSeconds(10));
            await using (var c = await factory.OpenAsync())
            {
                // The computed values rewrote the companies: measure the tables as autovacuum leaves them, not their dead rows.
                await c.ExecuteAsync("VACUUM ANALYZE companies");
                await c.ExecuteAsync("VACUUM ANALYZE company_match_terms");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"schema and computed values of {ScaleData.Prefix}_{size} up to date in {started.Elapsed.TotalSeconds:F0} s"));
            var queries = await HotQueries.CreateAsync(factory);
            if (only is not null)
            {
                queries.All.RemoveAll(q => !q.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
            }

            results[size] = [.. await MeasureAsync(queries, repeats)];
            if (explain is not null)
            {
                plans.Append(CultureInfo.InvariantCulture, $"# {size} cases, {companies} companies\n\n");
                foreach (var (name, run) in queries.All)
                {
                    plans.Append(CultureInfo.InvariantCulture, $"## {name}\n\n");
                    foreach (var plan in await ExplainAsync(factory, queries, run))
                    {
                        plans.Append(plan).Append("\n\n");
                    }
                }
            }

            if (args.Contains("--drop"))
            {
                await ScaleData.DropAsync(options.Connection, size);
            }
        }

        if (explain is not null)
        {
            await File.WriteAllTextAsync(explain, plans.ToString());
        }

        var (small, large) = (sizes.Min(), sizes.Max());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"queries Postgres, {companies} companies, {repeats} requests each (ms); load average {LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"query",-38} {string.Join(" ", sizes.Select(s => $"{s,9} p50 {s,9} p95"))}  ratio p50 {large}/{small}"));
        foreach (var (name, _, _) in results[small])
        {
            var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{name,-38}"));
            foreach (var size in sizes)
            {
                var r = results[size].First(x => x.Name == name);
                line.Append(CultureInfo.InvariantCulture, $" {r.P50,13:F1} {r.P95,13:F1}");
            }

            var ratio = results[large].First(x => x.Name == name).P50 / results[small].First(x => x.Name == name).P50;
            Console.WriteLine(line.Append(CultureInfo.InvariantCulture, $"  {ratio,8:F2}"));
        }

        return 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>p50/p95 of each query: every query once per round (interleaved), after one warm-up round.</summary>
    private static async Task<IEnumerable<(string Name, double P50, double P95)>> MeasureAsync(HotQueries queries, int repeats)
    {
        var times = queries.All.ToDictionary(q => q.Name, _ => new List<double>());
        for (var round = -1; round < repeats; round++)
        {
            foreach (var (name, run) in queries.All)
            {
                var sw = Stopwatch.StartNew();
                await run();
                if (round >= 0)
                {
                    times[name].Add(sw.Elapsed.TotalMilliseconds);
                }
            }
        }

        return queries.All.Select(q =>
        {
            var t = times[q.Name];
            t.Sort();
            return (q.Name, Stats.Percentile(t, 50), Stats.Percentile(t, 95));
        });
    }

    /// <summary>The plans of the statements one query sends about cases, companies and their rows, through auto_explain.</summary>
    private static async Task<IReadOnlyList<string>> ExplainAsync(ConnectionFactory factory, HotQueries queries, Func<Task> run)
    {
        await using (var c = await factory.OpenAsync())
        {
            var db = ((NpgsqlConnection)c).Database;
            foreach (var setting in new[] { "session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 0", "auto_explain.log_analyze = on", "auto_explain.log_buffers = on", "auto_explain.log_level = notice" })
            {
                await c.ExecuteAsync($"ALTER DATABASE \"{db}\" SET {setting}");
            }
        }

        NpgsqlConnection.ClearAllPools();
        queries.Notices.Clear();
        queries.Capture = true;
        try
        {
            await run();
        }
        finally
        {
            queries.Capture = false;
            await using var c = await factory.OpenAsync();
            await c.ExecuteAsync($"ALTER DATABASE \"{((NpgsqlConnection)c).Database}\" RESET ALL");
            NpgsqlConnection.ClearAllPools();
        }

        string[] tables = ["cases", "companies", "case_events", "case_participants", "reminders", "case_steps"];
        return [.. queries.Notices.Where(n => tables.Any(t => n.Contains($" {t} ", StringComparison.Ordinal) || n.Contains($" {t}\n", StringComparison.Ordinal)))];
    }
}

/// <summary>The handlers of the pages, wired as the web host wires them, over one database; and the requests they answer.</summary>
internal sealed class HotQueries : IDbConnectionFactory
{
    private readonly ConnectionFactory inner;

    private HotQueries(ConnectionFactory inner) => this.inner = inner;

    public List<(string Name, Func<Task> Run)> All { get; } = [];

    public List<string> Notices { get; } = [];

    public bool Capture { get; set; }

    public DatabaseProvider Provider => inner.Provider;

    public ISqlDialect Dialect => inner.Dialect;

    public string ConnectionString => inner.ConnectionString;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var c = await inner.OpenAsync(cancellationToken);
        if (Capture && c is NpgsqlConnection n)
        {
            n.Notice += (_, e) =>
            {
                lock (Notices)
                {
                    Notices.Add(e.Notice.MessageText);
                }
            };
        }

        return c;
    }

    public static async Task<HotQueries> CreateAsync(ConnectionFactory factory)
    {
        var q = new HotQueries(factory);
        var services = new ServiceCollection();
        services.AddOptions<DatabaseOptions>().Configure(o =>
        {
            o.Provider = nameof(DatabaseProvider.Postgres);
            o.ConnectionString = factory.ConnectionString;
        });
        services.AddLogging();
        services.AddTibsData(Path.GetTempPath());
        services.AddTibsCore();
        services.AddSingleton<IDbConnectionFactory>(q);
        var sp = services.BuildServiceProvider();
        await using var c = await factory.OpenAsync();
        var coordinator = await Actor(c, "SELECT id FROM users WHERE role = 'coordinator' ORDER BY email LIMIT 1", Roles.Coordinator, null);
        var region = await c.ExecuteScalarAsync<string>("SELECT region_code FROM cases GROUP BY region_code ORDER BY COUNT(*) DESC, region_code LIMIT 1");
        var broker = await Actor(c, "SELECT id FROM users WHERE role = 'broker' AND region_code = @region AND email LIKE '%@scale.example'", Roles.Broker, region);
        var step = await c.ExecuteScalarAsync<string>("SELECT current_step FROM cases WHERE status = 'active' GROUP BY current_step ORDER BY COUNT(*) DESC LIMIT 1");
        var stage = await c.ExecuteScalarAsync<string>("SELECT current_stage FROM cases WHERE current_stage IS NOT NULL GROUP BY current_stage ORDER BY COUNT(*) DESC LIMIT 1");
        var reference = await c.ExecuteScalarAsync<string>("SELECT reference FROM cases ORDER BY opened_at LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM cases)");
        var partnerCase = await c.ExecuteScalarAsync<Guid>(
            "SELECT c.id FROM cases c JOIN companies co ON co.id = c.lead_company_id WHERE c.status = 'active' AND co.country_code = 'LV' ORDER BY c.opened_at DESC LIMIT 1");
        var list = sp.GetRequiredService<ListCases>();
        var firstPage = await list.HandleAsync(new ListCases.Request(new CaseFilter()), coordinator);
        var after = (firstPage.Next!.OpenedAt, firstPage.Next.Id);

        void Add(string name, Func<Task> run) => q.All.Add((name, run));
        Task List(CaseFilter filter, Actor actor) => list.HandleAsync(new ListCases.Request(filter), actor);
        Add("case list (coordinator, no filter)", () => List(new CaseFilter(), coordinator));
        Add("case list, page 2", () => List(new CaseFilter { After = after }, coordinator));
        Add("case list (broker, own regions)", () => List(new CaseFilter(), broker));
        Add("case list, status active", () => List(new CaseFilter { Status = CaseStatus.Active }, coordinator));
        Add("case list, region", () => List(new CaseFilter { Region = region }, coordinator));
        Add("case list, broker", () => List(new CaseFilter { OwnerUserId = broker.UserId }, coordinator));
        Add("case list, step", () => List(new CaseFilter { Step = step }, coordinator));
        Add("case list, stage", () => List(new CaseFilter { Stage = stage }, coordinator));
        Add("case list, overdue", () => List(new CaseFilter { OverdueOnly = true }, coordinator));
        Add("case list, escalated", () => List(new CaseFilter { EscalatedOnly = true }, coordinator));
        Add("case list, text (one company)", () => List(new CaseFilter { Text = "lodz meble 4710" }, coordinator));
        Add("case list, text (word of 10 % names)", () => List(new CaseFilter { Text = "lodz" }, coordinator));
        Add("case list, text (reference)", () => List(new CaseFilter { Text = reference }, coordinator));
        var work = sp.GetRequiredService<MyWork>();
        Add("my work (broker)", () => work.HandleAsync(broker));
        var overview = sp.GetRequiredService<CoordinationOverview>();
        Add("coordinator overview", () => overview.HandleAsync(new CoordinationOverview.Request(coordinator)));
        var companies = sp.GetRequiredService<SearchCompanies>();
        Add("company search, word of 10 % names", () => companies.HandleAsync(new SearchCompanies.Request(Text: "muller"), coordinator));
        Add("company search, one company", () => companies.HandleAsync(new SearchCompanies.Request(Text: "gaujas 4711"), coordinator));
        Add("company search, country", () => companies.HandleAsync(new SearchCompanies.Request(Country: "PL"), coordinator));
        var indicators = sp.GetRequiredService<ProgrammeIndicators>();
        Add("indicators", () => indicators.HandleAsync(new ProgrammeIndicators.Request(coordinator, new ProgrammeIndicators.Input())));
        var partners = sp.GetRequiredService<FindPartners>();
        Add("partner matching", () => partners.HandleAsync(new FindPartners.Request(partnerCase), coordinator));
        Add("partner matching, minimum score 60", () => partners.HandleAsync(new FindPartners.Request(partnerCase) { MinScore = 60 }, coordinator));
        return q;
    }

    private static async Task<Actor> Actor(DbConnection c, string sql, string role, string? region)
    {
        var id = await c.ExecuteScalarAsync<Guid>(sql, new { region });
        return Core.Cases.Actor.Covering(id, Roles.Parse(role), region is null ? [] : [region]);
    }
}
