using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Kill -9 during dispatch: seeds N due reminders on a fresh database, starts the application's worker
/// (<c>dotnet TIBS.Cases.Web.dll worker</c>, dispatching every few seconds, mailing to a local SMTP sink), kills it with
/// SIGKILL at random moments while it delivers, restarts it, and at the end counts in-app notifications (exactly one per
/// reminder), e-mails (distinct Message-IDs, lost, duplicates) and the longest stall between a kill and the next
/// delivery. Figures are printed; the exit code is 1 when a notice or an e-mail was lost or a notice duplicated.
/// </summary>
internal static class CrashDispatchScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var reminders = int.Parse(Value("--reminders") ?? "600", CultureInfo.InvariantCulture);
        var kills = int.Parse(Value("--kills") ?? "12", CultureInfo.InvariantCulture);
        var lease = TimeSpan.Parse(Value("--lease") ?? "00:00:30", CultureInfo.InvariantCulture);
        var cron = Value("--cron") ?? "*/5 * * * * *";
        var smtpDelay = TimeSpan.FromMilliseconds(int.Parse(Value("--smtp-delay-ms") ?? "50", CultureInfo.InvariantCulture));
        var random = new Random(int.Parse(Value("--seed") ?? "8", CultureInfo.InvariantCulture));
        var app = Value("--app") ?? FindApp();
        var finishWithin = TimeSpan.FromSeconds(int.Parse(Value("--finish-within-s") ?? "300", CultureInfo.InvariantCulture));

        await using var db = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
        await new SchemaMigrator(db.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
        var env = await BenchEnvironment.CreateAsync(db.Factory);
        var caseId = await env.OpenCaseAsync();
        await RemindersScenario.SeedAsync(env, caseId, reminders);
        await using var sink = new SmtpSink(smtpDelay);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"crash-dispatch: {options.Provider}, {reminders} reminders, {kills} kills, lease {lease:c}, cron '{cron}', SMTP sink on port {sink.Port} ({smtpDelay.TotalMilliseconds:F0} ms per mail), worker {app}"));

        var log = Path.Combine(Path.GetTempPath(), $"tibs-crash-dispatch-{Guid.NewGuid():N}.log");
        var killTimes = new List<DateTimeOffset>();
        var heldAtKill = new List<IReadOnlyList<Guid>>();
        var started = Stopwatch.StartNew();
        for (var k = 0; k <= kills; k++)
        {
            using var worker = StartWorker(app, db.Factory.ConnectionString, options.Provider, cron, lease, sink.Port, log);
            if (k == kills)
            {
                // The last worker lives: wait until everything is delivered and e-mailed.
                var done = await WaitAsync(() => AllDoneAsync(db.Factory, caseId, reminders), finishWithin);
                worker.Kill();
                await worker.WaitForExitAsync();
                Console.WriteLine(done ? "all delivered and e-mailed" : $"not finished within {finishWithin.TotalSeconds:F0} s of the last restart");
                break;
            }

            // Kill it at a random moment while it is delivering: after it has made some progress of its own.
            var before = await ProgressAsync(db.Factory, caseId, sink);
            var progressed = await WaitAsync(async () => await ProgressAsync(db.Factory, caseId, sink) > before, TimeSpan.FromSeconds(120));
            if (!progressed && await AllDoneAsync(db.Factory, caseId, reminders))
            {
                Console.WriteLine($"everything was delivered before kill {k + 1}; no more kills");
                worker.Kill();
                await worker.WaitForExitAsync();
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 3000)));
            worker.Kill(); // SIGKILL on Linux: no shutdown, no cleanup
            killTimes.Add(DateTimeOffset.UtcNow);
            await worker.WaitForExitAsync();
            heldAtKill.Add(await HeldAsync(db.Factory, caseId));
            var soFar = await ProgressAsync(db.Factory, caseId, sink);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill {k + 1} at {started.Elapsed.TotalSeconds:F1} s: {soFar} notices + mails so far"));
        }

        return await ReportAsync(db.Factory, caseId, reminders, sink, killTimes, heldAtKill, started.Elapsed, log);
    }

    private static Process StartWorker(string app, string connectionString, Data.DatabaseProvider provider, string cron, TimeSpan lease, int smtpPort, string log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(app)!,
        };
        start.ArgumentList.Add(app);
        start.ArgumentList.Add("worker");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["Database__ConnectionString"] = connectionString;
        start.Environment["Jobs__DispatchCron"] = cron;
        start.Environment["Jobs__ClaimLease"] = lease.ToString("c", CultureInfo.InvariantCulture);
        start.Environment["Mail__Host"] = "127.0.0.1";
        start.Environment["Mail__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Mail__UseTls"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    File.AppendAllText(log, line + Environment.NewLine);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Notices written plus mails accepted: grows while the worker delivers.</summary>
    private static async Task<long> ProgressAsync(Data.ConnectionFactory factory, Guid caseId, SmtpSink sink)
    {
        await using var c = await factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE case_id = @caseId", new { caseId }) + sink.Accepted.Count;
    }

    private static async Task<bool> AllDoneAsync(Data.ConnectionFactory factory, Guid caseId, int reminders)
    {
        await using var c = await factory.OpenAsync();
        var sent = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reminders WHERE case_id = @caseId AND status = 'sent'", new { caseId });
        var unmailed = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE case_id = @caseId AND emailed_at IS NULL", new { caseId });
        return sent == reminders && unmailed == 0;
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>The rows the killed worker held: claimed and not yet sent.</summary>
    private static async Task<IReadOnlyList<Guid>> HeldAsync(Data.ConnectionFactory factory, Guid caseId)
    {
        await using var c = await factory.OpenAsync();
        return [.. await c.QueryAsync<Guid>("SELECT id FROM reminders WHERE case_id = @caseId AND status = 'claimed'", new { caseId })];
    }

    private static async Task<int> ReportAsync(
        Data.ConnectionFactory factory, Guid caseId, int reminders, SmtpSink sink, List<DateTimeOffset> killTimes, List<IReadOnlyList<Guid>> heldAtKill, TimeSpan elapsed, string log)
    {
        await using var c = await factory.OpenAsync();
        var sentAt = (await c.QueryAsync<SentRow>("SELECT id, sent_at FROM reminders WHERE case_id = @caseId", new { caseId }))
            .ToDictionary(r => r.Id, r => r.SentAt);

        // A takeover: from a kill to the delivery of the last row the killed worker held (its lease had to run out).
        var takeovers = killTimes.Zip(heldAtKill, (k, held) => held.Count == 0 ? (TimeSpan?)null
            : held.Max(id => sentAt.GetValueOrDefault(id) ?? DateTimeOffset.MaxValue) is var last && last != DateTimeOffset.MaxValue ? last - k : TimeSpan.MaxValue).ToList();
        var longestTakeover = takeovers.Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty().Max();
        var notices = (await c.QueryAsync<Notice>(
            "SELECT id, delivery_key, created_at, emailed_at FROM notifications WHERE case_id = @caseId", new { caseId })).ToList();
        var sentRows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reminders WHERE case_id = @caseId AND status = 'sent'", new { caseId });
        var confirmed = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE case_id = @caseId AND emailed_at IS NOT NULL", new { caseId });
        var mails = sink.Accepted.ToList();
        var distinct = mails.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var expected = notices.Select(n => $"notification-{n.Id:N}@").ToList();
        var lost = expected.Count(prefix => !distinct.Any(id => id.StartsWith(prefix, StringComparison.Ordinal)));
        var strangers = distinct.Where(id => !expected.Any(prefix => id.StartsWith(prefix, StringComparison.Ordinal))).ToList();
        var duplicateNotices = notices.Count - notices.Select(n => n.DeliveryKey).Distinct(StringComparer.Ordinal).Count();

        // A stall: from a kill to the next notice written or mail confirmed in the database by the restarted worker. The
        // sink's clock is not used (it may still accept a mail the killed worker had sent); half a second after the kill
        // no statement of the dead process is still finishing, and no new process has started dispatching yet.
        var progress = notices.Select(n => n.CreatedAt).Concat(notices.Where(n => n.EmailedAt is not null).Select(n => n.EmailedAt!.Value)).Order().ToList();
        var stalls = killTimes.Select(k => progress.FirstOrDefault(t => t > k.AddSeconds(0.5)) is var next && next != default ? next - k : (TimeSpan?)null).ToList();
        var longest = stalls.Where(s => s is not null).Select(s => s!.Value).DefaultIfEmpty().Max();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            reminders {reminders}, sent {sentRows}
            in-app notifications {notices.Count} (expected {reminders}), duplicates {duplicateNotices}
            e-mails accepted by the SMTP sink {mails.Count}, distinct Message-IDs {distinct.Count}, lost {lost}, duplicates {mails.Count - distinct.Count}; confirmed in the database {confirmed}
            Message-IDs of no notification of the run: {(strangers.Count == 0 ? "none" : string.Join(", ", strangers))}
            kills {killTimes.Count}, longest stall between a kill and resumed delivery {longest.TotalSeconds:F1} s{(stalls.Any(s => s is null) ? " (some kills had no delivery after them)" : "")}
            rows held by the killed worker: {string.Join(", ", heldAtKill.Select(h => h.Count))}; longest time from a kill to the last of them delivered {(longestTakeover == TimeSpan.MaxValue ? "never" : longestTakeover.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s")}
            takeovers: {string.Join(", ", takeovers.Select(t => t is null ? "-" : t.Value.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)))} s
            stalls: {string.Join(", ", stalls.Select(s => s is null ? "-" : s.Value.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)))} s
            total {elapsed.TotalSeconds:F0} s; worker output in {log}
            """));
        return notices.Count == reminders && duplicateNotices == 0 && lost == 0 && sentRows == reminders ? 0 : 1;
    }

    private sealed class SentRow
    {
        public Guid Id { get; set; }
        public DateTimeOffset? SentAt { get; set; }
    }

    private sealed class Notice
    {
        public Guid Id { get; set; }
        public string DeliveryKey { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? EmailedAt { get; set; }
    }

    /// <summary>The built web application next to this repository (Release first), for <c>dotnet … worker</c>.</summary>
    private static string FindApp()
    {
        var root = BenchEnvironment.RepositoryRoot();
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var dll = Path.Combine(root, "src", "TIBS.Cases.Web", "bin", configuration, "net10.0", "TIBS.Cases.Web.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException("Build the web application first (dotnet build -c Release src/TIBS.Cases.Web) or pass --app <path to TIBS.Cases.Web.dll>.");
    }
}
