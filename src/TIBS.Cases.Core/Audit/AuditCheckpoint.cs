using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TIBS.Cases.Core.Audit;

/// <summary>One case's chain position as anchored: after <see cref="Count"/> events its head hash was <see cref="Head"/>.</summary>
public sealed record AnchorLeaf(Guid CaseId, int Count, string Head);

/// <summary>
/// The Merkle tree over every case head. Leaves are ordered by case id (lower-case text, ordinal); a leaf hashes
/// <c>0x00 ‖ "caseId\ncount\nhead"</c>, an inner node <c>0x01 ‖ left ‖ right</c>; an odd last node moves up unchanged.
/// The root of no leaves is SHA-256 of nothing.
/// </summary>
internal static class MerkleTree
{
    private const int HashSize = 32;

    /// <summary>
    /// The root. The leaves are ordered by <see cref="Guid.CompareTo(Guid)"/>, which orders as the lower-case text does
    /// (its fields compared as unsigned numbers, most significant first) without writing each id as text; the levels are
    /// hashed in place in one buffer.
    /// </summary>
    public static string Root(IEnumerable<AnchorLeaf> leaves)
    {
        var sorted = leaves.ToArray();
        if (sorted.Length == 0)
        {
            return Convert.ToHexStringLower(SHA256.HashData([]));
        }

        Array.Sort(sorted, static (x, y) => x.CaseId.CompareTo(y.CaseId));
        var level = new byte[sorted.Length * HashSize];
        for (var i = 0; i < sorted.Length; i++)
        {
            LeafHash(sorted[i], level.AsSpan(i * HashSize, HashSize));
        }

        Span<byte> node = stackalloc byte[1 + (2 * HashSize)];
        node[0] = 0x01;
        for (var count = sorted.Length; count > 1; count = (count + 1) / 2)
        {
            for (var i = 0; i < count; i += 2)
            {
                var into = level.AsSpan(i / 2 * HashSize, HashSize);
                if (i + 1 < count)
                {
                    level.AsSpan(i * HashSize, 2 * HashSize).CopyTo(node[1..]);
                    SHA256.HashData(node, into);
                }
                else
                {
                    level.AsSpan(i * HashSize, HashSize).CopyTo(into);
                }
            }
        }

        return Convert.ToHexStringLower(level.AsSpan(0, HashSize));
    }

    /// <summary><c>SHA-256(0x00 ‖ "caseId\ncount\nhead")</c> into <paramref name="into"/>.</summary>
    private static void LeafHash(AnchorLeaf leaf, Span<byte> into)
    {
        var length = 1 + 36 + 1 + 11 + 1 + Encoding.UTF8.GetMaxByteCount(leaf.Head.Length);
        var rented = length <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        Span<byte> text = rented is null ? stackalloc byte[512] : rented;
        try
        {
            text[0] = 0x00;
            var n = 1;
            leaf.CaseId.TryFormat(text[n..], out var written, "D");
            n += written;
            text[n++] = (byte)'\n';
            leaf.Count.TryFormat(text[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            text[n++] = (byte)'\n';
            n += Encoding.UTF8.GetBytes(leaf.Head, text[n..]);
            SHA256.HashData(text[..n], into);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>
/// A signed checkpoint of all case heads: one line of an anchor file. The signature (ECDSA P-256 over SHA-256, IEEE
/// P1363 encoding, base64) covers <see cref="Body"/>, the canonical JSON of every other member; <see cref="Hash"/>
/// (SHA-256 of the body) is what the next checkpoint names as its previous one. <see cref="Leaves"/> holds only the
/// cases whose head moved since the previous checkpoint; <see cref="Root"/> covers all heads after applying them.
/// </summary>
public sealed record AuditCheckpoint
{
    public const int FormatVersion = 1;
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public required int Seq { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string PrevHash { get; init; }
    public required string KeyId { get; init; }
    public required string Root { get; init; }
    public required int CaseCount { get; init; }
    public required IReadOnlyList<AnchorLeaf> Leaves { get; init; }

    /// <summary>
    /// Set on the checkpoint a restore writes (decision 0055): the time of the backup the database was restored from.
    /// Its leaves are then every case's head after the restore, and they replace what earlier checkpoints anchored.
    /// </summary>
    public DateTimeOffset? RestoredFrom { get; init; }

    public string Signature { get; init; } = "";

    public string Body => Write(includeSignature: false);

    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Body)));

    /// <summary>The anchor file line: the body with the signature as its last member, no line break.</summary>
    public string ToLine() => Write(includeSignature: true);

    private string Write(bool includeSignature)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", FormatVersion);
            w.WriteNumber("seq", Seq);
            w.WriteString("createdAt", Timestamps.Normalize(CreatedAt).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("prev", PrevHash);
            w.WriteString("keyId", KeyId);
            w.WriteString("root", Root);
            w.WriteNumber("cases", CaseCount);
            w.WriteStartArray("leaves");
            foreach (var l in Leaves)
            {
                w.WriteStartObject();
                w.WriteString("case", l.CaseId.ToString("D"));
                w.WriteNumber("count", l.Count);
                w.WriteString("head", l.Head);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (RestoredFrom is { } restored)
            {
                w.WriteString("restoredFrom", Timestamps.Normalize(restored).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            }

            if (includeSignature)
            {
                w.WriteString("sig", Signature);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads an anchor file line; null (with the reason) when it is not a checkpoint of this format.</summary>
    public static AuditCheckpoint? Parse(string line, out string? error)
    {
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            if (r.GetProperty("v").GetInt32() != FormatVersion)
            {
                error = $"format version {r.GetProperty("v").GetInt32()} is not known";
                return null;
            }

            return new AuditCheckpoint
            {
                Seq = r.GetProperty("seq").GetInt32(),
                CreatedAt = DateTimeOffset.Parse(r.GetProperty("createdAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                PrevHash = r.GetProperty("prev").GetString()!,
                KeyId = r.GetProperty("keyId").GetString()!,
                Root = r.GetProperty("root").GetString()!,
                CaseCount = r.GetProperty("cases").GetInt32(),
                Leaves = [.. r.GetProperty("leaves").EnumerateArray().Select(l => new AnchorLeaf(
                    Guid.Parse(l.GetProperty("case").GetString()!), l.GetProperty("count").GetInt32(), l.GetProperty("head").GetString()!))],
                RestoredFrom = r.TryGetProperty("restoredFrom", out var restored)
                    ? DateTimeOffset.Parse(restored.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : null,
                Signature = r.GetProperty("sig").GetString()!,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            error = "it is not a readable checkpoint";
            return null;
        }
    }
}
