namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Stores the files of a command under their attachment's id and removes them again when the command writes
/// nothing. Only an attachment row makes a file part of a case (served, listed, counted); a file without a row is
/// invisible and removed by the sweep of stray files.
/// </summary>
internal static class AttachmentUploads
{
    public static async Task<CaseAttachmentRecord> StoreAsync(IAttachmentStorage storage, Guid caseId, UploadedFile file, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attachmentId = Guid.CreateVersion7(now);
        await using var content = file.OpenRead();
        var (key, size, sha) = await storage.SaveAsync(caseId, attachmentId, content, cancellationToken);
        var name = AttachmentNames.BaseName(file.FileName);
        return new CaseAttachmentRecord
        {
            Id = attachmentId,
            CaseId = caseId,
            FieldKey = file.FieldKey,
            FileName = name,
            ContentType = AttachmentTypes.ContentTypeOf(name),
            SizeBytes = size,
            Sha256 = sha,
            StorageKey = key,
            UploadedAt = now,
        };
    }

    /// <summary>Removes the files of a command that wrote nothing; none of them has a row.</summary>
    public static async Task DiscardAsync(IAttachmentStorage storage, IEnumerable<CaseAttachmentRecord> stored)
    {
        foreach (var a in stored)
        {
            // Not cancellable: the request may be gone, the files must go too.
            await storage.DeleteAsync(a.StorageKey, CancellationToken.None);
        }
    }

    /// <summary>Runs a command that records <paramref name="stored"/>; unless it succeeds, their files are removed.</summary>
    public static async Task<CaseCommandResult> KeepOnlyIfDoneAsync(IAttachmentStorage storage, IReadOnlyList<CaseAttachmentRecord> stored, Func<Task<CaseCommandResult>> command)
    {
        CaseCommandResult? result = null;
        try
        {
            result = await command();
            return result;
        }
        finally
        {
            if (result?.Succeeded != true && stored.Count > 0)
            {
                await DiscardAsync(storage, stored);
            }
        }
    }
}

/// <summary>The content types attachments are recorded with, by extension.</summary>
internal static class AttachmentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".ods"] = "application/vnd.oasis.opendocument.spreadsheet",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".txt"] = "text/plain",
        [".csv"] = "text/csv",
    };

    public static string ContentTypeOf(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : "application/octet-stream";
}
