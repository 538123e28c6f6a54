using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// HTTP load through the published application: the <c>dotnet publish -c Release</c> output started as separate
/// processes (Production environment, a key file, an audit signing key, PostgreSQL or SQLite), --brokers N (32) brokers
/// created, each signing in through the sign-in page and opening --cases M (6) cases through the New case page, then all
/// of them at once taking their cases through four steps: My work, the case page, the step form posted as a browser
/// posts it. Prints p50/p95/p99 per kind of request, errors by kind (conflicts apart), completions/s and the web
/// processes' peak working set. With --instances 2: the same load first on one web node, then spread over two (both
/// with <c>Jobs:RunServer=false</c>, two workers running the jobs), a cookie of node A shown to node B, reminders
/// delivered by the two workers (once each), and the events feed read from both nodes while the load runs. On
/// PostgreSQL, pgbench TPC-B runs in the same run for the database's own ceiling.
/// </summary>
internal static class HttpScenario
{
    private const string Password = "Load-Test-Password-2026";

    /// <summary>Steps completed per case: from intake along the first outcome that leads to the broker's next step.</summary>
    private const int StepsPerCase = 4;

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Overrides = new(StringComparer.Ordinal)
    {
        ["intake"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["contact-data-consent"] = "yes" },
        ["eligibility"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["eligible"] = "yes" },
    };

    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var brokers = int.Parse(Value("--brokers") ?? "32", CultureInfo.InvariantCulture);
        var cases = int.Parse(Value("--cases") ?? "6", CultureInfo.InvariantCulture);
        var instances = int.Parse(Value("--instances") ?? "1", CultureInfo.InvariantCulture);
        var thinkMs = int.Parse(Value("--think-ms") ?? "0", CultureInfo.InvariantCulture);
        var warmupSeconds = int.Parse(Value("--warmup-seconds") ?? "0", CultureInfo.InvariantCulture);
        var reminders = int.Parse(Value("--reminders") ?? "300", CultureInfo.InvariantCulture);
        var pgbenchSeconds = int.Parse(Value("--pgbench-seconds") ?? "30", CultureInfo.InvariantCulture);
        if (instances is < 1 or > 2 || (instances == 2 && options.Provider != DatabaseProvider.Postgres))
        {
            Console.Error.WriteLine("--instances is 1 or 2; two web nodes need PostgreSQL (--provider Postgres).");
            return 2;
        }

        var dll = PublishedApp.Find(Value("--published"));
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tibs-load", $"run-{Guid.NewGuid():N}")).FullName;
        await using var db = options.Provider == DatabaseProvider.Postgres ? await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection) : null;
        var settings = await SettingsAsync(dll, folder, options.Provider, db);
        var factory = db?.Factory ?? new ConnectionFactory(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "data", "tibs.db")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"http: {options.Provider}, {brokers} brokers × {cases} cases × {StepsPerCase} steps, {instances} web node(s), think time {thinkMs} ms, warm-up {warmupSeconds} s, app {dll}, load average {LoadAverage()}"));

        var nodes = new List<PublishedApp>();
        var workers = new List<PublishedApp>();
        try
        {
            // One node runs its own job server (the default); with two, the web nodes run none and two workers do.
            var webSettings = instances == 1 ? settings : new Dictionary<string, string>(settings) { ["Jobs__RunServer"] = "false" };
            for (var n = 0; n < instances; n++)
            {
                nodes.Add(PublishedApp.StartWeb(dll, webSettings, folder));
                var started = Stopwatch.StartNew();
                var healthy = await nodes[^1].WaitHealthyAsync(started, TimeSpan.FromSeconds(120));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"web node {n + 1} at {nodes[^1].BaseUrl} (pid {nodes[^1].Pid}) healthy after {healthy.TotalSeconds:F1} s"));
            }

            if (instances == 2)
            {
                var workerSettings = new Dictionary<string, string>(settings) { ["Jobs__DispatchCron"] = "*/2 * * * * *" };
                workers.Add(PublishedApp.StartWorker(dll, workerSettings, folder));
                workers.Add(PublishedApp.StartWorker(dll, workerSettings, folder));
            }

            var (companyId, accounts, coordinator) = await SeedAsync(factory, brokers);
            var (_, plan) = await new WorkflowCatalog(new WorkflowStore(factory), TimeProvider.System).GetPublishedAsync(BenchEnvironment.DefinitionKey);
            var route = Route(plan, companyId);

            var oneNode = await LoadAsync("one web node", [nodes[0]], accounts, companyId, cases, route, new(thinkMs, warmupSeconds), null);
            var exitCode = oneNode.Errors == 0 ? 0 : 1;
            if (instances == 2)
            {
                exitCode |= await CookieAcrossNodesAsync(accounts[0], nodes[0], nodes[1]);
                var feed = await EventsFeedCheck.StartAsync(coordinator, nodes);
                var twoNodes = await LoadAsync("two web nodes", nodes, accounts, companyId, cases, route, new(thinkMs, warmupSeconds), feed);
                exitCode |= twoNodes.Errors == 0 ? 0 : 1;
                exitCode |= await feed.FinishAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"throughput: two web nodes {twoNodes.CompletionsPerSecond:F1} completions/s against one {oneNode.CompletionsPerSecond:F1} (ratio {twoNodes.CompletionsPerSecond / oneNode.CompletionsPerSecond:F2})"));
                exitCode |= await RemindersCheck.RunAsync(factory, accounts[0], companyId, reminders, nodes[1]);
            }

            foreach (var worker in workers)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker pid {worker.Pid}: peak working set {worker.HighWaterMb:F0} MB"));
            }

            if (options.Provider == DatabaseProvider.Postgres && pgbenchSeconds > 0)
            {
                // The web nodes and workers stay up but idle: the database's ceiling on the same machine, same moment.
                await Pgbench.RunAsync(options.Connection!, pgbenchSeconds, oneNode.CompletionsPerSecond);
            }

            return exitCode;
        }
        finally
        {
            foreach (var app in nodes.Concat(workers))
            {
                await app.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Console.WriteLine($"application logs in {folder}");
        }
    }

    /// <summary>The settings every process gets, as an operator sets them: key file, audit key, database, no demo data.</summary>
    private static async Task<Dictionary<string, string>> SettingsAsync(string dll, string folder, DatabaseProvider provider, BenchmarkDatabase? db)
    {
        var keyFile = Path.Combine(folder, "dataprotection.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var auditKey = Path.Combine(folder, "audit-signing-key.pem");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { dll, "audit", "create-key", auditKey })
        {
            start.ArgumentList.Add(a);
        }

        using (var create = Process.Start(start)!)
        {
            await create.StandardOutput.ReadToEndAsync();
            await create.WaitForExitAsync();
            if (create.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet TIBS.Cases.Web.dll audit create-key failed.");
            }
        }

        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["Database__DataDirectory"] = Path.Combine(folder, "data"),
            ["DataProtection__KeyFile"] = keyFile,
            ["Audit__SigningKeyFile"] = auditKey,
            ["Audit__AnchorFolder"] = Path.Combine(folder, "anchors"),
            ["Demo__Enabled"] = "false",
            ["Certification__UncertifiedBrokers"] = "Allowed",
            ["SignIn__AddressPermitLimit"] = "100000",

            // The coordinator who reads the events feed signs in with a password only (no authenticator app here).
            ["Authentication__RequireTwoStepFor"] = "none",
            ["Mail__BaseUrl"] = "http://127.0.0.1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (db is not null)
        {
            settings["Database__ConnectionString"] = db.Factory.ConnectionString;
        }

        return settings;
    }

    /// <summary>A Latvian lead company and the brokers of its region (LV008), written as the demo data writes its users.</summary>
    private static async Task<(Guid CompanyId, IReadOnlyList<(string Email, string Password)> Accounts, (string Email, string Password) Coordinator)> SeedAsync(ConnectionFactory factory, int brokers)
    {
        var now = DateTimeOffset.UtcNow;
        var company = new Company
        {
            Id = Guid.CreateVersion7(),
            Name = "Vidzeme Wood Solutions",
            CountryCode = "LV",
            RegionCode = "LV008",
            SizeClass = SizeClasses.Small,
            NaceCodes = ["C"],
            S3Areas = ["bioeconomy"],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new CompanyStore(factory).InsertAsync(company);
        var users = new UserStore(factory);
        var hasher = new PasswordHasher<UserAccount>();
        var accounts = new List<(string, string)>();
        for (var b = 1; b <= brokers; b++)
        {
            var user = new UserAccount
            {
                Id = Guid.CreateVersion7(),
                Email = $"broker{b:D2}.lv008@load.example",
                DisplayName = $"Broker {b:D2}",
                Role = Roles.Broker,
                RegionCode = "LV008",
                PasswordHash = "",
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
                UpdatedAt = now,
            };
            await users.InsertAsync(user with { PasswordHash = hasher.HashPassword(user, Password) });
            accounts.Add((user.Email, Password));
        }

        // The coordinator reads the events feed of every case.
        var coordinator = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = "coordinator@load.example",
            DisplayName = "Coordinator",
            Role = Roles.Coordinator,
            PasswordHash = "",
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await users.InsertAsync(coordinator with { PasswordHash = hasher.HashPassword(coordinator, Password) });
        return (company.Id, accounts, (coordinator.Email, Password));
    }

    private static List<(PlanStep Step, string Outcome, FormInputPairs Input)> Route(WorkflowPlan plan, Guid companyId)
    {
        var route = new List<(PlanStep, string, FormInputPairs)>();
        var step = plan.StartStep;
        for (var i = 0; i < StepsPerCase; i++)
        {
            var outcome = step.Outcomes.First(o => !o.LeadsToEndState && o.Target != step.Key
                && plan.TryGetStep(o.Target, out var next) && next.Role == step.Role);
            route.Add((step, outcome.Key, FormInputPairs.Fill(step, companyId, Overrides.GetValueOrDefault(step.Key))));
            step = plan.GetStep(outcome.Target);
        }

        Console.WriteLine($"route: {string.Join(" → ", route.Select(r => r.Item1.Key))} → {step.Key} (published version of {BenchEnvironment.DefinitionKey})");

        return route;
    }

    private sealed record LoadResult(double CompletionsPerSecond, int Errors);

    /// <summary>How the brokers pace themselves: reading time before each post, and unmeasured rounds before the measured ones.</summary>
    private sealed record Pace(int ThinkMs, int WarmupSeconds);

    /// <summary>
    /// Signs every broker in at its node (broker i at node i mod n), opens their cases, then runs them all at once. With a
    /// warm-up, the brokers first work cases of their own in rounds (no reading time) until that many seconds have passed:
    /// a server that has been up for a while has compiled its hot code to its final tier, which a freshly started one is
    /// still doing during its first minute or so. The warm-up's requests are not in the figures; its errors are.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(
        string name, IReadOnlyList<PublishedApp> nodes, IReadOnlyList<(string Email, string Password)> accounts, Guid companyId, int cases,
        IReadOnlyList<(PlanStep, string, FormInputPairs)> route, Pace pace, EventsFeedCheck? feed)
    {
        var brokers = accounts.Select((a, i) => new SimulatedBroker(a.Email, a.Password, nodes[i % nodes.Count].BaseUrl!)).ToList();
        try
        {
            await Parallel.ForEachAsync(brokers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, _) => await b.SignInAsync());
            var opened = new Dictionary<SimulatedBroker, List<Guid>>();
            await Parallel.ForEachAsync(brokers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, _) =>
            {
                var ids = new List<Guid>();
                for (var c = 0; c < cases; c++)
                {
                    ids.Add(await b.OpenCaseAsync(companyId));
                }

                lock (opened)
                {
                    opened[b] = ids;
                }
            });
            var warmupErrors = await WarmUpAsync(brokers, companyId, route, pace.WarmupSeconds);
            foreach (var b in brokers)
            {
                b.Log.Clear();
            }

            var load = $"load average {LoadAverage()}";
            var cpu = CpuNow(nodes);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(brokers.Select(b => Task.Run(async () =>
            {
                // People who read pages do not all click in the same millisecond: each broker starts within one reading time.
                if (pace.ThinkMs > 0)
                {
                    await Task.Delay(Random.Shared.Next(pace.ThinkMs));
                }

                foreach (var id in opened[b])
                {
                    await b.WorkCaseAsync(id, route, pace.ThinkMs);
                }
            })));
            var elapsed = watch.Elapsed;
            var used = CpuNow(nodes).Since(cpu);
            feed?.Stop();
            var result = Report(name, nodes, brokers, elapsed, load + $" → {LoadAverage()}", brokers.Count * cases * route.Count, used);
            return result with { Errors = result.Errors + warmupErrors };
        }
        finally
        {
            brokers.ForEach(b => b.Dispose());
        }
    }

    /// <summary>Rounds of one new case per broker, worked at once with no reading time, until the seconds have passed; returns the errors.</summary>
    private static async Task<int> WarmUpAsync(List<SimulatedBroker> brokers, Guid companyId, IReadOnlyList<(PlanStep, string, FormInputPairs)> route, int seconds)
    {
        if (seconds <= 0)
        {
            return 0;
        }

        var watch = Stopwatch.StartNew();
        var rounds = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await Task.WhenAll(brokers.Select(b => Task.Run(async () => await b.WorkCaseAsync(await b.OpenCaseAsync(companyId), route, 0))));
            rounds++;
        }

        var log = brokers.SelectMany(b => b.Log).ToList();
        var errors = log.Where(t => t.Error is not null).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {rounds} round(s) of one case per broker, {log.Count} requests in {watch.Elapsed.TotalSeconds:F1} s, not counted below; errors {errors.Count}"));
        foreach (var group in errors.GroupBy(e => e.Error).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"    {group.Count()} × {group.Key}");
        }

        return errors.Count;
    }

    /// <summary>Processor time so far of the web nodes (and their tiered-compilation threads), the database server's processes (PostgreSQL, on this machine) and this process.</summary>
    private static CpuSnapshot CpuNow(IReadOnlyList<PublishedApp> nodes) =>
        new(TimeSpan.FromTicks(nodes.Sum(n => n.CpuTime.Ticks)), [.. nodes.Select(n => n.TieringCpuTimes())], PostgresCpu(), Process.GetCurrentProcess().TotalProcessorTime);

    private static TimeSpan PostgresCpu()
    {
        var total = TimeSpan.Zero;
        foreach (var p in Process.GetProcessesByName("postgres"))
        {
            try
            {
                total += p.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                // Ended meanwhile.
            }
            finally
            {
                p.Dispose();
            }
        }

        return total;
    }

    /// <summary>Processor time of the web nodes, the database server and this load generator.</summary>
    private sealed record CpuSnapshot(TimeSpan Web, IReadOnlyList<IReadOnlyDictionary<int, TimeSpan>> Tiering, TimeSpan Database, TimeSpan Client)
    {
        /// <summary>The use since <paramref name="before"/>; tiered compilation thread by thread (a thread started since counts whole).</summary>
        public CpuUse Since(CpuSnapshot before) => new(
            Web - before.Web,
            TimeSpan.FromTicks(Tiering.Select((threads, node) => threads.Sum(t => (t.Value - before.Tiering[node].GetValueOrDefault(t.Key)).Ticks)).Sum()),
            Database - before.Database,
            Client - before.Client);
    }

    /// <summary>Processor time used between two snapshots.</summary>
    private readonly record struct CpuUse(TimeSpan Web, TimeSpan Tiering, TimeSpan Database, TimeSpan Client);

    private static LoadResult Report(string name, IReadOnlyList<PublishedApp> nodes, List<SimulatedBroker> brokers, TimeSpan elapsed, string load, int expected, CpuUse used)
    {
        var all = brokers.SelectMany(b => b.Log).ToList();
        var done = all.Count(t => t.Kind == RequestKinds.CompleteStep && t.Status == 302);
        var completionsPerSecond = done / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {brokers.Count} brokers at once, {elapsed.TotalSeconds:F1} s, {done} of {expected} steps completed, {completionsPerSecond:F1} completions/s, {all.Count / elapsed.TotalSeconds:F1} requests/s ({load})"));
        foreach (var kind in new[] { RequestKinds.MyWork, RequestKinds.CasePage, RequestKinds.CompleteStep })
        {
            var times = all.Where(t => t.Kind == kind && t.Error is null && !t.Conflict).Select(t => t.Ms).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {kind,-14} n={times.Count,5}  p50={Stats.Percentile(times, 50),7:F1} ms  p95={Stats.Percentile(times, 95),7:F1} ms  p99={Stats.Percentile(times, 99),7:F1} ms  max={(times.Count > 0 ? times[^1] : double.NaN),7:F1} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  processor time per request: web {used.Web.TotalMilliseconds / all.Count:F2} ms (of which compiling hot code again {used.Tiering.TotalMilliseconds / all.Count:F2} ms), PostgreSQL {used.Database.TotalMilliseconds / all.Count:F2} ms, load generator {used.Client.TotalMilliseconds / all.Count:F2} ms ({all.Count} requests; the machine's {Environment.ProcessorCount} cores give {Environment.ProcessorCount * elapsed.TotalMilliseconds / all.Count:F2} ms per request at this rate)"));
        var conflicts = all.Count(t => t.Conflict);
        var errors = all.Where(t => t.Error is not null).ToList();
        Console.WriteLine($"  conflicts (409, expected when two post to one case) {conflicts}; other errors {errors.Count}");
        foreach (var group in errors.GroupBy(e => e.Error).OrderByDescending(g => g.Count()).Take(10))
        {
            Console.WriteLine($"    {group.Count()} × {group.Key}");
        }

        foreach (var node in nodes)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  web node pid {node.Pid}: working set now {node.ResidentMb:F0} MB, peak sampled {node.PeakSampledMb:F0} MB, VmHWM {node.HighWaterMb:F0} MB"));
        }

        return new LoadResult(completionsPerSecond, errors.Count);
    }

    /// <summary>A cookie of a broker signed in at node A opens My work at node B; without it B sends to the sign-in page.</summary>
    private static async Task<int> CookieAcrossNodesAsync((string Email, string Password) account, PublishedApp a, PublishedApp b)
    {
        using var atA = new SimulatedBroker(account.Email, account.Password, a.BaseUrl!);
        await atA.SignInAsync();
        using var atB = new SimulatedBroker(account.Email, account.Password, b.BaseUrl!);
        var anonymous = await atB.StatusOfAsync("/work");
        atB.Cookies.Add(new Uri(b.BaseUrl!), atA.Cookies.GetCookies(new Uri(a.BaseUrl!)));
        var withCookie = await atB.StatusOfAsync("/work");
        var ok = anonymous == 302 && withCookie == 200;
        Console.WriteLine($"cookie of node A at node B: My work answered {withCookie} (without the cookie {anonymous}) — {(ok ? "accepted" : "NOT ACCEPTED")}");
        return ok ? 0 : 1;
    }

    internal static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
