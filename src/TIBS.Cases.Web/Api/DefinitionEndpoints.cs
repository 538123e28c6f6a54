using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Web.Api;

/// <summary>A version of a workflow definition, without its content.</summary>
/// <param name="ChangeNote">What changed and why, as written when it was published; null for versions published without one.</param>
internal sealed record DefinitionVersionSummary(int Number, string Status, string Source, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt, string? ChangeNote = null);

/// <summary>A workflow definition and its versions, newest first.</summary>
internal sealed record DefinitionResponse(string Key, string Name, int? PublishedVersion, IReadOnlyList<DefinitionVersionSummary> Versions);

/// <summary>A problem of a definition, with its path in the document and, when known, its line and column.</summary>
internal sealed record DefinitionProblem(string Path, string Message, int? Line, int? Column)
{
    internal static DefinitionProblem From(ValidationError e) => new(e.Path, e.Message, e.Position?.Line, e.Position?.Column);
}

/// <summary>One version: its YAML, its Mermaid diagram when it is valid, and its problems (a draft may have some).</summary>
internal sealed record DefinitionVersionResponse(
    string Key, int Number, string Status, string Yaml, string? Diagram, IReadOnlyList<DefinitionProblem> Problems)
{
    /// <summary>What changed and why, as written when it was published; null for drafts and versions published without one.</summary>
    public string? ChangeNote { get; init; }
}

/// <summary>YAML to check.</summary>
/// <param name="Yaml">A workflow definition document, as in workflows/&lt;key&gt;/v&lt;N&gt;.yaml.</param>
internal sealed record ValidateDefinitionRequest(string? Yaml);

/// <summary>What the validator found: every problem with its path; the diagram when the definition is valid.</summary>
internal sealed record ValidateDefinitionResponse(bool Valid, string? Key, int? Version, IReadOnlyList<DefinitionProblem> Problems, string? Diagram);

internal static class DefinitionEndpoints
{
    private const string RoleOnly = "Only partner coordinators read workflow definitions.";

    public static RouteGroupBuilder MapDefinitions(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/definitions").WithTags("Definitions").RequireAuthorization(ApiPolicies.Coordinator).Problems(StatusCodes.Status403Forbidden);
        group.MapGet("/", List).WithName("ListDefinitions").WithSummary("Every workflow definition with its versions (coordinators)");
        group.MapGet("/{key}/versions/{number:int}", GetVersion).WithName("GetDefinitionVersion")
            .WithSummary("One version: YAML, diagram and problems (coordinators)").Problems(StatusCodes.Status404NotFound);
        group.MapGet("/{key}/versions/{number:int}/yaml", GetYaml).WithName("GetDefinitionYaml")
            .WithSummary("One version's YAML as a file (coordinators)").Produces<string>(200, "application/yaml").Problems(StatusCodes.Status404NotFound);
        group.MapGet("/{key}/versions/{number:int}/diagram", GetDiagram).WithName("GetDefinitionDiagram")
            .WithSummary("One version's Mermaid diagram (coordinators)").Produces<string>(200, "text/vnd.mermaid").Problems(StatusCodes.Status404NotFound);
        group.MapPost("/validate", Validate).WithName("ValidateDefinition")
            .WithSummary("Check posted YAML (coordinators); nothing is saved")
            .WithDescription("200 with valid=false and every problem with its path when the definition has problems; 422 when no YAML was sent.")
            .Problems(StatusCodes.Status422UnprocessableEntity);
        group.MapDefinitionDrafts();
        group.MapDefinitionSimulations();

        group.MapDefinitionDiff();
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<DefinitionResponse>>, ProblemHttpResult>> List(
        HttpContext context, ListDefinitions handler, CancellationToken cancellationToken)
    {
        var read = await handler.HandleAsync(new ListDefinitions.Request(), context.Actor(), cancellationToken);
        if (read.Status == CaseCommandStatus.Forbidden)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, RoleOnly);
        }

        return TypedResults.Ok<IReadOnlyList<DefinitionResponse>>([.. read.Definitions.Select(d => new DefinitionResponse(
            d.Definition.DefinitionKey,
            d.Definition.Name,
            d.Versions.FirstOrDefault(v => v.Id == d.Definition.PublishedVersionId)?.Number,
            [.. d.Versions.Select(v => new DefinitionVersionSummary(v.Number, v.Status, v.Source, v.CreatedAt, v.PublishedAt, v.ChangeNote))]))]);
    }

    private static async Task<Results<Ok<DefinitionVersionResponse>, ProblemHttpResult>> GetVersion(
        HttpContext context, string key, int number, GetDefinitionVersion handler, CancellationToken cancellationToken) =>
        await ReadAsync<Ok<DefinitionVersionResponse>>(context, key, number, handler, v => TypedResults.Ok(new DefinitionVersionResponse(
            v.Version!.DefinitionKey.Length > 0 ? v.Version.DefinitionKey : key, v.Version.Number, v.Version.Status, v.Version.Content, v.Diagram,
            [.. v.Problems.Select(DefinitionProblem.From)])
        { ChangeNote = v.Version.ChangeNote }), cancellationToken);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetYaml(
        HttpContext context, string key, int number, GetDefinitionVersion handler, CancellationToken cancellationToken) =>
        await ReadAsync<ContentHttpResult>(context, key, number, handler, v => TypedResults.Text(v.Version!.Content, "application/yaml", Encoding.UTF8), cancellationToken);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetDiagram(
        HttpContext context, string key, int number, GetDefinitionVersion handler, CancellationToken cancellationToken) =>
        await ReadAsync<ContentHttpResult>(context, key, number, handler, v => v.Diagram is null
            ? ApiProblems.Problem(StatusCodes.Status409Conflict, "This draft has problems, so it has no diagram; get the version to see them.")
            : TypedResults.Text(v.Diagram, "text/vnd.mermaid", Encoding.UTF8), cancellationToken);

    private static async Task<Results<T, ProblemHttpResult>> ReadAsync<T>(
        HttpContext context, string key, int number, GetDefinitionVersion handler, Func<GetDefinitionVersion.Result, Results<T, ProblemHttpResult>> answer, CancellationToken cancellationToken)
        where T : IResult
    {
        var read = await handler.HandleAsync(new GetDefinitionVersion.Request(key, number), context.Actor(), cancellationToken);
        return read.Status switch
        {
            CaseCommandStatus.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, RoleOnly),
            CaseCommandStatus.Done => answer(read),
            _ => ApiProblems.NotFound($"Version {number} of the definition '{key}'"),
        };
    }

    private static async Task<Results<Ok<ValidateDefinitionResponse>, ProblemHttpResult>> Validate(
        HttpContext context, ValidateDefinitionRequest request, ValidateDefinition handler, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Yaml))
        {
            return ApiProblems.Fields([new FieldError("yaml", "Send the definition's YAML in 'yaml'.")]);
        }

        if (Encoding.UTF8.GetByteCount(request.Yaml) > ValidateDefinition.MaxYamlBytes)
        {
            return ApiProblems.Fields([new FieldError("yaml", $"The YAML may have at most {ValidateDefinition.MaxYamlBytes / 1024} KB.")]);
        }

        var r = await handler.HandleAsync(new ValidateDefinition.Request(null, request.Yaml), context.Actor(), cancellationToken);
        if (r.Status == CaseCommandStatus.Forbidden)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, RoleOnly);
        }

        return TypedResults.Ok(new ValidateDefinitionResponse(r.IsValid, r.Key, r.Number, [.. r.Problems.Select(DefinitionProblem.From)], r.Diagram));
    }
}
