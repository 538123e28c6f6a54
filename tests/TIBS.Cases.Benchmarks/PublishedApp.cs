using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// One process of the published application (<c>dotnet publish -c Release</c> output, Production environment) started
/// as an operator would: settings in the environment, a web node on a loopback port or a worker. Its output goes to a
/// log file; its peak working set is read from <c>/proc/&lt;pid&gt;/status</c>. Disposing kills it.
/// </summary>
internal sealed class PublishedApp : IAsyncDisposable
{
    private readonly Process process;
    private readonly Timer sampler;
    private long peakRssKb;

    private PublishedApp(Process process, string? baseUrl, string log)
    {
        this.process = process;
        BaseUrl = baseUrl;
        Log = log;
        sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
    }

    /// <summary>The web node's address (<c>http://127.0.0.1:port</c>); null for a worker.</summary>
    public string? BaseUrl { get; }

    public string Log { get; }

    public int Pid => process.Id;

    /// <summary>Highest resident set seen by sampling every 200 ms (MB).</summary>
    public double PeakSampledMb => Interlocked.Read(ref peakRssKb) / 1024.0;

    /// <summary>The kernel's high-water mark of the resident set (VmHWM, MB); 0 when the process is gone.</summary>
    public double HighWaterMb => Status("VmHWM:") / 1024.0;

    /// <summary>The resident set now (VmRSS, MB).</summary>
    public double ResidentMb => Status("VmRSS:") / 1024.0;

    /// <summary>The processor time the process has used so far (user and system, every thread).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// The processor time so far of the runtime's tiered-compilation threads, by thread id: how much of the process's
    /// time went to compiling its hot code again, optimized, rather than to requests. The runtime ends that thread when
    /// it has nothing to do and starts another later, so a difference is taken thread by thread.
    /// </summary>
    public IReadOnlyDictionary<int, TimeSpan> TieringCpuTimes()
    {
        var times = new Dictionary<int, TimeSpan>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{process.Id}/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in USER_HZ (100/s).
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    times[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = TimeSpan.FromMilliseconds(ticks * 10);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process or the thread is gone, or not ours to read.
        }

        return times;
    }

    /// <summary>The published application: --published, or /tmp/tibs-load/publish.</summary>
    public static string Find(string? published)
    {
        var folder = published ?? Path.Combine(Path.GetTempPath(), "tibs-load", "publish");
        var dll = Path.Combine(folder, "TIBS.Cases.Web.dll");
        return File.Exists(dll) ? dll
            : throw new InvalidOperationException($"No published application in {folder}: run dotnet publish src/TIBS.Cases.Web -c Release -o {folder} first (or pass --published <folder>).");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A web node on a free loopback port, with the settings given (section__key = value).</summary>
    public static PublishedApp StartWeb(string dll, IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        return Start(dll, null, settings.Append(new("ASPNETCORE_URLS", url)), workingDirectory, url);
    }

    /// <summary>A worker (<c>dotnet TIBS.Cases.Web.dll worker</c>): a Hangfire server without the web server.</summary>
    public static PublishedApp StartWorker(string dll, IReadOnlyDictionary<string, string> settings, string workingDirectory) =>
        Start(dll, "worker", settings, workingDirectory, null);

    private static PublishedApp Start(string dll, string? command, IEnumerable<KeyValuePair<string, string>> settings, string workingDirectory, string? url)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        if (command is not null)
        {
            start.ArgumentList.Add(command);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var log = Path.Combine(workingDirectory, $"{command ?? "web"}-{Guid.NewGuid():N}.log");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The application did not start.");
        var writer = new StreamWriter(log) { AutoFlush = true };
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (writer)
                {
                    writer.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PublishedApp(process, url, log);
    }

    /// <summary>Polls /health until it answers 200 (healthy); the time from <paramref name="since"/>, or throws with the log.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(Stopwatch since, TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl!), Timeout = TimeSpan.FromSeconds(30) };
        while (since.Elapsed < within)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The application stopped with exit code {process.ExitCode}; its output is in {Log}.");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return since.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or not answering yet.
            }

            await Task.Delay(10);
        }

        throw new InvalidOperationException($"The application did not answer /health within {within.TotalSeconds:F0} s; its output is in {Log}.");
    }

    private void Sample()
    {
        var rss = Status("VmRSS:");
        if (rss > 0)
        {
            long seen;
            while ((seen = Interlocked.Read(ref peakRssKb)) < rss && Interlocked.CompareExchange(ref peakRssKb, rss, seen) != seen)
            {
            }
        }
    }

    private long Status(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await sampler.DisposeAsync();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
