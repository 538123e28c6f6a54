using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows;

/// <summary>The result of checking a YAML definition: every problem, with paths and line numbers.</summary>
public sealed record DefinitionCheck(WorkflowDefinitionDocument? Document, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Document is not null && Errors.Count == 0;
}

/// <summary>One-stop entry points for tools (CLI, import at start-up, the definitions editor).</summary>
public static class WorkflowDefinitions
{
    /// <summary>Reads YAML; never throws on bad input.</summary>
    public static WorkflowLoadResult Load(string yaml) => WorkflowYamlLoader.Load(yaml);

    /// <summary>Reads YAML and validates it: load errors, or else every validation error, each with its position.</summary>
    public static DefinitionCheck Check(string yaml)
    {
        var loaded = WorkflowYamlLoader.Load(yaml);
        if (!loaded.Succeeded)
        {
            return new DefinitionCheck(null, [.. loaded.Errors.Select(e => new ValidationError(e.Path, e.Message) { Position = e.Position })]);
        }

        var errors = WorkflowValidator.WithPositions(WorkflowValidator.Validate(loaded.Document!), loaded.SourceMap);
        return new DefinitionCheck(loaded.Document, errors);
    }

    /// <summary>Reads, validates and compiles YAML; throws <see cref="WorkflowDefinitionException"/> listing every problem.</summary>
    public static WorkflowPlan Compile(string yaml)
    {
        var check = Check(yaml);
        return check.IsValid ? WorkflowPlan.Compile(check.Document!) : throw new WorkflowDefinitionException(check.Errors);
    }

    public static string ToYaml(WorkflowDefinitionDocument document) => WorkflowYamlWriter.ToYaml(document);

    public static string ContentHash(WorkflowDefinitionDocument document) => WorkflowYamlWriter.ContentHash(document);
}
