using System.Globalization;
using System.Security.Cryptography;
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
    private static readonly UTF8Encoding Strict = new(false, true);
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
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

    public AnchorRead ReadAfter(AnchorPosition? position)
    {
        var files = Directory.Exists(folder) ? Files().ToList() : [];
        var fromStart = position is null || !OnlyAppended(position, files);
        var lines = new List<AnchorLine>();
        var marks = new List<AnchorFileMark>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var known = fromStart || i >= position!.Files.Count ? null : position.Files[i];
            marks.Add(ReadFile(files[i], known, lines));
        }

        return new AnchorRead(lines, new AnchorPosition(marks), fromStart);
    }

    /// <summary>
    /// True when the files are those of <paramref name="position"/> with lines appended: every file read before is
    /// still there in the same order; those before the last one read are unchanged (length and last write time); the
    /// last one read still begins with the bytes read (their SHA-256), and new files sort after it.
    /// </summary>
    private static bool OnlyAppended(AnchorPosition position, List<FileInfo> files)
    {
        if (position.Files.Count > files.Count)
        {
            return false;
        }

        for (var i = 0; i < position.Files.Count; i++)
        {
            var (mark, file) = (position.Files[i], files[i]);
            if (!string.Equals(mark.Name, file.Name, StringComparison.Ordinal) || file.Length < mark.Bytes)
            {
                return false;
            }

            var last = i == position.Files.Count - 1;
            if (!last && (file.Length != mark.Bytes || file.LastWriteTimeUtc.Ticks != mark.LastWriteUtcTicks))
            {
                return false;
            }

            if (last && !string.Equals(PrefixHash(file, mark.Bytes), mark.PrefixHash, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string PrefixHash(FileInfo file, long bytes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = Open(file);
        var buffer = new byte[64 * 1024];
        var left = bytes;
        while (left > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
            {
                return "";
            }

            hash.AppendData(buffer, 0, n);
            left -= n;
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>Reads the whole lines of <paramref name="file"/> after <paramref name="known"/> (from its start when null).</summary>
    private static AnchorFileMark ReadFile(FileInfo file, AnchorFileMark? known, List<AnchorLine> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = Open(file);
        var start = known?.Bytes ?? 0;
        if (start > 0)
        {
            // The prefix was checked against its hash; hashing it again continues the hash over what follows.
            var prefix = new byte[64 * 1024];
            for (var left = start; left > 0;)
            {
                var n = stream.Read(prefix, 0, (int)Math.Min(prefix.Length, left));
                if (n == 0)
                {
                    break;
                }

                hash.AppendData(prefix, 0, n);
                left -= n;
            }
        }

        var lineNumber = known?.Lines ?? 0;
        var consumed = start;
        var line = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                line.Write(buffer, from, i + 1 - from);
                hash.AppendData(line.GetBuffer(), 0, (int)line.Length);
                consumed += line.Length;
                lineNumber++;
                lines.Add(new AnchorLine(file.Name, lineNumber, Decode(line, first: lineNumber == 1)));
                line.SetLength(0);
                from = i + 1;
            }

            line.Write(buffer, from, read - from);
        }

        return new AnchorFileMark(file.Name, consumed, lineNumber, file.LastWriteTimeUtc.Ticks, Convert.ToHexStringLower(hash.GetCurrentHash()));
    }

    private static string Decode(MemoryStream line, bool first)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length - 1);
        if (first && bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        if (bytes.EndsWith("\r"u8))
        {
            bytes = bytes[..^1];
        }

        return Strict.GetString(bytes);
    }

    private static FileStream Open(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

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
