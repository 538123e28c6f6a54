using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Api;

/// <summary>
/// A definition's draft as the draft editor shows it. <see cref="Stored"/> is false when there is no draft yet: then
/// <see cref="Yaml"/> is the published version's text renumbered as <see cref="Number"/>, to start one from. The ETag
/// (only when a draft is stored) names the draft and its row version.
/// </summary>
internal sealed record DefinitionDraftResponse(string Key, int Number, bool Stored, string Yaml, IReadOnlyList<DefinitionProblem> Problems, string? Message = null);

/// <summary>The text of a draft to save.</summary>
/// <param name="Yaml">The whole definition document; it may have problems (they are listed and must be fixed before publishing).</param>
internal sealed record SaveDefinitionDraftRequest(string? Yaml);

/// <summary>What publishing a draft needs besides its ETag.</summary>
/// <param name="ChangeNote">What changed in the version and why (required; kept with the version).</param>
internal sealed record PublishDefinitionRequest(string? ChangeNote);

/// <summary>
/// Drafts of a definition for coordinators, over the draft editor's handlers and with its conflict rule: the draft's
/// ETag is its id and row version; saving over a draft, publishing and discarding need <c>If-Match</c> with it (428
/// without, 412 when the draft changed), and starting a draft needs <c>If-None-Match: *</c> (412 when one exists).
/// </summary>
internal static class DefinitionDraftEndpoints
{
    private static readonly int[] PreconditionProblems =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired,
    ];

    public static void MapDefinitionDrafts(this RouteGroupBuilder definitions)
    {
        definitions.MapGet("/{key}/draft", Get).WithName("GetDefinitionDraft")
            .WithSummary("The draft with its problems, or the text to start one from (coordinators); ETag when a draft is stored")
            .Problems(StatusCodes.Status404NotFound);
        definitions.MapPut("/{key}/draft", Save).WithName("SaveDefinitionDraft")
            .WithSummary("Save the draft (If-Match with its ETag, or If-None-Match: * to start one); it may keep problems")
            .WithDescription("200 with the saved draft, its problems (path, line, column) and its new ETag; 201 when the draft was started. 422 when the text cannot be stored at all.")
            .Writes().Problems([.. PreconditionProblems, StatusCodes.Status422UnprocessableEntity]);
        definitions.MapDelete("/{key}/draft", Discard).WithName("DiscardDefinitionDraft")
            .WithSummary("Discard the draft (If-Match required)")
            .Writes().Problems(PreconditionProblems);
        definitions.MapPost("/{key}/draft/publish", Publish).WithName("PublishDefinitionDraft")
            .WithSummary("Publish the draft: new cases start on it (If-Match required)")
            .WithDescription("Send the change note as {\"changeNote\": \"…\"}; 422 names the field 'changeNote' when it is missing or too short or long. 422 also lists every error of the definition with its path and line in 'problems' (and by path in 'errors'); nothing changes then.")
            .Writes().Problems([.. PreconditionProblems, StatusCodes.Status422UnprocessableEntity]);
    }

    private static async Task<Results<Ok<DefinitionDraftResponse>, ProblemHttpResult>> Get(
        HttpContext context, string key, GetDefinitionDraft handler, CancellationToken cancellationToken)
    {
        var state = await handler.HandleAsync(new GetDefinitionDraft.Request(key), context.Actor(), cancellationToken);
        if (state.Status != CaseCommandStatus.Done)
        {
            return Refused(state.Status, key);
        }

        if (state.Draft is { } draft)
        {
            context.Response.Headers.ETag = ETag(draft);
        }

        return TypedResults.Ok(new DefinitionDraftResponse(state.Definition!.DefinitionKey, state.NextNumber, state.Draft is not null, state.Yaml,
            [.. state.Problems.Select(DefinitionProblem.From)]));
    }

    private static async Task<Results<Ok<DefinitionDraftResponse>, Created<DefinitionDraftResponse>, ProblemHttpResult>> Save(
        HttpContext context, string key, SaveDefinitionDraftRequest body, SaveDefinitionDraft handler, CancellationToken cancellationToken)
    {
        var (draft, problem) = Precondition(context.Request, allowCreate: true);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.Yaml is null)
        {
            return ApiProblems.Fields([new("yaml", "Send the draft's YAML in 'yaml'.")]);
        }

        var saved = await handler.HandleAsync(new SaveDefinitionDraft.Request(key, body.Yaml, draft?.RowVersion, draft?.Id), context.Actor(), cancellationToken);
        switch (saved.Status)
        {
            case CaseCommandStatus.Done:
                context.Response.Headers.ETag = ETag(saved.Draft!);
                var response = new DefinitionDraftResponse(saved.Draft!.DefinitionKey.Length > 0 ? saved.Draft.DefinitionKey : key, saved.Draft.Number, true,
                    saved.Draft.Content, [.. saved.Problems.Select(DefinitionProblem.From)], saved.Message);
                return draft is null
                    ? TypedResults.Created($"/api/v1/definitions/{Uri.EscapeDataString(key)}/draft", response)
                    : TypedResults.Ok(response);
            case CaseCommandStatus.Conflict:
                if (saved.Draft is { } current)
                {
                    context.Response.Headers.ETag = ETag(current);
                }

                return ApiProblems.Problem(StatusCodes.Status412PreconditionFailed, draft is null
                    ? $"'{key}' already has a draft: GET it and save with If-Match and its ETag. Nothing was saved."
                    : $"The draft was changed, published or discarded since you read it ({saved.Message}) Nothing was saved: GET it again.");
            case CaseCommandStatus.InvalidForm:
                return Invalid(saved.Problems, saved.Message);
            default:
                return Refused(saved.Status, key);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Discard(
        HttpContext context, string key, DiscardDefinitionDraft handler, CancellationToken cancellationToken)
    {
        var (draft, problem) = Precondition(context.Request, allowCreate: false);
        if (problem is not null)
        {
            return problem;
        }

        var result = await handler.HandleAsync(new DiscardDefinitionDraft.Request(key, draft!.Value.Id, draft.Value.RowVersion), context.Actor(), cancellationToken);
        return result.Status switch
        {
            CaseCommandStatus.Done => TypedResults.NoContent(),
            CaseCommandStatus.Conflict => ApiProblems.Problem(StatusCodes.Status412PreconditionFailed, result.Message + " GET the draft again."),
            _ => Refused(result.Status, key),
        };
    }

    private static async Task<Results<Ok<DefinitionVersionResponse>, ProblemHttpResult>> Publish(
        HttpContext context, string key, PublishDefinitionRequest? request, PublishDefinition handler, CancellationToken cancellationToken)
    {
        var (draft, problem) = Precondition(context.Request, allowCreate: false);
        if (problem is not null)
        {
            return problem;
        }

        var result = await handler.HandleAsync(new PublishDefinition.Request(key, draft!.Value.Id, draft.Value.RowVersion, request?.ChangeNote), context.Actor(), cancellationToken);
        switch (result.Status)
        {
            case CaseCommandStatus.Done:
                var published = result.Published!;
                var number = published.Number.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers.Location = $"/api/v1/definitions/{Uri.EscapeDataString(key)}/versions/{number}";
                return TypedResults.Ok(new DefinitionVersionResponse(
                    published.DefinitionKey.Length > 0 ? published.DefinitionKey : key, published.Number, published.Status, published.Content, null, [])
                { ChangeNote = published.ChangeNote });
            case CaseCommandStatus.InvalidForm when result.FieldErrors.Count > 0:
                return ApiProblems.Fields(result.FieldErrors, result.Message);
            case CaseCommandStatus.InvalidForm:
                return Invalid(result.Errors, result.Message);
            case CaseCommandStatus.Conflict:
                return ApiProblems.Problem(StatusCodes.Status412PreconditionFailed, result.Message + " GET the draft again.");
            default:
                return Refused(result.Status, key);
        }
    }

    /// <summary>The draft's ETag: its id and row version (a draft discarded and started again is a different draft).</summary>
    public static string ETag(WorkflowVersionRecord draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return string.Create(CultureInfo.InvariantCulture, $"\"{draft.Id:N}.{draft.RowVersion}\"");
    }

    /// <summary>
    /// The draft named by <c>If-Match</c>; with <paramref name="allowCreate"/>, <c>If-None-Match: *</c> instead says
    /// that no draft is expected (null draft, no problem). 428 without either, 400 when If-Match is not a draft's ETag.
    /// </summary>
    private static ((Guid Id, int RowVersion)? Draft, ProblemHttpResult? Problem) Precondition(HttpRequest request, bool allowCreate)
    {
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0)
        {
            return allowCreate && request.Headers.IfNoneMatch.ToString().Trim() == "*"
                ? (null, null)
                : (null, ApiProblems.Problem(StatusCodes.Status428PreconditionRequired, allowCreate
                    ? "Send If-Match with the draft's ETag (GET the draft first), or If-None-Match: * to start a draft when there is none."
                    : "Send If-Match with the draft's ETag (GET the draft first), so that nobody's change is lost unseen."));
        }

        var value = (ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch).Trim('"');
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Guid.TryParseExact(value[..dot], "N", out var id)
            && int.TryParse(value[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var rowVersion)
            ? ((id, rowVersion), null)
            : (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "If-Match must be the draft's ETag as the API gave it, such as \"0190c2d3e4f5...1.3\"."));
    }

    /// <summary>422 with every problem: by path in <c>errors</c> (as field errors) and with its line and column in <c>problems</c>.</summary>
    private static ProblemHttpResult Invalid(IReadOnlyList<ValidationError> problems, string message)
    {
        var details = new HttpValidationProblemDetails(problems
            .GroupBy(p => p.Path.Length == 0 ? "yaml" : p.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = ApiProblems.Title(StatusCodes.Status422UnprocessableEntity),
            Detail = message,
        };
        details.Extensions["problems"] = problems.Select(DefinitionProblem.From).ToList();
        return TypedResults.Problem(details);
    }

    private static ProblemHttpResult Refused(CaseCommandStatus status, string key) => status == CaseCommandStatus.Forbidden
        ? ApiProblems.Problem(StatusCodes.Status403Forbidden, DefinitionAccess.Refusal)
        : ApiProblems.NotFound($"The definition '{key}'");
}
