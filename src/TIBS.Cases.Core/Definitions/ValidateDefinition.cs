using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Workflows;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Core.Definitions;

/// <summary>
/// Checks a definition's text as the next version of <see cref="Request.Key"/> without saving it: every problem with
/// its path (<c>stages[1].steps[2].outcomes[0].to</c>) and, where known, its line.
/// </summary>
public sealed class ValidateDefinition(IWorkflowStore store, WorkflowCatalog catalog)
{
    public sealed record Request(string Key, string? Yaml);

    public sealed record Result(CaseCommandStatus Status)
    {
        /// <summary>The version number the text is checked as (the next one).</summary>
        public int Number { get; init; }

        public IReadOnlyList<ValidationError> Problems { get; init; } = [];

        public bool IsValid => Status == CaseCommandStatus.Done && Problems.Count == 0;
    }

    public async Task<Result> HandleAsync(Request request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (definition, refused) = await DefinitionAccess.OpenAsync(store, request.Key, actor, edit: false, cancellationToken);
        if (definition is null)
        {
            return new Result(refused!.Status);
        }

        var number = await catalog.NextVersionNumberAsync(definition.DefinitionKey, cancellationToken);
        var check = await catalog.CheckDraftAsync(definition.DefinitionKey, number, request.Yaml ?? "", cancellationToken);
        return new Result(CaseCommandStatus.Done) { Number = number, Problems = check.Errors };
    }
}
