using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Reminders;
using TIBS.Cases.Data.Schema;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Testing;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// N due reminder rows dispatched by one server and, on a fresh set of rows, by two servers claiming side by side,
/// through the real dispatcher, claims and delivery (in-app notifications). Reports deliveries/s and duplicates
/// (rows handed over more than once, or notifications beyond one per row) — which must be 0.
/// </summary>
internal static class RemindersScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var items = options.Items;
        var rows = new List<string>();
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var servers in new[] { 1, 2 })
            {
                await using var db = await BenchmarkDatabase.CreateAsync(options.Provider, options.Connection);
                await new SchemaMigrator(db.Factory, NullLogger<SchemaMigrator>.Instance, TimeProvider.System).MigrateAsync(TimeSpan.Zero);
                var env = await BenchEnvironment.CreateAsync(db.Factory);
                var caseId = await env.OpenCaseAsync();
                await SeedAsync(env, caseId, items);
                var (elapsed, handed, delivered, notifications) = await DispatchAsync(env, servers);
                var duplicates = (handed - items) + (notifications - items);
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}  servers {servers}  reminders {items}  handed {handed}  delivered {delivered}  notifications {notifications}  duplicates {duplicates}  {items / elapsed.TotalSeconds:F0} deliveries/s  ({elapsed.TotalMilliseconds:F0} ms)"));
                Console.WriteLine(rows[^1]);
                if (duplicates != 0 || delivered != items)
                {
                    Console.Error.WriteLine("Reminders were lost or duplicated.");
                    return 1;
                }
            }
        }

        return 0;
    }

    internal static async Task SeedAsync(BenchEnvironment env, Guid caseId, int items)
    {
        var details = await env.Service.GetDetailsAsync(caseId) ?? throw new InvalidOperationException("The case was not found.");
        var step = details.Steps.Single();
        await DueReminders.SeedAsync(env.Factory, caseId, step.Id, step.StepKey, items, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1));
    }

    private static async Task<(TimeSpan Elapsed, int Handed, int Delivered, int Notifications)> DispatchAsync(BenchEnvironment env, int servers)
    {
        var reminders = new ReminderStore(env.Factory);
        var notifications = new NotificationStore(env.Factory);
        var delivery = new ReminderDelivery(reminders, env.Cases, env.Users, notifications, env.Catalog, TimeProvider.System);
        var results = new ConcurrentBag<DeliveryResult>();
        var sw = Stopwatch.StartNew();
        var handed = await Task.WhenAll(Enumerable.Range(1, servers).Select(s => Task.Factory.StartNew(
            () => new ReminderDispatcher(reminders, TimeProvider.System) { BatchSize = 100 }.DispatchAsync(new InlineQueue(delivery, results), $"bench-server-{s}"),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
        sw.Stop();
        await using var c = await env.Factory.OpenAsync();
        var count = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications");
        return (sw.Elapsed, handed.Sum(), results.Count(r => r.Outcome == DeliveryOutcome.Delivered), count);
    }

    private sealed class InlineQueue(ReminderDelivery delivery, ConcurrentBag<DeliveryResult> results) : IReminderQueue
    {
        public async Task EnqueueAsync(Guid reminderId, CancellationToken cancellationToken = default) =>
            results.Add(await delivery.DeliverAsync(reminderId, cancellationToken));
    }
}
