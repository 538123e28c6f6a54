using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Opens an attachment of a case for download, if the reader may download it (<see cref="AttachmentAccess"/>). Only
/// a recorded attachment is ever served: the row is looked up first, its file read after.
/// </summary>
public sealed class OpenAttachment(ICaseStore cases, IAttachmentStorage storage)
{
    public sealed record Request(Guid CaseId, Guid AttachmentId);

    /// <summary>The file, or null when the case or the attachment does not exist or is not the reader's to download.</summary>
    public async Task<AttachmentDownload?> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attachment = await cases.GetAttachmentAsync(request.AttachmentId, cancellationToken);
        if (attachment is null || attachment.CaseId != request.CaseId)
        {
            return null;
        }

        var c = await cases.GetAsync(attachment.CaseId, cancellationToken);
        if (c is null || !AttachmentAccess.CanDownload(actor, c, await cases.GetParticipantsAsync(c.Id, cancellationToken), attachment))
        {
            return null;
        }

        return attachment.RemovedAt is not null
            ? new AttachmentDownload(attachment, null)
            : new AttachmentDownload(attachment, await storage.OpenAsync(attachment.StorageKey, cancellationToken));
    }
}

/// <summary>
/// An attachment's record and its content; the caller disposes <see cref="Content"/>. No content: the file was removed
/// under the retention rule, and <see cref="RemovedInWords"/> says so.
/// </summary>
public sealed record AttachmentDownload(CaseAttachmentRecord Attachment, Stream? Content)
{
    public string RemovedInWords => Removed(Attachment);

    /// <summary>What a reader is told about a file removed under the retention rule.</summary>
    public static string Removed(CaseAttachmentRecord attachment) =>
        Localized.Format("The file \"{0}\" was removed on {1} under the retention rule for attachments of closed cases; its name, size and SHA-256 stay on the case.", attachment.FileName, attachment.RemovedAt is { } at ? Display.MessageDates.Short(at) : "");
}
