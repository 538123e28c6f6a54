using System.Security.Cryptography;
using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Data.Stores;

/// <summary>
/// Attachment bytes in a folder outside the web root (<c>&lt;data&gt;/attachments/&lt;case&gt;/&lt;attachment&gt;</c>). The
/// storage key is relative, so the folder can move; the SHA-256 is computed while writing.
/// </summary>
internal sealed class FileSystemAttachmentStorage(string root) : IAttachmentStorage
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task<(string StorageKey, long Size, string Sha256)> SaveAsync(Guid caseId, Guid attachmentId, Stream content, CancellationToken cancellationToken = default)
    {
        var key = $"{caseId:N}/{attachmentId:N}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                size += read;
            }
        }

        return (key, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public Task<Stream> OpenAsync(string storageKey, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(PathOf(storageKey), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(storageKey));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredAttachmentFile>> ListWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var found = new List<StoredAttachmentFile>();
        if (Directory.Exists(Root))
        {
            foreach (var folder in Directory.EnumerateDirectories(Root))
            {
                if (!Guid.TryParseExact(Path.GetFileName(folder), "N", out var caseId))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(folder))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Guid.TryParseExact(Path.GetFileName(file), "N", out var attachmentId) && File.GetLastWriteTimeUtc(file) < before.UtcDateTime)
                    {
                        found.Add(new StoredAttachmentFile($"{caseId:N}/{attachmentId:N}", caseId, attachmentId));
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyList<StoredAttachmentFile>>(found);
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The storage key points outside the attachment folder.", nameof(key));
        }

        return path;
    }
}
