using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TIBS.Cases.Core.Text;

/// <summary>
/// A JSON writer and its buffer kept per thread for writing a short text in one go (a form's values, an event's data,
/// the canonical form of an event to hash), instead of a new buffer, writer and copies per text. A lease is used
/// without awaiting; a nested lease on the same thread gets a fresh pair, and a buffer grown past 256 KB is let go.
/// </summary>
internal static class JsonScratch
{
    private const int KeepAtMost = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? cachedBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    [ThreadStatic]
    private static bool inUse;

    public static Lease Rent()
    {
        if (inUse)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            return new Lease(buffer, new Utf8JsonWriter(buffer), pooled: false);
        }

        inUse = true;
        var b = cachedBuffer ??= new ArrayBufferWriter<byte>(4096);
        b.ResetWrittenCount();
        var w = cachedWriter;
        if (w is null)
        {
            w = cachedWriter = new Utf8JsonWriter(b);
        }
        else
        {
            w.Reset(b);
        }

        return new Lease(b, w, pooled: true);
    }

    /// <summary>The writer and what it wrote. Dispose to give them back.</summary>
    internal readonly struct Lease(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, bool pooled) : IDisposable
    {
        public Utf8JsonWriter Writer => writer;

        /// <summary>Raw bytes before the JSON (a prefix that is hashed with it); write them before the first JSON token.</summary>
        public void WritePrefix(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

        /// <summary>Everything written so far, the writer flushed.</summary>
        public ReadOnlySpan<byte> Written
        {
            get
            {
                writer.Flush();
                return buffer.WrittenSpan;
            }
        }

        public string Text() => Encoding.UTF8.GetString(Written);

        public void Dispose()
        {
            if (!pooled)
            {
                writer.Dispose();
                return;
            }

            if (buffer.Capacity > KeepAtMost)
            {
                cachedBuffer = null;
                cachedWriter = null;
            }
            else
            {
                buffer.ResetWrittenCount();
            }

            inUse = false;
        }
    }
}
