using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Backups;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.Testing.Seeding;
using TIBS.Cases.Web.Infrastructure.Backup;

namespace TIBS.Cases.Benchmarks;

/// <summary>
/// <c>backup [--cases N (10,000)] [--companies N (2,000)] [--seed N (42)] [--rounds R (3)] [--file-cap BYTES (65,536)]
/// [--postgres]</c>: the seeded programme in a fresh embedded data folder (anchored by a signed checkpoint, a real file
/// for every attachment row), then R rounds of the product's backup (<see cref="BackupRunner"/>, as the <c>backup</c>
/// command) and restore into an empty folder (<see cref="BackupRestore"/>, as <c>restore --into</c>, which verifies
/// every chain and attachment): median/min/max per step, archive and database size. With --postgres (or
/// TIBS_TEST_POSTGRES set) the same programme on PostgreSQL: <c>pg_dump -Fc</c>, <c>pg_restore</c> into a fresh
/// database and the check of <c>restore --verify</c> against it. Figures are printed, never asserted.
/// </summary>
internal static class BackupScenario
{
    public static async Task<int> RunAsync(BenchmarkOptions options, string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Arg(string name, int fallback) => int.Parse(Value(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        var seed = new SeedOptions(Arg("--cases", 10_000), Arg("--companies", 2_000), Arg("--seed", 42));
        var rounds = Arg("--rounds", 3);
        var fileCap = Arg("--file-cap", 65_536);
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"tibs-bench-backup-{Guid.NewGuid():N}")).FullName;
        try
        {
            var signing = Path.Combine(root, "audit-signing.pem");
            await File.WriteAllTextAsync(signing, AuditKeyRing.NewPrivateKeyPem());
            var key = Path.Combine(root, "backup.key");
            await File.WriteAllTextAsync(key, BackupKey.NewKeyText());

            await SqliteAsync(seed, rounds, fileCap, root, signing, key);
            var server = options.Provider == DatabaseProvider.Postgres || args.Contains("--postgres")
                ? options.Connection ?? Environment.GetEnvironmentVariable("TIBS_TEST_POSTGRES")
                : null;
            if (server is not null)
            {
                await PostgresAsync(seed, rounds, fileCap, root, signing, server);
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task SqliteAsync(SeedOptions seed, int rounds, int fileCap, string root, string signing, string key)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        var database = Path.Combine(data, "tibs.db");
        var factory = new ConnectionFactory(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = database }.ToString());
        var (attachments, bytes) = await PrepareAsync(DatabaseProvider.Sqlite, factory, seed, Path.Combine(data, "attachments"), Path.Combine(data, "anchors"), signing, fileCap);
        await using (var c = await factory.OpenAsync())
        {
            await c.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        SqliteConnection.ClearAllPools();
        var databaseBytes = new FileInfo(database).Length;
        Console.WriteLine(Line($"sqlite: {seed.Cases:N0} cases, {seed.Companies:N0} companies (seed {seed.Seed}); database {Mb(databaseBytes)}; {attachments:N0} attachment files, {Mb(bytes)}"));

        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = data,
            ["Audit:SigningKeyFile"] = signing,
            ["Backup:KeyFile"] = key,
            ["Backup:ErasureLog"] = Path.Combine(root, "erasures.jsonl"),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var backups = new List<double>();
        var restores = new List<double>();
        var sizes = new List<long>();
        for (var r = 1; r <= rounds; r++)
        {
            var round = Path.Combine(root, $"round-{r}");
            BackupRun run;
            var start = Stopwatch.GetTimestamp();
            await using (var services = BackupServices.Create(configuration))
            {
                run = await services.GetRequiredService<BackupRunner>().RunAsync(null, "the backup benchmark", Path.Combine(round, "backups"));
            }

            var backupSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (run.Status != BackupRun.Done || !run.Verified)
            {
                throw new InvalidOperationException($"The backup did not complete verified: {run.Status} {run.Message}");
            }

            var archive = Path.Combine(round, "backups", run.FileName!);
            var into = Path.Combine(round, "restored");
            start = Stopwatch.GetTimestamp();
            var outcome = await new BackupRestore(configuration, TimeProvider.System).RestoreAsync(archive, into, null);
            var restoreSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException("The restore was refused:\n" + string.Join("\n", outcome.Lines));
            }

            var report = outcome.Lines.First(l => l.StartsWith("Verified ", StringComparison.Ordinal));
            Console.WriteLine(Line($"  round {r}: backup {backupSeconds:F1} s, archive {run.SizeBytes:N0} bytes ({Mb(run.SizeBytes ?? 0)}); restore {restoreSeconds:F1} s: {report} load {Load()}"));
            backups.Add(backupSeconds);
            restores.Add(restoreSeconds);
            sizes.Add(run.SizeBytes ?? 0);
            SqliteConnection.ClearAllPools();
            Directory.Delete(round, recursive: true);
        }

        Console.WriteLine(Line($"summary backup sqlite: {seed.Cases:N0} cases, database {Mb(databaseBytes)}, {attachments:N0} attachments {Mb(bytes)}; backup {Spread(backups)}; archive {Mb(sizes.Max())} ({(double)sizes.Max() / (databaseBytes + bytes):P0} of database + files); restore with verification {Spread(restores)}; {rounds} rounds; load {Load()}"));
    }

    private static async Task PostgresAsync(SeedOptions seed, int rounds, int fileCap, string root, string signing, string server)
    {
        await using var source = await BenchmarkDatabase.CreateAsync(DatabaseProvider.Postgres, server);
        var data = Directory.CreateDirectory(Path.Combine(root, "pg")).FullName;
        var (attachments, bytes) = await PrepareAsync(DatabaseProvider.Postgres, source.Factory, seed, Path.Combine(data, "attachments"), Path.Combine(data, "anchors"), signing, fileCap);
        long databaseBytes;
        await using (var c = await source.Factory.OpenAsync())
        {
            databaseBytes = await c.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");
        }

        Console.WriteLine(Line($"postgres: {seed.Cases:N0} cases, database {Mb(databaseBytes)}; {attachments:N0} attachment files, {Mb(bytes)} (backed up apart, as README says)"));
        var dumps = new List<double>();
        var restores = new List<double>();
        var verifies = new List<double>();
        long dumpBytes = 0;
        for (var r = 1; r <= rounds; r++)
        {
            var dump = Path.Combine(root, $"pg-{r}.dump");
            var from = new NpgsqlConnectionStringBuilder(source.Factory.ConnectionString);
            var start = Stopwatch.GetTimestamp();
            await ToolAsync("pg_dump", from, ["-Fc", "-f", dump, "-d", from.Database!]);
            var dumpSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            dumpBytes = new FileInfo(dump).Length;

            await using var target = await BenchmarkDatabase.CreateAsync(DatabaseProvider.Postgres, server);
            var to = new NpgsqlConnectionStringBuilder(target.Factory.ConnectionString);
            start = Stopwatch.GetTimestamp();
            await ToolAsync("pg_restore", to, ["--no-owner", "-d", to.Database!, dump]);
            var restoreSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

            // restore --verify against the restored database: every chain against the anchors, every attachment's hash.
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = target.Factory.ConnectionString,
                ["Database:DataDirectory"] = data,
                ["Audit:SigningKeyFile"] = signing,
            }).Build();
            start = Stopwatch.GetTimestamp();
            DatabaseCheck check;
            await using (var services = BackupServices.Create(configuration))
            {
                check = await BackupVerification.CheckAsync(services, BackupVerification.AttachmentsFolder(services));
            }

            var verifySeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (check.Failures.Count > 0)
            {
                throw new InvalidOperationException("restore --verify found problems:\n" + string.Join("\n", check.Failures.Take(10)));
            }

            Console.WriteLine(Line($"  round {r}: pg_dump -Fc {dumpSeconds:F1} s, {dumpBytes:N0} bytes ({Mb(dumpBytes)}); pg_restore {restoreSeconds:F1} s; restore --verify {verifySeconds:F1} s: {check.Audit.Cases.Count:N0} case audit trails and {check.Attachments:N0} attachments verified; load {Load()}"));
            dumps.Add(dumpSeconds);
            restores.Add(restoreSeconds);
            verifies.Add(verifySeconds);
            File.Delete(dump);
            NpgsqlConnection.ClearAllPools();
        }

        Console.WriteLine(Line($"summary backup postgres: {seed.Cases:N0} cases, database {Mb(databaseBytes)}; pg_dump -Fc {Spread(dumps)}, dump {Mb(dumpBytes)}; pg_restore {Spread(restores)}; restore --verify {Spread(verifies)}; {rounds} rounds; load {Load()}"));
    }

    /// <summary>
    /// Seeds the programme, writes a real file for every attachment row the seed recorded (random bytes, the row's size
    /// up to <paramref name="fileCap"/>; the row's size and SHA-256 set to the file's) and anchors every case with a
    /// signed checkpoint, as the application's checkpoint job does.
    /// </summary>
    private static async Task<(int Files, long Bytes)> PrepareAsync(
        DatabaseProvider provider, ConnectionFactory factory, SeedOptions seed, string attachments, string anchors, string signing, int fileCap)
    {
        var start = Stopwatch.GetTimestamp();
        var report = await ProgrammeSeeder.RunAsync(provider, factory.ConnectionString, seed, Path.Combine(BenchEnvironment.RepositoryRoot(), "workflows"));
        Console.WriteLine(Line($"seeded {report.Rows:N0} rows in {report.Elapsed.TotalSeconds:F1} s"));

        await using var c = await factory.OpenAsync();
        var rows = (await c.QueryAsync<(string StorageKey, long Size)>(
            "SELECT storage_key, size_bytes FROM case_attachments ORDER BY storage_key")).ToList();
        var random = new Random(seed.Seed);
        var buffer = new byte[fileCap];
        long total = 0;
        await using (var tx = await c.BeginTransactionAsync())
        {
            foreach (var (storageKey, size) in rows)
            {
                var length = (int)Math.Min(size, fileCap);
                random.NextBytes(buffer.AsSpan(0, length));
                var path = Path.Combine(attachments, storageKey);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, buffer.AsMemory(0, length));
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.AsSpan(0, length)));
                await c.ExecuteAsync(
                    "UPDATE case_attachments SET size_bytes = @length, sha256 = @sha WHERE storage_key = @storageKey",
                    new { length = (long)length, sha, storageKey }, tx);
                total += length;
            }

            await tx.CommitAsync();
        }

        using var keys = AuditKeyRing.FromPem(await File.ReadAllTextAsync(signing), []);
        var checkpoint = await new AuditAnchoring(new AuditLedger(factory), new CaseStore(factory), new AnchorFolderLog(anchors), keys, TimeProvider.System).CheckpointAsync();
        Console.WriteLine(Line($"{rows.Count:N0} attachment files written and checkpoint {checkpoint?.Seq} signed; preparation {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s"));
        return (rows.Count, total);
    }

    private static async Task ToolAsync(string tool, NpgsqlConnectionStringBuilder connection, string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, .. arguments])
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["PGPASSWORD"] = connection.Password;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await error}");
        }
    }

    private static string Spread(List<double> seconds)
    {
        var sorted = seconds.Order().ToList();
        return Line($"median {Stats.Percentile(sorted, 50):F1} s (min {sorted[0]:F1}, max {sorted[^1]:F1})");
    }

    private static string Mb(long bytes) => Line($"{bytes / 1048576.0:F1} MiB");

    private static string Load() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Line(FormattableString text) => FormattableString.Invariant(text);
}
