using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// One version of a definition: its YAML, its plan (stages, steps, outcomes), its diagram (Mermaid) and, for a draft
/// that does not compile, its problems with path and line.
/// </summary>
public sealed class GetDefinitionVersion(IWorkflowStore store, WorkflowCatalog catalog)
{
    public sealed record Request(string Key, int Number);

    public sealed record Result(CaseCommandStatus Status)
    {
        public WorkflowDefinitionRecord? Definition { get; init; }

        public WorkflowVersionRecord? Version { get; init; }

        /// <summary>Null when the version (a draft) does not compile; see <see cref="Problems"/>.</summary>
        public WorkflowPlan? Plan { get; init; }

        public IReadOnlyList<ValidationError> Problems { get; init; } = [];

        /// <summary>The diagram as Mermaid text; null without a plan.</summary>
        public string? Diagram { get; init; }

        /// <summary>Whether new cases start on this version.</summary>
        public bool IsCurrent => Definition is not null && Version is not null && Definition.PublishedVersionId == Version.Id;

        /// <summary>The name of an outcome's target: a step's name, an end state's name with "(end)", or the key.</summary>
        public string TargetName(string key) => Plan is null ? key
            : Plan.TryGetStep(key, out var s) ? s.Name
            : Plan.TryGetEndState(key, out var e) ? e.Name + " (end)" : key;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status);
        }

        if (request.Number < 1 || await store.GetVersionAsync(definition.DefinitionKey, request.Number, cancellationToken) is not { } version)
        {
            return new Result(CaseCommandStatus.NotFound);
        }

        WorkflowPlan? plan, shown;
        IReadOnlyList<ValidationError> problems = [];
        if (version.IsPublished)
        {
            plan = await catalog.GetPlanAsync(version.Id, cancellationToken);
            shown = await catalog.GetDisplayPlanAsync(version.Id, cancellationToken: cancellationToken);
        }
        else
        {
            var check = WorkflowDefinitions.Check(version.Content);
            problems = check.Errors;
            plan = check.IsValid ? WorkflowPlan.Compile(check.Document!) : null;
            shown = plan;
        }

        return new Result(CaseCommandStatus.Done)
        {
            Definition = definition,
            Version = version,
            Plan = plan,
            Problems = problems,
            Diagram = shown is null ? null : WorkflowDiagram.Mermaid(shown),
        };
    }
}
