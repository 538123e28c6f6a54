using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TIBS.Cases.Web.Infrastructure.Backup;

/// <summary>Why an archive cannot be read: a wrong key, a damaged or cut file. The message names what is wrong.</summary>
internal sealed class BackupArchiveException(string message) : Exception(message);

/// <summary>
/// The backup key: 32 random bytes, kept base64 in a file outside the database (<c>Backup:KeyFile</c>). Its id
/// (16 hex digits of SHA-256 over a label and the key) is written in every archive's header, so a wrong key is named
/// as such before anything is decrypted.
/// </summary>
internal sealed class BackupKey
{
    private BackupKey(byte[] bytes)
    {
        Bytes = bytes;
        Id = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes("tibs-backup-key\n"), .. bytes]))[..16];
    }

    public byte[] Bytes { get; }

    public string Id { get; }

    public static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static BackupKey FromText(string text)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new BackupArchiveException("The backup key file does not hold base64 text (make one with: backup create-key <file>).");
        }

        return bytes.Length == 32
            ? new BackupKey(bytes)
            : throw new BackupArchiveException($"The backup key file holds {bytes.Length} bytes; a backup key is 32 bytes (base64), made with: backup create-key <file>.");
    }

    /// <summary>Reads <c>Backup:KeyFile</c>; the message names the setting when it is missing or unreadable.</summary>
    public static BackupKey Load(string? keyFile)
    {
        if (string.IsNullOrWhiteSpace(keyFile))
        {
            throw new BackupArchiveException("Backup:KeyFile is not set: name the file of the backup key, kept outside the database and the backups (make one with: backup create-key <file>).");
        }

        if (!File.Exists(keyFile))
        {
            throw new BackupArchiveException($"Backup:KeyFile: there is no file '{keyFile}'.");
        }

        return FromText(File.ReadAllText(keyFile));
    }
}

/// <summary>
/// The archive's encryption: AES-256-GCM in chunks. Header (32 bytes): <c>TIBSBAK1</c>, the key id (8 bytes), a random
/// nonce prefix (4 bytes), the chunk size (4 bytes), 8 bytes reserved. Each chunk: its length (4 bytes, the top bit
/// marks the last chunk), the ciphertext and the 16-byte tag; the nonce is the prefix and the chunk's number, and the
/// header, the number and the last-chunk mark are authenticated with it, so chunks cannot be swapped, dropped or cut.
/// </summary>
internal static class BackupEncryption
{
    public const int HeaderSize = 32;
    public const int ChunkSize = 1 << 20;
    public const int TagSize = 16;
    private static readonly byte[] Magic = "TIBSBAK1"u8.ToArray();

    public static byte[] Header(BackupKey key)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        Convert.FromHexString(key.Id).CopyTo(header, 8);
        RandomNumberGenerator.Fill(header.AsSpan(16, 4));
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(20, 4), ChunkSize);
        return header;
    }

    /// <summary>Checks the header read from an archive against the key; the message says what is wrong.</summary>
    public static void CheckHeader(ReadOnlySpan<byte> header, BackupKey key, string name)
    {
        if (header.Length < HeaderSize || !header[..8].SequenceEqual(Magic))
        {
            throw new BackupArchiveException($"{name} is not a TIBS.Cases backup archive.");
        }

        var id = Convert.ToHexStringLower(header.Slice(8, 8));
        if (!string.Equals(id, key.Id, StringComparison.Ordinal))
        {
            throw new BackupArchiveException($"{name} was encrypted with another backup key (key id {id}); Backup:KeyFile holds key {key.Id}. Use the key the backup was made with.");
        }
    }

    internal static byte[] Nonce(ReadOnlySpan<byte> header, long chunk)
    {
        var nonce = new byte[12];
        header.Slice(16, 4).CopyTo(nonce);
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), chunk);
        return nonce;
    }

    internal static byte[] Associated(ReadOnlySpan<byte> header, long chunk, bool last)
    {
        var data = new byte[HeaderSize + 9];
        header[..HeaderSize].CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(HeaderSize), chunk);
        data[^1] = last ? (byte)1 : (byte)0;
        return data;
    }
}

/// <summary>Encrypts what is written to it into <paramref name="output"/> (write-only, forward-only).</summary>
internal sealed class EncryptingStream(Stream output, BackupKey key) : Stream
{
    private readonly AesGcm aes = new(key.Bytes, BackupEncryption.TagSize);
    private readonly byte[] buffer = new byte[BackupEncryption.ChunkSize];
    private byte[]? header;
    private int filled;
    private long chunk;
    private bool finished;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        EnsureHeader();
        while (data.Length > 0)
        {
            if (filled == buffer.Length)
            {
                WriteChunk(last: false);
            }

            var n = Math.Min(data.Length, buffer.Length - filled);
            data[..n].CopyTo(buffer.AsSpan(filled));
            filled += n;
            data = data[n..];
        }
    }

    /// <summary>Writes the last chunk; without it a reader reports the archive as cut short.</summary>
    public void Finish()
    {
        if (finished)
        {
            return;
        }

        EnsureHeader();
        WriteChunk(last: true);
        output.Flush();
        finished = true;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            aes.Dispose();
        }

        base.Dispose(disposing);
    }

    private void EnsureHeader()
    {
        if (header is null)
        {
            header = BackupEncryption.Header(key);
            output.Write(header);
        }
    }

    private void WriteChunk(bool last)
    {
        var cipher = new byte[filled];
        var tag = new byte[BackupEncryption.TagSize];
        aes.Encrypt(BackupEncryption.Nonce(header, chunk), buffer.AsSpan(0, filled), cipher, tag, BackupEncryption.Associated(header, chunk, last));
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)filled | (last ? 0x8000_0000u : 0u));
        output.Write(length);
        output.Write(cipher);
        output.Write(tag);
        chunk++;
        filled = 0;
    }
}

/// <summary>Decrypts an archive read from <paramref name="input"/>; a damaged, cut or foreign archive throws <see cref="BackupArchiveException"/>.</summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream input;
    private readonly string name;
    private readonly AesGcm aes;
    private readonly byte[] header = new byte[BackupEncryption.HeaderSize];
    private byte[] plain = [];
    private int position;
    private long chunk;
    private bool last;

    public DecryptingStream(Stream input, BackupKey key, string name)
    {
        this.input = input;
        this.name = name;
        var read = input.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length)
        {
            throw new BackupArchiveException($"{name} is not a TIBS.Cases backup archive (it is too short).");
        }

        BackupEncryption.CheckHeader(header, key, name);
        aes = new AesGcm(key.Bytes, BackupEncryption.TagSize);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        while (position == plain.Length)
        {
            if (last)
            {
                return 0;
            }

            NextChunk();
        }

        var n = Math.Min(destination.Length, plain.Length - position);
        plain.AsSpan(position, n).CopyTo(destination);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            aes.Dispose();
        }

        base.Dispose(disposing);
    }

    private void NextChunk()
    {
        Span<byte> length = stackalloc byte[4];
        if (input.ReadAtLeast(length, 4, throwOnEndOfStream: false) < 4)
        {
            throw new BackupArchiveException($"{name} is cut short: it ends after chunk {chunk} without its last chunk. Copy the whole file again.");
        }

        var raw = BinaryPrimitives.ReadUInt32BigEndian(length);
        var isLast = (raw & 0x8000_0000u) != 0;
        var size = (int)(raw & 0x7FFF_FFFFu);
        if (size > BackupEncryption.ChunkSize)
        {
            throw new BackupArchiveException($"{name} is damaged at chunk {chunk + 1}: its length is not possible.");
        }

        var cipher = new byte[size];
        var tag = new byte[BackupEncryption.TagSize];
        if (input.ReadAtLeast(cipher, size, throwOnEndOfStream: false) < size || input.ReadAtLeast(tag, tag.Length, throwOnEndOfStream: false) < tag.Length)
        {
            throw new BackupArchiveException($"{name} is cut short in chunk {chunk + 1}. Copy the whole file again.");
        }

        var output = new byte[size];
        try
        {
            aes.Decrypt(BackupEncryption.Nonce(header, chunk), cipher, tag, output, BackupEncryption.Associated(header, chunk, isLast));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BackupArchiveException($"{name} is damaged: chunk {chunk + 1} (from byte {BackupEncryption.HeaderSize + (chunk * (BackupEncryption.ChunkSize + 20))}) does not decrypt to what was written. The archive was changed or corrupted after it was made.");
        }

        plain = output;
        position = 0;
        chunk++;
        last = isLast;
    }
}
