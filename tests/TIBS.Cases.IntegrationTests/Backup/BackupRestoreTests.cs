using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Data;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Web.Infrastructure.Backup;
using static TIBS.Cases.IntegrationTests.Cases.CaseEnvironment;

namespace TIBS.Cases.IntegrationTests.Backup;

/// <summary>
/// Backup and restore of the embedded database (decision 0055): a consistent archive while writers complete steps, a
/// corrupted attachment, a wrong key, erasures made after the backup, and the restore as the audit verifier sees it.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class BackupRestoreTests(SqliteFixture fixture) : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tibs-tests", $"backup_{Guid.NewGuid():N}");
    private CaseEnvironment env = null!;
    private AuditKeyRing keys = null!;
    private AuditAnchoring anchoring = null!;

    private string Anchors => Path.Combine(root, "anchors");
    private string KeyFile => Path.Combine(root, "backup.key");
    private string SigningKey => Path.Combine(root, "signing.pem");
    private string ErasureLogFile => Path.Combine(root, "erasures.jsonl");
    private string Out => Path.Combine(root, "backups");
    private string Into => Path.Combine(root, "restored");

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        env = await CaseEnvironment.CreateAsync(fixture);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(KeyFile, BackupKey.NewKeyText());
        await File.WriteAllTextAsync(SigningKey, AuditKeyRing.NewPrivateKeyPem());
        keys = AuditKeyRing.FromPem(await File.ReadAllTextAsync(SigningKey), []);
        anchoring = new AuditAnchoring(new AuditLedger(fixture.Factory), env.Cases, new AnchorFolderLog(Anchors), keys, env.Time);
    }

    public Task DisposeAsync()
    {
        keys?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover folder under the temporary directory is harmless.
        }

        return Task.CompletedTask;
    }

    private Task<BackupWritten> BackupAsync(string? keyFile = null) =>
        new BackupWriter(env.Time).WriteAsync(
            new BackupSources(fixture.ConnectionString, env.Storage.Root, Anchors, null), BackupKey.Load(keyFile ?? KeyFile), Out);

    private IConfiguration Settings(string? keyFile = null) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Backup:KeyFile"] = keyFile ?? KeyFile,
        ["Backup:ErasureLog"] = ErasureLogFile,
        ["Audit:SigningKeyFile"] = SigningKey,
    }).Build();

    private Task<RestoreOutcome> RestoreAsync(string archive, string? anchors = null, string? keyFile = null) =>
        new BackupRestore(Settings(keyFile), env.Time).RestoreAsync(archive, Into, anchors);

    private ConnectionFactory Restored => new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Into, "tibs.db")}");

    [Fact]
    public async Task A_backup_taken_while_8_writers_complete_steps_restores_every_committed_step_and_no_partial_one()
    {
        var committed = new ConcurrentQueue<(Guid Case, int Events)>();
        using var stop = new CancellationTokenSource();
        async Task WriterAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var c = await env.OpenCaseAsync();
                committed.Enqueue((c.Id, 1));
                var first = await env.CompleteTowardsAsync(c.Id, "first-contact", With(("contact-data-consent", "yes")));
                Assert.True(first.Succeeded, first.Message);
                committed.Enqueue((c.Id, first.Case!.AuditCount));
                var second = await env.CompleteTowardsAsync(c.Id, "needs-assessment");
                Assert.True(second.Succeeded, second.Message);
                committed.Enqueue((c.Id, second.Case!.AuditCount));
            }
        }

        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(WriterAsync)).ToList();
        while (committed.Count < 24)
        {
            await Task.Delay(20);
        }

        var before = committed.ToArray();
        var written = await Task.Run(() => BackupAsync());
        var during = committed.Count;
        while (committed.Count < during + 16)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(written.Verified, string.Join(" ", written.Manifest.Warnings));
        Assert.True(committed.Count > before.Length + 16, "the writers kept writing while and after the backup was taken");

        var outcome = await RestoreAsync(written.Path);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Lines));

        await using var restored = await Restored.OpenAsync();
        var counts = (await restored.QueryAsync<(string Id, long Count, string Head)>("SELECT id, audit_count, audit_head_hash FROM cases"))
            .ToDictionary(r => Guid.Parse(r.Id), r => (Count: (int)r.Count, r.Head));

        // Every step committed before the backup began is there.
        foreach (var (caseId, events) in before)
        {
            Assert.True(counts.TryGetValue(caseId, out var held) && held.Count >= events, $"case {caseId}: {events} events were committed before the backup");
        }

        // Nothing half-written: each case's step rows, step events, row count and head agree, and equal the source's at that count.
        await using var source = await fixture.Factory.OpenAsync();
        foreach (var (caseId, held) in counts)
        {
            var stepEvents = await restored.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM case_events WHERE case_id = @id AND kind = 'step-completed'", new { id = caseId });
            var stepRows = await restored.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM case_steps WHERE case_id = @id AND completed_at IS NOT NULL", new { id = caseId });
            var stored = await restored.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM case_events WHERE case_id = @id", new { id = caseId });
            Assert.Equal(stepEvents, stepRows);
            Assert.Equal(held.Count, (int)stored);
            var original = await source.ExecuteScalarAsync<string>("SELECT hash FROM case_events WHERE case_id = @id AND seq = @seq", new { id = caseId, seq = held.Count });
            Assert.Equal(original, held.Head);
        }
    }

    [Fact]
    public async Task An_archive_holding_a_corrupted_attachment_is_refused_at_restore_naming_the_file()
    {
        var c = await env.OpenCaseAsync();
        var added = await env.Service.AddAttachmentAsync(c.Id, c.Version, CaseCommands.File("signed-agreement.pdf", "%PDF-1.7 signed"u8.ToArray()), env.LatvianBroker);
        Assert.True(added.Succeeded, added.Message);
        var file = Directory.EnumerateFiles(env.Storage.Root, "*", SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(file, "%PDF-1.7 rotten"u8.ToArray());

        var written = await BackupAsync();
        Assert.False(written.Verified);
        Assert.Contains(written.Manifest.Warnings, w => w.Contains("'signed-agreement.pdf'", StringComparison.Ordinal) && w.Contains("is corrupt", StringComparison.Ordinal));

        var outcome = await RestoreAsync(written.Path);
        Assert.False(outcome.Succeeded);
        var key = Path.GetRelativePath(env.Storage.Root, file).Replace('\\', '/');
        Assert.Contains(outcome.Lines, l => l == $"{c.Reference}: the file of attachment 'signed-agreement.pdf' (attachments/{key}) is corrupt: its SHA-256 is not the one recorded when it was uploaded.");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Into));
    }

    [Fact]
    public async Task An_archive_changed_after_it_was_written_is_refused_and_a_wrong_key_is_named()
    {
        await env.OpenCaseAsync();
        var written = await BackupAsync();
        Assert.True(written.Verified);

        var other = Path.Combine(root, "other.key");
        await File.WriteAllTextAsync(other, BackupKey.NewKeyText());
        var wrong = await RestoreAsync(written.Path, keyFile: other);
        Assert.False(wrong.Succeeded);
        Assert.Equal(
            $"{Path.GetFileName(written.Path)} was encrypted with another backup key (key id {BackupKey.Load(KeyFile).Id}); Backup:KeyFile holds key {BackupKey.Load(other).Id}. Use the key the backup was made with.",
            Assert.Single(wrong.Lines));

        var bytes = await File.ReadAllBytesAsync(written.Path);
        bytes[BackupEncryption.HeaderSize + 100] ^= 0x01;
        await File.WriteAllBytesAsync(written.Path, bytes);
        var damaged = await RestoreAsync(written.Path);
        Assert.False(damaged.Succeeded);
        Assert.StartsWith($"{Path.GetFileName(written.Path)} is damaged: chunk 1", Assert.Single(damaged.Lines), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Into));

        Directory.CreateDirectory(Path.Combine(Into, "something"));
        var notEmpty = await RestoreAsync(written.Path);
        Assert.False(notEmpty.Succeeded);
        Assert.Equal($"{Into} is not empty: a restore goes only into an empty data folder, so nothing there is overwritten.", Assert.Single(notEmpty.Lines));
    }

    [Fact]
    public async Task A_restore_is_recorded_so_the_verifier_reports_a_restore_and_not_truncation()
    {
        var a = (await env.OpenCaseAsync()).Id;
        var b = (await env.OpenCaseAsync()).Id;
        Assert.True((await env.CompleteTowardsAsync(a, "first-contact", With(("contact-data-consent", "yes")))).Succeeded);
        env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await anchoring.CheckpointAsync())!.Seq);
        var written = await BackupAsync();

        // Work after the backup, anchored by checkpoint 2; then the data folder is lost, the anchor files (kept apart) are not.
        Assert.True((await env.CompleteTowardsAsync(a, "needs-assessment")).Succeeded);
        Assert.True((await env.Service.AddNoteAsync(b, "Work after the backup.", env.LatvianBroker)).Succeeded);
        env.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await anchoring.CheckpointAsync())!.Seq);
        env.Time.Advance(TimeSpan.FromMinutes(1));

        var outcome = await RestoreAsync(written.Path, Anchors);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Lines));
        Assert.Contains(outcome.Lines, l => l.StartsWith("The anchors show that the database was restored to the state of checkpoint 1", StringComparison.Ordinal));
        Assert.Contains(outcome.Lines, l => l == "Recorded the restore in checkpoint 3: restored from the backup of 2026-01-12 09:01 UTC.");

        var verify = new StringWriter();
        var exit = await TIBS.Cases.Web.CommandLine.RunAsync(
            ["restore", "--verify", "--Database:Provider=Sqlite", $"--Database:DataDirectory={Into}", "--Database:ConnectionString=",
             $"--Audit:SigningKeyFile={SigningKey}", $"--Audit:AnchorFolder={Path.Combine(Into, "anchors")}"], verify, new StringWriter());
        Assert.True(exit == 0, verify.ToString());
        Assert.Contains("Checkpoint 3 (2026-01-12 09:03 UTC) records a restore from the backup of 2026-01-12 09:01 UTC.", verify.ToString(), StringComparison.Ordinal);
        Assert.Contains("No problems found.", verify.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("truncated", verify.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_erasure_made_after_the_backup_is_applied_again_by_the_restore()
    {
        var log = new ErasureLog(ErasureLogFile);
        var vault = new ErasureLoggingStore(new PersonalDataStore(fixture.Factory), log, NullLogger<ErasureLoggingStore>.Instance);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var name = $"Zelma Kalnciema {tag}";
        var added = await new AddContact(env.Companies, new ReferenceDataStore(fixture.Factory), env.Time).HandleAsync(new AddContact.Request(env.Lead.Id,
            new ContactFields { Name = name, Email = $"zelma.{tag}@example.org", ConsentDate = "2026-01-10", ConsentPurpose = "Partner search", ConsentLegalBasis = LegalBases.Consent }), env.LatvianBroker);
        Assert.True(added.Succeeded, added.Message);
        await env.OpenCaseAsync();
        var written = await BackupAsync();

        env.Time.Advance(TimeSpan.FromHours(1));
        var erased = await new EraseContactPerson(env.Companies, vault, env.Time).HandleAsync(
            new EraseContactPerson.Request(env.Lead.Id, added.ContactId!.Value, "The person asked to be erased."), Actor.System);
        Assert.True(erased.Succeeded, erased.Message);
        var entry = Assert.Single(log.ReadAll());
        Assert.Equal(added.ContactId, entry.SubjectId);
        Assert.DoesNotContain(name, await File.ReadAllTextAsync(ErasureLogFile), StringComparison.Ordinal);

        var outcome = await RestoreAsync(written.Path);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Lines));
        Assert.Contains(outcome.Lines, l => l.StartsWith("Applied again 1 erasure(s) of personal data made after the backup", StringComparison.Ordinal));
        await using var restored = await Restored.OpenAsync();
        Assert.Equal(0, await restored.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM company_contacts WHERE id = @id", new { id = added.ContactId }));
        Assert.Empty(await new PersonalDataStore(Restored).FindRowsAsync([name, $"zelma.{tag}@example.org"]));

        // The backup itself still holds the person: only the restore's re-application removed them.
        Assert.True(written.Manifest.Tables["company_contacts"] > 0);
    }
}
