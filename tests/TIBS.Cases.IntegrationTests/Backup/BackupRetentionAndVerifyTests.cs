using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Backups;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Infrastructure.Audit;
using TIBS.Cases.Web.Infrastructure.Backup;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Backup;

/// <summary>The scheduled backup's retention under a fake clock (decision 0055).</summary>
[Collection(SqliteCollection.Name)]
public sealed class BackupRetentionTests(SqliteFixture fixture)
{
    [Fact]
    public async Task Nightly_backups_over_six_weeks_keep_the_last_7_days_and_the_newest_of_each_of_the_last_4_weeks()
    {
        await fixture.ResetAsync();
        var root = Path.Combine(Path.GetTempPath(), "tibs-tests", $"retention_{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var keyFile = Path.Combine(root, "backup.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 19, 3, 15, 0, TimeSpan.Zero)); // a Monday
        var database = new DatabaseOptions { Provider = "Sqlite", ConnectionString = fixture.ConnectionString, DataDirectory = root };
        var runner = new BackupRunner(
            Options.Create(new BackupOptions { KeyFile = keyFile, KeepDaily = 7, KeepWeekly = 4 }),
            Options.Create(database),
            Options.Create(new AuditOptions()),
            fixture.Factory,
            new TIBS.Cases.Data.Stores.BackupRunStore(fixture.Factory),
            new BackupWriter(time),
            time,
            NullLogger<BackupRunner>.Instance);

        for (var night = 0; night < 42; night++)
        {
            var run = await runner.RunAsync(null, BackupRunner.Schedule);
            Assert.Equal(BackupRun.Done, run.Status);
            if (night == 40)
            {
                // Saturday 28 November: the 21st is neither among the last 7 days nor the newest of its week (the 22nd is).
                Assert.Equal("Deleted under the retention rule: tibs-backup-20261121T0315Z.tibsbak.", run.Message);
            }

            time.Advance(TimeSpan.FromDays(1));
        }

        var kept = BackupRetention.List(Path.Combine(root, "backups")).Select(f => f.Name).ToList();
        Assert.Equal(
        [
            "tibs-backup-20261129T0315Z.tibsbak", "tibs-backup-20261128T0315Z.tibsbak", "tibs-backup-20261127T0315Z.tibsbak",
            "tibs-backup-20261126T0315Z.tibsbak", "tibs-backup-20261125T0315Z.tibsbak", "tibs-backup-20261124T0315Z.tibsbak",
            "tibs-backup-20261123T0315Z.tibsbak", "tibs-backup-20261122T0315Z.tibsbak", "tibs-backup-20261115T0315Z.tibsbak",
            "tibs-backup-20261108T0315Z.tibsbak",
        ], kept);
    }
}

/// <summary><c>restore --verify</c> checks a database of any provider (a server restored with its own tools).</summary>
public abstract class RestoreVerifyTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tibs-tests", $"verify_{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Restore_verify_checks_every_chain_and_attachment_and_names_the_corrupt_file()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var c = await env.OpenCaseAsync();
        Assert.True((await env.Service.AddAttachmentAsync(c.Id, c.Version, TIBS.Cases.Testing.CaseCommands.File("plan.pdf", "%PDF-1.7 plan"u8.ToArray()), env.LatvianBroker)).Succeeded);
        Directory.CreateDirectory(root);
        var signing = Path.Combine(root, "signing.pem");
        await File.WriteAllTextAsync(signing, AuditKeyRing.NewPrivateKeyPem());
        using (var keys = AuditKeyRing.FromPem(await File.ReadAllTextAsync(signing), []))
        {
            env.Time.Advance(TimeSpan.FromMinutes(1));
            await new AuditAnchoring(new AuditLedger(fixture.Factory), env.Cases, new AnchorFolderLog(Path.Combine(root, "anchors")), keys, env.Time).CheckpointAsync();
        }

        string[] args = ["restore", "--verify", $"--Database:Provider={fixture.Provider}", $"--Database:ConnectionString={fixture.ConnectionString}",
            $"--Database:AttachmentsFolder={env.Storage.Root}", $"--Audit:SigningKeyFile={signing}", $"--Audit:AnchorFolder={Path.Combine(root, "anchors")}"];
        var output = new StringWriter();
        Assert.Equal(0, await TIBS.Cases.Web.CommandLine.RunAsync(args, output, new StringWriter()));
        Assert.Contains("Checked 1 case audit trail(s) against the anchors", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("and 1 attachment(s) against their SHA-256.", output.ToString(), StringComparison.Ordinal);

        var file = Directory.EnumerateFiles(env.Storage.Root, "*", SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(file, "%PDF-1.7 rotten"u8.ToArray());
        var errors = new StringWriter();
        Assert.Equal(1, await TIBS.Cases.Web.CommandLine.RunAsync(args, new StringWriter(), errors));
        Assert.Contains($"{c.Reference}: the file of attachment 'plan.pdf' (attachments/{Path.GetRelativePath(env.Storage.Root, file).Replace('\\', '/')}) is corrupt", errors.ToString(), StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteRestoreVerifyTests(SqliteFixture fixture) : RestoreVerifyTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRestoreVerifyTests(PostgresFixture fixture) : RestoreVerifyTests(fixture);
