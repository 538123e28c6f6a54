using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Workflows.Reading;

/// <summary>Who may read workflow definitions and check YAML: partner coordinators, as on the definitions pages.</summary>
public static class DefinitionReadAccess
{
    public static bool CanRead(Actor actor) => actor?.Role == Roles.Coordinator;
}

/// <summary>The answer of a definition query: refused for the actor's role, not found, or the value.</summary>
public sealed record DefinitionRead<T>(bool Allowed, T? Value)
{
    public static DefinitionRead<T> Refused { get; } = new(false, default);
}

/// <summary>A definition with its versions, newest first.</summary>
public sealed record DefinitionSummary(WorkflowDefinitionRecord Definition, IReadOnlyList<WorkflowVersionRecord> Versions);

/// <summary>Every workflow definition with its versions.</summary>
public sealed class ListDefinitions(IWorkflowStore store)
{
    public async Task<DefinitionRead<IReadOnlyList<DefinitionSummary>>> HandleAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!DefinitionReadAccess.CanRead(actor))
        {
            return DefinitionRead<IReadOnlyList<DefinitionSummary>>.Refused;
        }

        var list = new List<DefinitionSummary>();
        foreach (var d in (await store.ListDefinitionsAsync(cancellationToken)).OrderBy(d => d.DefinitionKey, StringComparer.Ordinal))
        {
            list.Add(new DefinitionSummary(d, [.. (await store.ListVersionsAsync(d.DefinitionKey, cancellationToken)).OrderByDescending(v => v.Number)]));
        }

        return new(true, list);
    }
}

/// <summary>One version of a definition: its YAML, its Mermaid diagram (when it is valid) and its problems (drafts).</summary>
public sealed record DefinitionVersionView(WorkflowVersionRecord Version, string? Diagram, IReadOnlyList<ValidationError> Problems);

/// <summary>One version of a definition by key and number; null value when there is none.</summary>
public sealed class GetDefinitionVersion(IWorkflowStore store, WorkflowCatalog catalog)
{
    public sealed record Request(string Key, int Number);

    public async Task<DefinitionRead<DefinitionVersionView>> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DefinitionReadAccess.CanRead(actor))
        {
            return DefinitionRead<DefinitionVersionView>.Refused;
        }

        if (await store.GetVersionAsync(request.Key ?? "", request.Number, cancellationToken) is not { } version)
        {
            return new(true, null);
        }

        if (version.IsPublished)
        {
            return new(true, new DefinitionVersionView(version, WorkflowDiagram.Mermaid(await catalog.GetPlanAsync(version.Id, cancellationToken)), []));
        }

        var check = WorkflowDefinitions.Check(version.Content, cancellationToken: cancellationToken);
        return new(true, new DefinitionVersionView(version, check.IsValid ? WorkflowDiagram.Mermaid(WorkflowPlan.Compile(check.Document!)) : null, check.Errors));
    }
}

/// <summary>Checks posted YAML as the validator does for files and drafts: every problem with its path. Nothing is saved.</summary>
public sealed class CheckDefinition
{
    public const int MaxYamlBytes = 512 * 1024;

    public sealed record Request(string Yaml);

    public sealed record Result(bool Valid, string? Key, int? Version, IReadOnlyList<ValidationError> Problems, string? Diagram);

    public Task<DefinitionRead<Result>> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DefinitionReadAccess.CanRead(actor))
        {
            return Task.FromResult(DefinitionRead<Result>.Refused);
        }

        var check = WorkflowDefinitions.Check(request.Yaml ?? "", cancellationToken: cancellationToken);
        var result = check.IsValid
            ? new Result(true, check.Document!.Key, check.Document.Version, [], WorkflowDiagram.Mermaid(WorkflowPlan.Compile(check.Document)))
            : new Result(false, check.Document?.Key, check.Document?.Version, check.Errors, null);
        return Task.FromResult(new DefinitionRead<Result>(true, result));
    }
}
