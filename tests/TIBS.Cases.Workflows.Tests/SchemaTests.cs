using System.Text.Json;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>The JSON schema editors use must offer exactly what the validator accepts.</summary>
public sealed class SchemaTests
{
    private static readonly JsonElement Defs = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestFiles.WorkflowsFolder, "workflow.schema.json")))
        .RootElement.GetProperty("$defs");

    private static string[] Enum(JsonElement element) => [.. element.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void The_schema_lists_the_roles_field_types_and_taxonomies_of_the_library()
    {
        Assert.Equal(WorkflowNames.Roles.Order(), Enum(Defs.GetProperty("role")).Order());
        Assert.Equal(WorkflowNames.FieldTypes.Order(), Enum(Defs.GetProperty("fieldType")).Order());
        Assert.Equal(WorkflowNames.Taxonomies.Order(), Enum(Defs.GetProperty("field").GetProperty("properties").GetProperty("taxonomy")).Order());
        Assert.Equal(WorkflowNames.CaseActionKinds.Order(), Enum(Defs.GetProperty("caseAction").GetProperty("properties").GetProperty("kind")).Order());
        Assert.Equal(WorkflowNames.EndStateKinds.Order(), Enum(Defs.GetProperty("endState").GetProperty("properties").GetProperty("kind")).Order());
    }

    [Fact]
    public void The_schema_lists_every_condition_of_the_catalog()
    {
        var condition = Defs.GetProperty("condition").GetProperty("oneOf");
        var withoutParameter = Enum(condition[0]);
        // 'unmet' is not a condition: it carries the author's words beside an expression.
        var withParameter = condition[1].GetProperty("properties").EnumerateObject().Select(p => p.Name).Where(n => n != "unmet");

        Assert.Equal(
            ConditionCatalog.All.Select(c => c.Name).Order(),
            withoutParameter.Concat(withParameter).Order());
        Assert.Equal(
            ConditionCatalog.All.Where(c => c.Parameter == ConditionParameterKind.None).Select(c => c.Name).Order(),
            withoutParameter.Order());
    }
}
