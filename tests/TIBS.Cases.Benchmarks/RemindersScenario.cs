using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Accounts.Absences;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Notifications;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Testing;
using TIBS.Cases.Web.Infrastructure.Mail;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// N due reminder rows dispatched by one worker and, on a fresh set of rows, by two workers claiming side by side,
/// through the real dispatcher, claims and delivery (in-app notifications written and rows marked sent). Each run
/// measures two ways of delivering the same claims: <c>per-row</c> (each row read, its recipients read and written in
/// a transaction of its own: how every row was delivered before set-based delivery) and <c>batch</c> (the claim's rows
/// delivered together: recipients read once, one multi-row insert and one update in one transaction). E-mail is
/// measured separately: the notifications of the batch run are then sent over SMTP to a local catcher. The end of each
/// measurement checks 0 lost and 0 duplicated (rows not sent, notifications missing or beyond one per row, mails
/// missing); the program exits with an error otherwise.
/// Options: --batch N (rows per claim, default 100), --cases N (cases the rows are spread over, default 1).
/// </summary>
internal static class RemindersScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        var batch = int.Parse(Option(args, "--batch") ?? "100", CultureInfo.InvariantCulture);
        var caseCount = int.Parse(Option(args, "--cases") ?? "1", CultureInfo.InvariantCulture);
        var items = options.Items;
        var failed = false;
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var workers in new[] { 1, 2 })
            {
                foreach (var mode in new[] { "per-row", "batch" })
                {
                    await using var db = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
                    await new SchemaMigrator(db.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
                    var env = await BenchEnvironment.CreateAsync(db.Factory);
                    for (var i = 0; i < caseCount; i++)
                    {
                        await SeedAsync(env, await env.OpenCaseAsync(), (items / caseCount) + (i < items % caseCount ? 1 : 0));
                    }

                    var load = LoadAverage();
                    var before = CpuTimes.Now();
                    var sw = Stopwatch.StartNew();
                    var handed = await Task.WhenAll(Enumerable.Range(1, workers).Select(w => Task.Factory.StartNew(
                        () => DispatchAsync(env, mode, batch, $"bench-worker-{w}"),
                        CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
                    sw.Stop();
                    var used = CpuTimes.Now(ending: true) - before;
                    var (sent, notifications, keys) = await CountAsync(env);
                    var lost = items - sent;
                    var duplicates = (handed.Sum() - items) + (notifications - keys) + (keys - items);
                    var mails = "";
                    if (mode == "batch" && workers == 1)
                    {
                        var (perSecond, accepted) = await MailAsync(env);
                        mails = FormattableString.Invariant($"  e-mail {accepted} accepted, {perSecond:F0} mails/s");
                        failed |= accepted != items;
                    }

                    Console.WriteLine(FormattableString.Invariant(
                        $"run {run}  {options.Provider}  workers {workers}  {mode,-7}  reminders {items} on {caseCount} case(s), claims of {batch}  notifications {notifications}  lost {lost}  duplicates {duplicates}  {items / sw.Elapsed.TotalSeconds:F0} deliveries/s ({sw.Elapsed.TotalMilliseconds:F0} ms)  CPU per delivery: client {used.Process.TotalMilliseconds / items:F2} ms, database server {used.Server.TotalMilliseconds / items:F2} ms, machine {used.Machine.TotalMilliseconds / items:F2} ms  load average {load}{mails}"));
                    failed |= lost != 0 || duplicates != 0;
                }
            }
        }

        if (failed)
        {
            Console.Error.WriteLine("Reminders or mails were lost or duplicated.");
        }

        return failed ? 1 : 0;
    }

    internal static async Task SeedAsync(BenchEnvironment env, Guid caseId, int items)
    {
        var details = await env.Service.GetDetailsAsync(caseId) ?? throw new InvalidOperationException("The case was not found.");
        var step = details.Steps.Single();
        await DueReminders.SeedAsync(env.Factory, caseId, step.Id, step.StepKey, items, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1));
    }

    /// <summary>One worker: its own stores, delivery and dispatcher, as one process would have them.</summary>
    private static Task<int> DispatchAsync(BenchEnvironment env, string mode, int batch, string worker)
    {
        var reminders = new ReminderStore(env.Factory);
        var delivery = new ReminderDelivery(reminders, env.Cases, env.Users, env.Catalog, TimeProvider.System, absences: env.Service.Handler<IAbsenceStore>());
        return new ReminderDispatcher(reminders, TimeProvider.System) { BatchSize = batch }.DispatchAsync(new Queue(delivery, mode == "batch"), worker);
    }

    private sealed class Queue(ReminderDelivery delivery, bool together) : IReminderQueue
    {
        public Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) => delivery.DeliverAsync(reminderId, cancellationToken);

        public async Task EnqueueBatchAsync(IReadOnlyList<ReminderRecord> batch, CancellationToken cancellationToken = default)
        {
            if (together)
            {
                await delivery.DeliverBatchAsync(batch, cancellationToken);
                return;
            }

            foreach (var row in batch)
            {
                await delivery.DeliverAsync(row.Id, cancellationToken);
            }
        }
    }

    private static async Task<(int Sent, int Notifications, int Keys)> CountAsync(BenchEnvironment env)
    {
        await using var c = await env.Factory.OpenAsync();
        return (
            await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reminders WHERE status = 'sent' AND notice_key LIKE 'due-%'"),
            await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE delivery_key LIKE 'reminder:%'"),
            await c.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT delivery_key) FROM notifications WHERE delivery_key LIKE 'reminder:%'"));
    }

    /// <summary>Sends every due mail over SMTP (the application's MailKit sender) to a catcher on the loopback interface.</summary>
    private static async Task<(double PerSecond, int Accepted)> MailAsync(BenchEnvironment env)
    {
        await using var sink = new SmtpSink(TimeSpan.Zero);
        var sender = new SmtpEmailSender(new MailOptions { Host = "127.0.0.1", Port = sink.Port, UseTls = false }, TimeProvider.System, NullLogger<SmtpEmailSender>.Instance);
        var mailer = new NotificationMailer(new NotificationStore(env.Factory), env.Users, sender, TimeProvider.System, "http://localhost:5080");
        var sw = Stopwatch.StartNew();
        var sweep = await mailer.SendDueAsync();
        sw.Stop();
        return (sweep.Sent / sw.Elapsed.TotalSeconds, sink.Accepted.Select(a => a.MessageId).Distinct().Count());
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
