using System.Diagnostics;
using System.Globalization;
using Dapper;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Testing;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// Reminders with two workers of the published application: N due reminders on a case opened through the pages,
/// dispatched by the two workers (every two seconds); counts in-app notices (one per reminder, none twice) and which
/// Hangfire servers ran the deliveries.
/// </summary>
internal static class RemindersCheck
{
    public static async Task<int> RunAsync(ConnectionFactory factory, (string Email, string Password) account, Guid companyId, int reminders, PublishedApp node)
    {
        Guid caseId;
        using (var browser = new SimulatedBroker(account.Email, account.Password, node.BaseUrl!))
        {
            await browser.SignInAsync();
            caseId = await browser.OpenCaseAsync(companyId);
        }

        var commands = await CaseCommands.CreateAsync(factory, TimeProvider.System, new FileSystemAttachmentStorage(Path.Combine(Path.GetTempPath(), "tibs-load", "attachments")));
        var details = await commands.GetDetailsAsync(caseId) ?? throw new InvalidOperationException("The reminders' case was not found.");
        var step = details.Steps.Single();
        var before = await CountAsync(factory, caseId);
        await DueReminders.SeedAsync(factory, caseId, step.Id, step.StepKey, reminders, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(1), role: "broker");
        var watch = Stopwatch.StartNew();
        (long Notices, long Distinct, long Sent) now;
        do
        {
            await Task.Delay(500);
            now = await CountAsync(factory, caseId);
        }
        while (now.Sent - before.Sent < reminders && watch.Elapsed < TimeSpan.FromMinutes(3));

        await Task.Delay(3000); // a late duplicate would show here
        now = await CountAsync(factory, caseId);
        var notices = now.Notices - before.Notices;
        var duplicates = now.Notices - now.Distinct;
        var servers = await ServersAsync(factory);
        var ok = notices == reminders && duplicates == 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reminders with two workers: {reminders} due, {now.Sent - before.Sent} sent, {notices} in-app notices, duplicates {duplicates}, in {watch.Elapsed.TotalSeconds:F1} s; deliveries per Hangfire server: {servers} — {(ok ? "each delivered once" : "NOT DELIVERED ONCE")}"));
        return ok ? 0 : 1;
    }

    private static async Task<(long Notices, long Distinct, long Sent)> CountAsync(ConnectionFactory factory, Guid caseId)
    {
        await using var c = await factory.OpenAsync();
        var notices = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE case_id = @caseId", new { caseId });
        var distinct = await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT delivery_key) FROM notifications WHERE case_id = @caseId", new { caseId });
        var sent = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reminders WHERE case_id = @caseId AND status = 'sent'", new { caseId });
        return (notices, distinct, sent);
    }

    /// <summary>How many jobs each Hangfire server took into processing (PostgreSQL storage's state table).</summary>
    private static async Task<string> ServersAsync(ConnectionFactory factory)
    {
        try
        {
            await using var c = await factory.OpenAsync();
            var rows = await c.QueryAsync<(string Server, long Jobs)>(
                "SELECT COALESCE(data::json->>'ServerId', '?') AS server, COUNT(*) AS jobs FROM hangfire.state WHERE name = 'Processing' GROUP BY 1 ORDER BY 1");
            return string.Join(", ", rows.Select(r => $"{r.Server} {r.Jobs}"));
        }
        catch (Npgsql.PostgresException ex)
        {
            return "unknown (" + ex.MessageText + ")";
        }
    }
}
