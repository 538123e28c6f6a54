using System.Buffers.Binary;
using System.Buffers.Text;

namespace TIBS.Cases.Core.Events;

/// <summary>
/// Where an event stands in the feed: the commit key the database gave it (the writing transaction on PostgreSQL,
/// the row version on SQL Server, the position itself on SQLite) and its position within that commit. Feed order is
/// (<see cref="Commit"/>, <see cref="Position"/>).
/// </summary>
public readonly record struct EventFeedPosition(long Commit, long Position)
{
    private const byte Format = 1;
    private const int Length = 17;

    /// <summary>The opaque cursor a client passes back as <c>after</c>: base64url of a format byte and the two numbers.</summary>
    public string ToCursor()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Format;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], Commit);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], Position);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a cursor made by <see cref="ToCursor"/>; false for anything else.</summary>
    public static bool TryParse(string? cursor, out EventFeedPosition position)
    {
        position = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 64)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[48];
        if (Base64Url.DecodeFromChars(cursor, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != cursor.Length || written != Length || bytes[0] != Format)
        {
            return false;
        }

        var commit = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var number = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        if (commit < 0 || number < 0)
        {
            return false;
        }

        // One spelling per position: a cursor with padding, white space or other characters is not one we gave out.
        var parsed = new EventFeedPosition(commit, number);
        if (parsed.ToCursor() != cursor)
        {
            return false;
        }

        position = parsed;
        return true;
    }
}
