using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// The server time of the case page: the web application started in this process on a loopback port (fresh embedded
/// database with the demo data, Production settings), a broker signed in, one case opened, then --requests N (200)
/// requests, each answered in full, of the case page, and in the same run and interleaved with it, of two baselines: the
/// sign-in page (a page with the layout and no case) and /health (no page at all). Prints median, p95 and max per address
/// and the size of each answer. Requests go one at a time, after --warmup N (20) of each.
/// </summary>
internal static partial class CasePageScenario
{
    private const string Password = "Bench-Demo-Password-2026";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<option value=\"([^\"]+)\"[^>]*>Vidzeme Wood Solutions</option>")]
    private static partial Regex LeadCompany();

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var requests = int.Parse(Value("--requests") ?? "200", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Value("--warmup") ?? "20", CultureInfo.InvariantCulture);
        var data = Path.Combine(Path.GetTempPath(), $"tibs-bench-case-page-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var keyFile = Path.Combine(data, "dataprotection.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            await using var app = TIBS.Cases.Web.Program.BuildApp(
            [
                "--urls=http://127.0.0.1:0",
                $"--contentRoot={Path.Combine(BenchEnvironment.RepositoryRoot(), "src", "TIBS.Cases.Web")}",
                "--environment=Production",
                "--Logging:LogLevel:Default=Warning",
                "--Database:Provider=Sqlite",
                $"--Database:DataDirectory={data}",
                $"--Demo:Password={Password}",
                $"--DataProtection:KeyFile={keyFile}",
                "--SignIn:AddressPermitLimit=100000",
                "--Audit:WriteCheckpoints=false",
            ]);
            await app.StartAsync();
            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
            {
                BaseAddress = new Uri(baseUrl),
            };
            var casePage = await OpenCaseAsync(client);
            string[] urls = [casePage, "/account/sign-in", "/health"];
            var times = urls.ToDictionary(u => u, _ => new List<double>());
            var sizes = new Dictionary<string, long>();
            for (var i = 0; i < warmup + requests; i++)
            {
                foreach (var url in urls)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await client.GetAsync(url);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var elapsed = watch.Elapsed.TotalMilliseconds;
                    response.EnsureSuccessStatusCode();
                    sizes[url] = body.Length;
                    if (i >= warmup)
                    {
                        times[url].Add(elapsed);
                    }
                }
            }

            await app.StopAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"case-page: {requests} requests per address after {warmup} warm-up, one at a time over loopback, SQLite, Production settings"));
            foreach (var url in urls)
            {
                var sorted = times[url].Order().ToList();
                var name = url == casePage ? "case page /cases/{id}" : url;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-24} median={Stats.Percentile(sorted, 50),7:F2} ms  p95={Stats.Percentile(sorted, 95),7:F2} ms  max={sorted[^1],7:F2} ms  answer={sizes[url] / 1024.0,6:F1} KB"));
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Signs the Latvian demo broker in and opens a case for a Latvian demo SME; returns the case page's path.</summary>
    private static async Task<string> OpenCaseAsync(HttpClient client)
    {
        var signIn = await client.GetStringAsync("/account/sign-in");
        var signedIn = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "broker.lv008@tibs.example",
            ["Password"] = Password,
            ["__RequestVerificationToken"] = Antiforgery().Match(signIn).Groups[1].Value,
        }));
        signedIn.EnsureSuccessStatusCode();
        var form = await client.GetStringAsync("/cases/new");
        var opened = await client.PostAsync("/cases/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["company"] = LeadCompany().Match(form).Groups[1].Value,
            ["title"] = "",
            ["__RequestVerificationToken"] = Antiforgery().Match(form).Groups[1].Value,
        }));
        opened.EnsureSuccessStatusCode();
        var path = opened.RequestMessage!.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/cases/", StringComparison.Ordinal) || path == "/cases/new")
        {
            throw new InvalidOperationException($"Opening the case did not lead to a case page but to {path}.");
        }

        return path;
    }
}
