using System.Globalization;
using System.Text;
using TIBS.Cases.Core.Audit;

namespace TIBS.Cases.Data.Audit;

/// <summary>
/// The anchor files: <c>checkpoints-YYYY-MM-DD.jsonl</c> in one folder, one checkpoint per line, a file per UTC day.
/// A line is appended (opened in append mode, flushed through to the disk) and never rewritten.
/// </summary>
public sealed class AnchorFolderLog(string folder) : IAnchorLog
{
    private const string Pattern = "checkpoints-*.jsonl";
    private readonly Lock gate = new();

    public string Location => folder;

    public string Fingerprint()
    {
        if (!Directory.Exists(folder))
        {
            return "";
        }

        return string.Join('|', Files().Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}")));
    }

    public IReadOnlyList<AnchorLine> ReadAll()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var lines = new List<AnchorLine>();
        foreach (var file in Files())
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
            var n = 0;
            while (reader.ReadLine() is { } text)
            {
                lines.Add(new AnchorLine(file.Name, ++n, text));
            }
        }

        return lines;
    }

    public void Append(AuditCheckpoint checkpoint)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"checkpoints-{checkpoint.CreatedAt.UtcDateTime:yyyy-MM-dd}.jsonl"));
        var bytes = Encoding.UTF8.GetBytes(checkpoint.ToLine() + "\n");
        lock (gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    private IEnumerable<FileInfo> Files() =>
        new DirectoryInfo(folder).EnumerateFiles(Pattern).OrderBy(f => f.Name, StringComparer.Ordinal);
}
