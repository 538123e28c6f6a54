using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// pgbench TPC-B on a scratch database of the same server (<c>pgbench -i -s 10</c>, then 4 clients for N seconds): the
/// transactions per second the database itself manages on this machine, printed next to the step completions per second.
/// </summary>
internal static partial class Pgbench
{
    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex Latency();

    public static async Task RunAsync(string serverConnection, int seconds, double completionsPerSecond)
    {
        var server = new NpgsqlConnectionStringBuilder(serverConnection);
        var name = $"tibs_load_pgbench_{Guid.NewGuid():N}";
        await ExecuteAsync(serverConnection, $"CREATE DATABASE \"{name}\"");
        try
        {
            await PgbenchAsync(server, ["-i", "-s", "10", "-q", name]);
            var load = HttpScenario.LoadAverage();
            var output = await PgbenchAsync(server, ["-c", "4", "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), name]);
            var tps = double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pgbench TPC-B, scale 10, 4 clients, {seconds} s: {tps:F0} tps, latency average {Latency().Match(output).Groups[1].Value} ms (load average {load} → {HttpScenario.LoadAverage()}); " +
                $"step completions {completionsPerSecond:F1}/s = {completionsPerSecond / tps:P1} of pgbench's tps"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(serverConnection, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task<string> PgbenchAsync(NpgsqlConnectionStringBuilder server, string[] args)
    {
        var start = new ProcessStartInfo("pgbench") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-h", server.Host ?? "localhost", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.Username ?? "postgres" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PGPASSWORD"] = server.Password ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout + await stderr
            : throw new InvalidOperationException($"pgbench {string.Join(' ', args)} failed: {await stderr}");
    }

    private static async Task ExecuteAsync(string serverConnection, string sql)
    {
        await using var connection = new NpgsqlConnection(serverConnection);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
