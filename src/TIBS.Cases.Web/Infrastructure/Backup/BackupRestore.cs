using System.Globalization;
using Microsoft.Data.Sqlite;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.PersonalData;
using TIBS.Cases.Data.Audit;
using TIBS.Cases.Data.Schema;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>What a restore did, or why it refused: lines for a person.</summary>
internal sealed record RestoreOutcome(bool Succeeded, IReadOnlyList<string> Lines);

/// <summary>
/// Restores an archive into an empty data folder (decision 0055), and reports success only when everything checks:
/// the files against the manifest; the restored database's every audit chain against the anchors and every attachment
/// against its recorded SHA-256; the erasures made after the backup (the erasure log) applied again; the restore
/// recorded by a signed checkpoint ("restored from the backup of …"), after which the trails verify again. A refused
/// restore leaves the folder empty.
/// </summary>
internal sealed class BackupRestore(IConfiguration configuration, TimeProvider time)
{
    /// <param name="archive">The archive file.</param>
    /// <param name="into">The empty (or new) data folder to restore into.</param>
    /// <param name="anchors">Optionally, a copy of the anchor files kept outside (newer than the backup's): they must continue the backup's.</param>
    public async Task<RestoreOutcome> RestoreAsync(string archive, string into, string? anchors, CancellationToken cancellationToken = default)
    {
        var lines = new List<string>();
        into = Path.GetFullPath(into);
        if (Directory.Exists(into) && Directory.EnumerateFileSystemEntries(into).Any())
        {
            return new(false, [$"{into} is not empty: a restore goes only into an empty data folder, so nothing there is overwritten."]);
        }

        var backup = configuration.GetSection(BackupOptions.SectionName).Get<BackupOptions>() ?? new BackupOptions();
        BackupKey key;
        BackupContents contents;
        try
        {
            key = BackupKey.Load(backup.KeyFile);
            Directory.CreateDirectory(into);
            contents = BackupReader.Extract(archive, key, into);
        }
        catch (BackupArchiveException ex)
        {
            Empty(into);
            return new(false, [ex.Message]);
        }

        var manifest = contents.Manifest;
        if (contents.Problems.Count > 0)
        {
            Empty(into);
            return new(false, [$"{Path.GetFileName(archive)} does not match its manifest; nothing was restored:", .. contents.Problems]);
        }

        var taken = manifest.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(archive)}: the backup of {taken} UTC (schema {manifest.SchemaVersion}, {manifest.Cases.Count} cases, {manifest.Files.Count} files) matches its manifest."));

        if (anchors is not null && AnchorProblem(Path.Combine(into, "anchors"), anchors) is { } problem)
        {
            Empty(into);
            return new(false, [.. lines, problem]);
        }

        var erasureLog = new ErasureLog(backup.ErasureLogPath(configuration.GetSection(Data.DatabaseOptions.SectionName).Get<Data.DatabaseOptions>() ?? new Data.DatabaseOptions()));
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = "",
            ["Database:DataDirectory"] = into,
            ["Database:AttachmentsFolder"] = Path.Combine(into, "attachments"),
            ["Audit:AnchorFolder"] = Path.Combine(into, "anchors"),
            ["Backup:ErasureLog"] = erasureLog.Path,
        };
        var restored = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build();
        var failed = false;
        try
        {
            await using var services = BackupServices.Create(restored, time);
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(TimeSpan.Zero, cancellationToken);
            await CopyMissingCheckpointsAsync(services, cancellationToken);

            var attachments = Path.Combine(into, "attachments");
            var check = await BackupVerification.CheckAsync(services, attachments, cancellationToken);
            if (check.Failures.Count > 0)
            {
                failed = true;
                return new(false, [.. lines, "The restored data does not verify; nothing was restored:", .. check.Failures]);
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"Verified {check.Audit.Cases.Count} case audit trail(s) against the anchors and {check.Attachments} attachment(s) against their SHA-256."));
            if (check.Audit.Restore is { } behind)
            {
                lines.Add($"The anchors show that {behind.Describe()}: {behind.CasesBehind.Count} case(s) lack events recorded after the backup.");
            }

            var erase = services.GetRequiredService<EraseContactPerson>();
            var again = 0;
            foreach (var e in erasureLog.ReadAll().Where(e => e.At > manifest.CreatedAt && e.SubjectKind == PersonalSubjectKinds.Contact && e.CompanyId is not null))
            {
                var result = await erase.HandleAsync(new EraseContactPerson.Request(e.CompanyId!.Value, e.SubjectId, e.Reason), Actor.System, cancellationToken);
                if (result.Succeeded)
                {
                    again++;
                }
            }

            lines.Add(again == 0
                ? $"No erasure made after the backup needed to be applied again ({erasureLog.Path})."
                : string.Create(CultureInfo.InvariantCulture, $"Applied again {again} erasure(s) of personal data made after the backup ({erasureLog.Path})."));

            var checkpoint = await services.GetRequiredService<AuditAnchoring>().RecordRestoreAsync(manifest.CreatedAt, cancellationToken);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Recorded the restore in checkpoint {checkpoint.Seq}: restored from the backup of {taken} UTC."));

            var after = await BackupVerification.CheckAsync(services, attachments, cancellationToken);
            if (!after.Audit.IsIntact || after.AttachmentProblems.Count > 0)
            {
                failed = true;
                return new(false, [.. lines, "After the restore was recorded the data does not verify:", .. after.Failures, .. after.Audit.Problems.Select(p => p.Message)]);
            }

            lines.Add($"Restored into {into}. Point Database:DataDirectory at it (and Audit:AnchorFolder, Database:AttachmentsFolder if you set them elsewhere).");
            return new(true, lines);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Data.Schema.DatabaseStartupException or SqliteException or IOException or BackupArchiveException)
        {
            failed = true;
            return new(false, [.. lines, $"The restore stopped: {ex.Message}"]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (failed)
            {
                Empty(into);
            }
        }
    }

    /// <summary>The newer anchor files replace the backup's when they continue them line by line; otherwise the reason.</summary>
    private static string? AnchorProblem(string restored, string outside)
    {
        if (!Directory.Exists(outside))
        {
            return $"--anchors: there is no folder '{outside}'.";
        }

        var mine = new AnchorFolderLog(restored).ReadAll();
        var theirs = new AnchorFolderLog(outside).ReadAll();
        for (var i = 0; i < mine.Count; i++)
        {
            if (i >= theirs.Count || !string.Equals(mine[i].Text, theirs[i].Text, StringComparison.Ordinal))
            {
                return $"--anchors: the anchor files in {outside} do not continue the backup's ({mine[i].Source} line {mine[i].LineNumber} differs or is missing); nothing was restored.";
            }
        }

        if (Directory.Exists(restored))
        {
            Directory.Delete(restored, recursive: true);
        }

        Directory.CreateDirectory(restored);
        foreach (var f in Directory.EnumerateFiles(outside, "checkpoints-*.jsonl"))
        {
            File.Copy(f, Path.Combine(restored, Path.GetFileName(f)));
        }

        return null;
    }

    /// <summary>Checkpoints the anchor files hold and the restored database does not (written after the backup) are copied into it.</summary>
    private static async Task CopyMissingCheckpointsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var ledger = services.GetRequiredService<IAuditLedger>();
        var stored = (await ledger.ListCheckpointsAsync(cancellationToken)).Select(s => s.Seq).ToHashSet();
        var history = services.GetRequiredService<AuditVerifier>().ReadHistoryAgain();
        foreach (var cp in history.Checkpoints.Where(c => !stored.Contains(c.Seq)))
        {
            await ledger.RecordCheckpointAsync(cp, () => { }, cancellationToken);
        }
    }

    private static void Empty(string folder)
    {
        SqliteConnection.ClearAllPools();
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var d in Directory.EnumerateDirectories(folder))
        {
            Directory.Delete(d, recursive: true);
        }

        foreach (var f in Directory.EnumerateFiles(folder))
        {
            File.Delete(f);
        }
    }
}
