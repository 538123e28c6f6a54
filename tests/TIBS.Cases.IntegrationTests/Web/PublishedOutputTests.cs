using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using OtpNet;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The application published once per test run (Release, into a temporary folder), as the Dockerfile does:
/// <c>dotnet publish -c Release -o &lt;folder&gt;</c>.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "tibs-tests", "published-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var project = Path.Combine(CaseEnvironment.RepositoryRoot(), "src", "TIBS.Cases.Web");
        var (code, output) = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", Folder, "--nologo"], CaseEnvironment.RepositoryRoot(), new Dictionary<string, string>(), TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"dotnet publish failed ({code}):\n{output}");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; left behind if something still holds a file.
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts <c>dotnet TIBS.Cases.Web.dll</c> in the published folder with the Dockerfile's settings and <paramref name="settings"/>.</summary>
    public async Task<PublishedProcess> StartAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var data = Path.Combine(Path.GetTempPath(), "tibs-tests", "published-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var auditKey = Path.Combine(data, "audit-signing-key.pem");
        await File.WriteAllTextAsync(auditKey, AuditKeyRing.NewPrivateKeyPem());
        var port = FreePort();
        var environment = new Dictionary<string, string>
        {
            // The Dockerfile's settings (the port is the test's own) ...
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__DataDirectory"] = data,
            // ... and the ones docker-compose.yml adds (the embedded database instead of SQL Server).
            ["DataProtection__KeyFile"] = TibsWebFactory.NewKeyFile(),
            ["Audit__SigningKeyFile"] = auditKey,
            ["Bootstrap__AdminEmail"] = "admin@example.org",
            ["Bootstrap__AdminPassword"] = "Published-Admin-2026!",
            ["Demo__Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return await PublishedProcess.StartAsync(Folder, ["TIBS.Cases.Web.dll", .. args], environment, new Uri($"http://127.0.0.1:{port}"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string directory, Dictionary<string, string> environment, TimeSpan limit)
    {
        using var process = PublishedProcess.Create(file, args, directory, environment);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"stopped after {limit}:\n{output}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}

/// <summary>A running published application: its address and everything it wrote.</summary>
public sealed class PublishedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PublishedProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    internal static Process Create(string file, IEnumerable<string> args, string directory, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // Nothing of the test host's own settings leaks in: no environment, build or application settings.
        foreach (var key in info.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new Process { StartInfo = info };
    }

    internal static async Task<PublishedProcess> StartAsync(string folder, string[] args, Dictionary<string, string> environment, Uri address)
    {
        var started = new PublishedProcess(Create("dotnet", args, folder, environment), address);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            lock (started._output)
            {
                started._output.AppendLine(line);
            }

            if (line?.Contains("TIBS.Cases is running.", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        }

        started._process.OutputDataReceived += (_, e) => Collect(e.Data);
        started._process.ErrorDataReceived += (_, e) => Collect(e.Data);
        started._process.EnableRaisingEvents = true;
        started._process.Exited += (_, _) => ready.TrySetResult();
        started._process.Start();
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();

        // A bound on a broken start-up, not a measurement.
        await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(!started._process.HasExited && ready.Task.IsCompleted, $"The published application did not start:\n{started.Output}");
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>The published output started the way the Dockerfile starts it serves its styles and scripts.</summary>
public sealed partial class PublishedOutputTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/[^\"]+)\"")]
    private static partial Regex Stylesheet();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("id=\"two-step-secret\"[^>]*>([^<]+)<")]
    private static partial Regex TwoStepSecret();

    [Fact]
    public async Task Started_like_the_Dockerfile_does_it_serves_a_stylesheet_and_a_script_and_signs_the_first_administrator_in()
    {
        await using var running = await app.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = running.Address };

        var signIn = await client.GetStringAsync("/account/sign-in");
        var stylesheets = Stylesheet().Matches(signIn).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(stylesheets);
        foreach (var href in stylesheets)
        {
            using var css = await client.GetAsync(href);
            Assert.Equal((HttpStatusCode.OK, "text/css"), (css.StatusCode, css.Content.Headers.ContentType?.MediaType));
            Assert.NotEmpty(await css.Content.ReadAsStringAsync());
        }

        var script = Directory.EnumerateFiles(Path.Combine(app.Folder, "wwwroot", "js"), "*.js").Order(StringComparer.Ordinal).First();
        using var js = await client.GetAsync("/js/" + Path.GetFileName(script));
        Assert.Equal((HttpStatusCode.OK, "text/javascript"), (js.StatusCode, js.Content.Headers.ContentType?.MediaType));
        Assert.Equal(await File.ReadAllTextAsync(script), await js.Content.ReadAsStringAsync());
        Assert.DoesNotContain("No web root found", running.Output, StringComparison.Ordinal);

        // The first administrator from Bootstrap:AdminEmail / Bootstrap:AdminPassword signs in, sets up two-step sign-in
        // (required of administrators by default) and reaches the jobs dashboard.
        var token = Token().Match(signIn).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "admin@example.org", ["Password"] = "Published-Admin-2026!", ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Origin", running.Address.GetLeftPart(UriPartial.Authority));
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/account/two-step/set-up", signedIn.Headers.Location!.OriginalString);
        var setUp = await client.GetStringAsync("/account/two-step/set-up");
        var secret = TwoStepSecret().Match(setUp).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        using var enrol = new HttpRequestMessage(HttpMethod.Post, "/account/two-step/set-up")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Code"] = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow),
                ["__RequestVerificationToken"] = Token().Match(setUp).Groups[1].Value,
            }),
        };
        enrol.Headers.Add("Origin", running.Address.GetLeftPart(UriPartial.Authority));
        using var enrolled = await client.SendAsync(enrol);
        Assert.Contains("id=\"recovery-codes\"", await enrolled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var jobs = await client.GetAsync("/jobs/");
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
    }

    [Fact]
    public async Task Started_with_an_empty_web_root_it_says_so_and_how_to_run_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tibs-tests", "empty-webroot-" + Guid.NewGuid().ToString("N"))).FullName;

        await using var running = await app.StartAsync(new Dictionary<string, string>(), "--webroot=" + empty);

        Assert.Contains($"No web root found: {empty} does not exist or is empty", running.Output, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/TIBS.Cases.Web -c Release", running.Output, StringComparison.Ordinal);
    }
}
