using System.Text.Json.Nodes;
using TIBS.Cases.Core.Localization;

namespace TIBS.Cases.Core.Cases;

/// <summary>
/// Attaches a file to the case: the file must keep the attachment rules (<see cref="AttachmentPolicy"/>: size, type,
/// content); it is stored under the attachment's id, and the attachment row and an audit event with its SHA-256 are
/// written in one transaction guarded by the case's version. If that transaction writes nothing, the file is removed
/// again.
/// </summary>
public sealed class AddAttachment(CaseCommandContext context, IAttachmentStorage storage, AttachmentOptions options)
{
    public sealed record Request(Guid CaseId, int ExpectedVersion, UploadedFile? File);

    public Task<CaseCommandResult> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return context.ExecuteAsync(request.CaseId, request.ExpectedVersion, actor, opening => DecideAsync(opening, request, actor, cancellationToken), cancellationToken);
    }

    private async Task<CaseCommandResult> DecideAsync(CaseOpening opening, Request request, Actor actor, CancellationToken cancellationToken)
    {
        if (request.File is not { Length: > 0 } file)
        {
            return opening.Invalid("file", Localized.Text("Choose a file to attach."));
        }

        if (AttachmentPolicy.Problem(file, options) is { } problem)
        {
            return opening.Invalid("file", problem.Message) with { FileProblem = problem.Kind };
        }

        var c = opening.Details!.Case;
        var now = context.Now();
        var stored = new List<CaseAttachmentRecord>();
        return await AttachmentUploads.KeepOnlyIfDoneAsync(storage, stored, async () =>
        {
            var attachment = await AttachmentUploads.StoreAsync(storage, c.Id, file with { FieldKey = null }, now, cancellationToken);
            stored.Add(attachment);
            attachment = attachment with { UploadedBy = actor.AuditId };
            var (advanced, evt) = c.Record(now, actor, "attachment-added", c.CurrentStep,
                new JsonObject
                {
                    ["attachmentId"] = attachment.Id.ToString(),
                    ["fileName"] = attachment.FileName,
                    ["contentType"] = attachment.ContentType,
                    ["size"] = attachment.SizeBytes,
                    ["sha256"] = attachment.Sha256,
                    ["field"] = attachment.FieldKey,
                }.ToJsonString());
            return await context.CommitAsync(new CaseWrite
            {
                Case = advanced,
                ExpectedVersion = request.ExpectedVersion,
                Events = [evt],
                NewAttachments = [attachment],
            }, Localized.Format("{0} attached.", attachment.FileName), cancellationToken);
        });
    }
}
