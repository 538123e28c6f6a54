using System.Data.Common;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using TIBS.Cases.Data;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>Where the things a backup holds are: the embedded database, the attachment files, the anchor files, the development audit key.</summary>
internal sealed record BackupSources(string ConnectionString, string AttachmentsFolder, string AnchorFolder, string? AuditKeyFile);

/// <summary>A backup written: the archive, its size, its manifest, and whether reading it back checked every file.</summary>
internal sealed record BackupWritten(string Path, long Size, BackupManifest Manifest, bool Verified);

/// <summary>
/// Writes one archive (<c>tibs-backup-YYYYMMDDTHHMMZ.tibsbak</c>): a consistent snapshot of the embedded SQLite database
/// taken with SQLite's online backup API while the application writes, the attachment files its rows name, the anchor
/// files, the development audit key when it lives in the data folder, and <c>manifest.json</c>; a tar stream, gzip
/// compressed, encrypted with AES-256-GCM in chunks (<see cref="BackupEncryption"/>). The archive is written under a
/// temporary name and renamed when complete, then read back once to check every file against the manifest.
/// </summary>
internal sealed class BackupWriter(TimeProvider time)
{
    public const string Extension = ".tibsbak";
    public const string DatabaseEntry = "database/tibs.db";

    public static string AppVersion =>
        typeof(BackupWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<BackupWritten> WriteAsync(BackupSources sources, BackupKey key, string outFolder, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outFolder);
        var now = time.GetUtcNow();
        var work = Path.Combine(outFolder, $".tibs-backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            progress?.Invoke("Taking a snapshot of the database.");
            var snapshot = Path.Combine(work, "tibs.db");
            Snapshot(sources.ConnectionString, snapshot);

            var files = new List<(string Entry, string Source)> { (DatabaseEntry, snapshot) };
            var warnings = new List<string>();
            var (tables, cases, schema, attachments) = await ReadSnapshotAsync(snapshot, cancellationToken);
            foreach (var a in attachments)
            {
                var source = Path.Combine(sources.AttachmentsFolder, a.StorageKey);
                if (!File.Exists(source))
                {
                    warnings.Add($"The file of attachment '{a.FileName}' of case {a.Reference} (attachments/{a.StorageKey}) is missing.");
                    continue;
                }

                files.Add(($"attachments/{a.StorageKey}", source));
            }

            var anchorLines = 0;
            if (Directory.Exists(sources.AnchorFolder))
            {
                foreach (var f in Directory.EnumerateFiles(sources.AnchorFolder, "checkpoints-*.jsonl").Order(StringComparer.Ordinal))
                {
                    var copy = Path.Combine(work, "anchors", Path.GetFileName(f));
                    anchorLines += CopyWholeLines(f, copy);
                    files.Add(($"anchors/{Path.GetFileName(f)}", copy));
                }
            }

            if (sources.AuditKeyFile is { } keyFile && File.Exists(keyFile))
            {
                files.Add(($"keys/{Path.GetFileName(keyFile)}", keyFile));
            }

            progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Writing {files.Count} files."));
            var entries = new List<ManifestFile>();
            var stored = attachments.ToDictionary(a => $"attachments/{a.StorageKey}");
            foreach (var (entry, source) in files)
            {
                var (size, sha) = await HashAsync(source, cancellationToken);
                entries.Add(new ManifestFile(entry, size, sha));
                if (stored.TryGetValue(entry, out var a) && !string.Equals(a.Sha256.Trim(), sha, StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"The file of attachment '{a.FileName}' of case {a.Reference} ({entry}) is corrupt: its bytes do not match the SHA-256 recorded when it was uploaded.");
                }
            }

            var manifest = new BackupManifest
            {
                CreatedAt = now,
                AppVersion = AppVersion,
                Provider = nameof(DatabaseProvider.Sqlite),
                SchemaVersion = schema,
                Tables = tables,
                Cases = cases,
                Files = entries,
                LatestCheckpoint = anchorLines,
                Warnings = warnings,
            };

            var path = FreeName(outFolder, now);
            var partial = path + ".partial";
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var encrypt = new EncryptingStream(file, key);
                await using (var gzip = new GZipStream(encrypt, CompressionLevel.Fastest, leaveOpen: true))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
                {
                    foreach (var (entry, source) in files)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        await tar.WriteEntryAsync(source, entry, cancellationToken);
                    }

                    var bytes = manifest.ToBytes();
                    var m = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.EntryName) { DataStream = new MemoryStream(bytes) };
                    await tar.WriteEntryAsync(m, cancellationToken);
                }

                encrypt.Finish();
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, path);
            progress?.Invoke("Reading the archive back to check it.");
            var verified = BackupReader.Check(path, key).Problems.Count == 0 && warnings.Count == 0;
            return new BackupWritten(path, new FileInfo(path).Length, manifest, verified);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The archive's name for a time: <c>tibs-backup-20261203T1530Z.tibsbak</c> (with a number when that name is taken).</summary>
    public static string FreeName(string folder, DateTimeOffset at)
    {
        var stem = "tibs-backup-" + at.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, stem + Extension);
        for (var n = 2; File.Exists(path) || File.Exists(path + ".partial"); n++)
        {
            path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}{Extension}"));
        }

        return path;
    }

    /// <summary>SQLite's online backup: a consistent copy of the database while other connections write.</summary>
    private static void Snapshot(string connectionString, string target)
    {
        var source = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var from = new SqliteConnection(source);
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        from.Open();
        to.Open();
        from.BackupDatabase(to);
    }

    private sealed record AttachmentRow(string StorageKey, string FileName, string Sha256, string Reference);

    private static async Task<(Dictionary<string, long> Tables, List<ManifestCase> Cases, string Schema, List<AttachmentRow> Attachments)> ReadSnapshotAsync(string snapshot, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ToString());
        await using var c = await factory.OpenAsync(cancellationToken);
        var tables = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        {
            tables[t] = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM \"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
        }

        var cases = (await c.QueryAsync<(string Id, string Reference, long Count, string Head)>(
            "SELECT id, reference, audit_count, audit_head_hash FROM cases ORDER BY id"))
            .Select(r => new ManifestCase(Guid.Parse(r.Id), r.Reference, (int)r.Count, r.Head.Trim())).ToList();
        var schema = LastScript(await c.QueryAsync<string>("SELECT ScriptName FROM schema_versions"));
        var attachments = (await c.QueryAsync<AttachmentRow>(
            """
            SELECT a.storage_key AS StorageKey, a.file_name AS FileName, a.sha256 AS Sha256, c.reference AS Reference
            FROM case_attachments a JOIN cases c ON c.id = a.case_id
            WHERE a.removed_at IS NULL ORDER BY a.storage_key
            """)).ToList();
        return (tables, cases, schema, attachments);
    }

    /// <summary>The last applied script's file name (<c>0035_….sql</c>) from the migration journal's names.</summary>
    public static string LastScript(IEnumerable<string> names) =>
        names.Select(n => n.Split('.') is { Length: >= 2 } parts ? parts[^2] + ".sql" : n).Order(StringComparer.Ordinal).LastOrDefault() ?? "";

    /// <summary>Copies an append-only file up to its last complete line (a line being appended is left for the next backup).</summary>
    private static int CopyWholeLines(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        byte[] bytes;
        using (var s = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[s.Length];
            s.ReadExactly(bytes);
        }

        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        File.WriteAllBytes(target, bytes[..end]);
        return bytes.AsSpan(0, end).Count((byte)'\n');
    }

    internal static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(s, cancellationToken);
        return (s.Length, Convert.ToHexStringLower(hash));
    }
}
