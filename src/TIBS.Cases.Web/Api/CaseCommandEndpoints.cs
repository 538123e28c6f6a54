using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Web.Infrastructure;
using TIBS.Cases.Web.Infrastructure.RequestSafety;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// The commands on a case: completing the current step, case actions, check-ins (each needs <c>If-Match</c> with the
/// case's ETag), notes (never conflict, no If-Match) and attachments (upload with If-Match, download). A case the
/// caller may not read is not found, as on the case page.
/// </summary>
internal static class CaseCommandEndpoints
{
    private static readonly int[] StateChangeProblems =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
        StatusCodes.Status422UnprocessableEntity, StatusCodes.Status428PreconditionRequired,
    ];

    public static void MapCaseCommands(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/steps/current/complete", Complete).WithName("CompleteCaseStep")
            .WithSummary("Complete the current step with its form values and an outcome (If-Match required)")
            .WithDescription("Field errors come back as 422 keyed as the case page keys them (tables: 'joint-actions[0].due-date'); unmet conditions as 409 with 'unmet'. "
                + "A step with file fields takes multipart/form-data: the parts 'outcome', 'reason' and 'values' (the JSON object of values) and each file "
                + "in a part named by its field's key; files have the case page's limits (413 too large, 415 not an accepted type).")
            .Accepts<CompleteStepBody>("application/json", "multipart/form-data")
            .WithMetadata(new AcceptsUploadsAttribute())
            .DisableAntiforgery().Writes()
            .Problems([.. StateChangeProblems, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        group.MapPost("/{id:guid}/actions/{action}", Action).WithName("ApplyCaseAction")
            .WithSummary("Take a case action: hold, resume, withdraw or reassign (If-Match required)")
            .Writes().Problems(StateChangeProblems);
        group.MapPost("/{id:guid}/check-ins", CheckIn).WithName("RecordCaseCheckIn")
            .WithSummary("Record an occurrence of a follow-up check-in of the current step (If-Match required)")
            .Writes().Problems(StateChangeProblems);
        group.MapPost("/{id:guid}/notes", Note).WithName("AddCaseNote").WithSummary("Add a note (no If-Match: a note never conflicts)")
            .Writes().Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}/attachments", Attachments).WithName("ListCaseAttachments").WithSummary("The case's attachments")
            .Problems(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/attachments/{attachmentId:guid}", Download).WithName("DownloadCaseAttachment")
            .WithSummary("An attachment's content, always as a download (Content-Disposition: attachment)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream").Problems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/attachments", Upload).WithName("AddCaseAttachment")
            .WithSummary("Attach a file, sent as multipart/form-data in the part 'file' (If-Match required)")
            .WithMetadata(new AcceptsUploadsAttribute())
            .DisableAntiforgery().Writes()
            .Problems([.. StateChangeProblems, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
    }

    private static async Task<Results<Ok<CaseCommandResponse>, ProblemHttpResult>> Complete(
        HttpContext context, Guid id, CompleteStep handler, GetCase reader, CancellationToken cancellationToken)
    {
        var (body, problem) = await CompleteStepInput.ReadAsync(context.Request, cancellationToken);
        return problem ?? await RunAsync(context, id, reader, true, version => handler.HandleAsync(
            new CompleteStep.Request(id, version!.Value, body!.Outcome, body.Input, body.Reason, body.Files), context.Actor(), cancellationToken), cancellationToken);
    }

    private static Task<Results<Ok<CaseCommandResponse>, ProblemHttpResult>> Action(
        HttpContext context, Guid id, string action, CaseActionBody? body, ApplyCaseAction handler, GetCase reader, CancellationToken cancellationToken) =>
        RunAsync(context, id, reader, true, version => handler.HandleAsync(
            new ApplyCaseAction.Request(id, version!.Value, action, body?.Reason, body?.NewOwnerUserId), context.Actor(), cancellationToken), cancellationToken);

    private static Task<Results<Ok<CaseCommandResponse>, ProblemHttpResult>> CheckIn(
        HttpContext context, Guid id, CheckInBody body, RecordCheckIn handler, GetCase reader, CancellationToken cancellationToken)
    {
        var (input, errors) = JsonFormValues.Read(body.Values);
        if (string.IsNullOrWhiteSpace(body.CheckIn))
        {
            errors = [.. errors, new("checkIn", "Name the check-in, such as 'quarterly'.")];
        }

        if (body.Occurrence is null)
        {
            errors = [.. errors, new("occurrence", "Say which occurrence of the check-in this is, from 1.")];
        }

        return errors.Count > 0
            ? Task.FromResult<Results<Ok<CaseCommandResponse>, ProblemHttpResult>>(ApiProblems.Fields(errors))
            : RunAsync(context, id, reader, true, version => handler.HandleAsync(
                new RecordCheckIn.Request(id, version!.Value, body.CheckIn!, body.Occurrence!.Value, input), context.Actor(), cancellationToken), cancellationToken);
    }

    private static Task<Results<Ok<CaseCommandResponse>, ProblemHttpResult>> Note(
        HttpContext context, Guid id, NoteBody body, AddNote handler, GetCase reader, CancellationToken cancellationToken) =>
        RunAsync(context, id, reader, false, _ => handler.HandleAsync(new AddNote.Request(id, body.Body), context.Actor(), cancellationToken), cancellationToken);

    private static async Task<Results<Ok<IReadOnlyList<AttachmentResource>>, ProblemHttpResult>> Attachments(
        HttpContext context, Guid id, GetCase reader, CancellationToken cancellationToken)
    {
        if (await reader.HandleAsync(new GetCase.Request(id), context.Actor(), cancellationToken) is not { } view)
        {
            return CaseEndpoints.CaseNotFound();
        }

        context.Response.Headers.ETag = ApiConcurrency.ETag(view.Details.Case.Version);
        return TypedResults.Ok<IReadOnlyList<AttachmentResource>>([.. view.Details.Attachments.Select(AttachmentResource.Of)]);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        HttpContext context, Guid id, Guid attachmentId, OpenAttachment handler, CancellationToken cancellationToken)
    {
        var download = await handler.HandleAsync(new OpenAttachment.Request(id, attachmentId), context.Actor(), cancellationToken);
        if (download is null)
        {
            return ApiProblems.NotFound("The attachment");
        }

        if (download.Content is null)
        {
            return TypedResults.Problem(download.RemovedInWords, statusCode: StatusCodes.Status410Gone, title: "The file was removed");
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(download.Content, "application/octet-stream", download.Attachment.FileName);
    }

    private static async Task<Results<Ok<CaseCommandResponse>, ProblemHttpResult>> Upload(
        HttpContext context, Guid id, IFormFile? file, AddAttachment handler, GetCase reader, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return ApiProblems.Fields([new("file", "Choose a file to attach: send it as multipart/form-data in the part 'file'.")]);
        }

        return await RunAsync(context, id, reader, true, version => handler.HandleAsync(
            new AddAttachment.Request(id, version!.Value, new UploadedFile(null, file.FileName, file.Length, file.OpenReadStream)), context.Actor(), cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs a command with the version from If-Match (<paramref name="ifMatchRequired"/>) and answers with the case as
    /// it is now and its ETag, or with the problem; a refusal on a case the caller may not read is a 404, as on the page.
    /// </summary>
    private static async Task<Results<Ok<CaseCommandResponse>, ProblemHttpResult>> RunAsync(
        HttpContext context, Guid id, GetCase reader, bool ifMatchRequired, Func<int?, Task<CaseCommandResult>> run, CancellationToken cancellationToken)
    {
        var (version, problem) = ApiConcurrency.IfMatch(context.Request, ifMatchRequired);
        if (problem is not null)
        {
            return problem;
        }

        var result = await run(version);
        if (result.Succeeded)
        {
            context.Response.Headers.ETag = ApiConcurrency.ETag(result.Case!.Version);
            return TypedResults.Ok(new CaseCommandResponse(result.Message, CaseResource.Of(result.Case)));
        }

        if (result.Status == CaseCommandStatus.NotFound
            || (result.Status == CaseCommandStatus.Forbidden && await reader.HandleAsync(new GetCase.Request(id), context.Actor(), cancellationToken) is null))
        {
            return CaseEndpoints.CaseNotFound();
        }

        if (result.Case is { } current)
        {
            context.Response.Headers.ETag = ApiConcurrency.ETag(current.Version);
        }

        return CaseEndpoints.Refusal(result);
    }
}
