using System.Text.Json;
using System.Text.Json.Serialization;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>
/// <c>manifest.json</c>, the last entry of an archive: what the backup holds and how to check it. Format version,
/// when and by which version of the application it was made, the schema version (the last applied script), the rows
/// of every table, every case's chain head (count and hash), the SHA-256 of every file, and what the backup noticed
/// while it was made (an attachment whose bytes no longer match their recorded SHA-256, a file that is missing).
/// </summary>
internal sealed record BackupManifest
{
    public const int CurrentFormat = 1;
    public const string EntryName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public int Format { get; init; } = CurrentFormat;
    public required DateTimeOffset CreatedAt { get; init; }
    public required string AppVersion { get; init; }
    public required string Provider { get; init; }
    public required string SchemaVersion { get; init; }
    public required IReadOnlyDictionary<string, long> Tables { get; init; }
    public required IReadOnlyList<ManifestCase> Cases { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>The latest checkpoint of the anchor files at the time of the backup (0: none).</summary>
    public int LatestCheckpoint { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static BackupManifest Parse(Stream stream, string archiveName)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(stream, Json);
        }
        catch (JsonException ex)
        {
            throw new BackupArchiveException($"{archiveName}: manifest.json cannot be read ({ex.Message}).");
        }

        if (manifest is null || manifest.Format != CurrentFormat)
        {
            throw new BackupArchiveException($"{archiveName}: manifest.json has format {manifest?.Format}, which this version of TIBS.Cases does not read (it reads format {CurrentFormat}).");
        }

        return manifest;
    }
}

/// <summary>A case's chain head in the backup.</summary>
internal sealed record ManifestCase(Guid Id, string Reference, int Count, string Head);

/// <summary>A file of the archive: its path inside the archive, its size and SHA-256.</summary>
internal sealed record ManifestFile(string Path, long Size, string Sha256);
