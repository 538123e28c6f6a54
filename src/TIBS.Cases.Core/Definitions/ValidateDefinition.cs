using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// Checks posted definition text without saving it: every problem with its path (<c>stages[1].steps[2].outcomes[0].to</c>)
/// and, where known, its line. With a <see cref="Request.Key"/> the text is checked as the next version of that
/// definition (as the draft editor does); without, as a file of its own (its key and version as it states them).
/// </summary>
public sealed class ValidateDefinition(IWorkflowStore store, WorkflowCatalog catalog)
{
    /// <summary>The largest text checked (the loader refuses larger definitions anyway).</summary>
    public const int MaxYamlBytes = 512 * 1024;

    public sealed record Request(string? Key, string? Yaml);

    public sealed record Result(CaseCommandStatus Status)
    {
        /// <summary>The definition's key: the one asked for, or the one the text states.</summary>
        public string? Key { get; init; }

        /// <summary>The version number the text is checked as (the next one), or the one it states.</summary>
        public int? Number { get; init; }

        public IReadOnlyList<ValidationError> Problems { get; init; } = [];

        /// <summary>The diagram (Mermaid) of a valid definition; null otherwise.</summary>
        public string? Diagram { get; init; }

        public bool IsValid => Status == CaseCommandStatus.Done && Problems.Count == 0;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var yaml = request.Yaml ?? "";
        if (string.IsNullOrWhiteSpace(request.Key))
        {
            if (DefinitionAccess.ReadRefusal(actor) is { } refusal)
            {
                return new Result(refusal.Status);
            }

            var own = WorkflowDefinitions.Check(yaml, cancellationToken: cancellationToken);
            return Checked(own, own.Document?.Key, own.Document?.Version);
        }

        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status);
        }

        var number = await catalog.NextVersionNumberAsync(definition.DefinitionKey, cancellationToken);
        return Checked(await catalog.CheckDraftAsync(definition.DefinitionKey, number, yaml, cancellationToken), definition.DefinitionKey, number);
    }

    private static Result Checked(DefinitionCheck check, string? key, int? number) => new(CaseCommandStatus.Done)
    {
        Key = key,
        Number = number,
        Problems = check.Errors,
        Diagram = check.IsValid ? WorkflowDiagram.Mermaid(WorkflowPlan.Compile(check.Document!)) : null,
    };
}
