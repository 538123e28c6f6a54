using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>What reading an archive found: its manifest and every file that does not match it, named.</summary>
internal sealed record BackupContents(BackupManifest Manifest, IReadOnlyList<string> Problems);

/// <summary>
/// Reads an archive (<see cref="BackupWriter"/>): decrypts it, and for every file computes its SHA-256 while it is read
/// and compares it with the manifest; with a target folder it also writes the files there
/// (<c>tibs.db</c>, <c>attachments/…</c>, <c>anchors/…</c>, the audit key).
/// </summary>
internal static class BackupReader
{
    public static BackupContents Check(string archive, BackupKey key) => Read(archive, key, null);

    public static BackupContents Extract(string archive, BackupKey key, string target) => Read(archive, key, target);

    /// <summary>Where an entry of the archive goes in a data folder.</summary>
    public static string TargetOf(string entry) => entry switch
    {
        BackupWriter.DatabaseEntry => "tibs.db",
        _ when entry.StartsWith("keys/", StringComparison.Ordinal) => entry["keys/".Length..],
        _ => entry,
    };

    private static BackupContents Read(string archive, BackupKey key, string? target)
    {
        var name = Path.GetFileName(archive);
        if (!File.Exists(archive))
        {
            throw new BackupArchiveException($"There is no archive '{archive}'.");
        }

        var seen = new Dictionary<string, (long Size, string Sha256)>(StringComparer.Ordinal);
        BackupManifest? manifest = null;
        using (var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var decrypt = new DecryptingStream(file, key, name))
        using (var gzip = new GZipStream(decrypt, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            try
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                    {
                        continue;
                    }

                    if (entry.Name == BackupManifest.EntryName)
                    {
                        manifest = BackupManifest.Parse(entry.DataStream, name);
                        continue;
                    }

                    if (!IsSafe(entry.Name))
                    {
                        throw new BackupArchiveException($"{name} holds a file with a name that is not allowed ('{entry.Name}').");
                    }

                    seen[entry.Name] = Copy(entry.DataStream, target is null ? null : Path.Combine(target, TargetOf(entry.Name)));
                }
            }
            catch (InvalidDataException ex)
            {
                throw new BackupArchiveException($"{name} is damaged: its content cannot be unpacked ({ex.Message}).");
            }
        }

        if (manifest is null)
        {
            throw new BackupArchiveException($"{name} has no manifest.json: it is not complete.");
        }

        var problems = new List<string>();
        foreach (var f in manifest.Files)
        {
            if (!seen.TryGetValue(f.Path, out var got))
            {
                problems.Add($"{f.Path} is listed in the manifest but missing from the archive.");
            }
            else if (got.Size != f.Size || !string.Equals(got.Sha256, f.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{f.Path} does not match the manifest: its SHA-256 differs from the one recorded at the backup.");
            }
        }

        var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(seen.Keys.Where(k => !listed.Contains(k)).Select(k => $"{k} is in the archive but not in the manifest."));
        return new BackupContents(manifest, problems);
    }

    private static bool IsSafe(string entry) =>
        entry.Length > 0 && !entry.StartsWith('/') && !entry.Contains('\\', StringComparison.Ordinal)
        && entry.Split('/').All(p => p.Length > 0 && p != "." && p != "..")
        && (entry == BackupWriter.DatabaseEntry || entry.StartsWith("attachments/", StringComparison.Ordinal)
            || entry.StartsWith("anchors/", StringComparison.Ordinal) || (entry.StartsWith("keys/", StringComparison.Ordinal) && entry.Count(c => c == '/') == 1));

    private static (long Size, string Sha256) Copy(Stream data, string? path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        FileStream? output = null;
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }

        long size = 0;
        using (output)
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = data.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                output?.Write(buffer, 0, read);
                size += read;
            }
        }

        return (size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
