using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

public sealed class LoaderTests
{
    [Fact]
    public void Loads_the_shipped_definition_with_its_details()
    {
        var result = WorkflowYamlLoader.Load(TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml"));

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        var document = result.Document!;
        Assert.Equal("SME Joint Smart Strategy", document.Name);
        Assert.Equal(["needs-assessment", "partner-search", "agreement", "follow-up"], document.Stages.Select(s => s.Key));
        var intake = document.Stages[0].Steps[0];
        Assert.Equal(("intake", "broker", "P5D"), (intake.Key, intake.Role, intake.Due));
        Assert.Equal(new ReminderDefinition { After = "P3D", To = "coordinator" }, intake.Reminders.Single());
        var consent = intake.Outcomes[0].Conditions[1];
        Assert.Equal("field-equals", consent.Name);
        Assert.Equal("contact-data-consent", consent.Arguments!["field"]);
        Assert.Equal("yes", consent.Arguments["value"]);
        var assessment = document.Stages[0].Steps[2];
        Assert.Equal(new EscalationDefinition { After = "P20D", To = "coordinator" }, assessment.Escalation);
        Assert.Equal("P7D", assessment.Reminders.Single().After);
        var checkIn = document.CheckIns.Single();
        Assert.Equal(("follow-up-check-ins", "P3M", "P12M"), (checkIn.Step, checkIn.Every, checkIn.For));
        // The anchor &rating-scale is reused by the check-in form.
        Assert.Equal(5, checkIn.Form.Single(f => f.Key == "rating").Options.Count);
    }

    [Fact]
    public void Loads_from_a_stream()
    {
        using var stream = File.OpenRead(Path.Combine(TestFiles.WorkflowsFolder, "joint-smart-strategy", "v2.yaml"));

        var result = WorkflowYamlLoader.Load(stream);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Document!.Version);
        Assert.Contains(result.Document.Stages[0].Steps, s => s.Key == "internationalisation-readiness");
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_line_and_never_throws()
    {
        const string Yaml = """
            key: broken
            name: Broken
            version: 1
            stages:
              - key: one
                name: "unterminated
                steps: []
            """;

        var result = WorkflowYamlLoader.Load(Yaml);

        Assert.False(result.Succeeded);
        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.InRange(error.Line, 6, 8);
        Assert.StartsWith("The YAML is malformed:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_indentation_reports_the_line()
    {
        var result = WorkflowYamlLoader.Load("key: a\nname: b\n  version: 1\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n# only a comment\n")]
    public void Empty_files_are_reported(string yaml)
    {
        var result = WorkflowYamlLoader.Load(yaml);

        Assert.Contains("empty", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_shapes_and_unknown_keys_are_reported_with_paths_and_positions()
    {
        const string Yaml = """
            key: shapes
            name: Shapes
            version: one
            endStates: []
            stages:
              - key: s
                name: S
                steps: just-text
              - key: t
                name: T
                steps:
                  - key: a
                    name: A
                    role: broker
                    outcome: []
                    form:
                      - key: f
                        label: F
                        type: text
                        required: maybe
            """;

        var result = WorkflowYamlLoader.Load(Yaml);

        Assert.Null(result.Document);
        var byPath = result.Errors.ToDictionary(e => e.Path);
        Assert.Contains("'version' must be a whole number, not 'one'", byPath["version"].Message, StringComparison.Ordinal);
        Assert.Equal(3, byPath["version"].Line);
        Assert.Contains("Unknown key 'endStates'", byPath["endStates"].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'end-states'?", byPath["endStates"].Message, StringComparison.Ordinal);
        Assert.Contains("'steps' must be a list", byPath["stages[0].steps"].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'outcomes'?", byPath["stages[1].steps[0].outcome"].Message, StringComparison.Ordinal);
        Assert.Equal((15, 9), (byPath["stages[1].steps[0].outcome"].Line, byPath["stages[1].steps[0].outcome"].Column));
        Assert.Contains("'required' must be true or false, not 'maybe'", byPath["stages[1].steps[0].form[0].required"].Message, StringComparison.Ordinal);
        Assert.Equal(5, result.Errors.Count);
    }

    [Fact]
    public void Duplicate_yaml_keys_are_reported_not_thrown()
    {
        var result = WorkflowYamlLoader.Load("key: a\nkey: b\nname: x\nversion: 1\n");

        Assert.False(result.Succeeded);
        Assert.Equal(2, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void Validation_errors_carry_the_line_of_their_path()
    {
        var yaml = ValidatorTests.Base.Replace("role: coordinator", "role: manager", StringComparison.Ordinal);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("role: manager", StringComparison.Ordinal)) + 1;

        var error = Assert.Single(WorkflowDefinitions.Check(yaml).Errors);

        Assert.Equal("stages[0].steps[1].role", error.Path);
        Assert.Equal(line, error.Position!.Value.Line);
        Assert.Equal("stages[0].steps[1].role: 'manager' is not a role; use one of: broker, partner-broker, coordinator, evaluator, administrator.", error.ToString());
    }

    [Fact]
    public void Written_yaml_loads_back_to_the_same_content()
    {
        var original = TestFiles.V1.Document;

        var yaml = WorkflowYamlWriter.ToYaml(original);
        var reloaded = WorkflowYamlLoader.Load(yaml);

        Assert.True(reloaded.Succeeded, string.Join(Environment.NewLine, reloaded.Errors));
        Assert.StartsWith(WorkflowYamlWriter.SchemaComment, yaml, StringComparison.Ordinal);
        Assert.Equal(WorkflowYamlWriter.ContentHash(original), WorkflowYamlWriter.ContentHash(reloaded.Document!));
        Assert.Equal(yaml, WorkflowYamlWriter.ToYaml(reloaded.Document!));
        Assert.Contains("value: \"yes\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_hash_ignores_comments_and_layout_but_not_content()
    {
        var yaml = ValidatorTests.Base;
        var reformatted = "# a comment\n" + yaml.Replace("reminders: [P3D]", "reminders:\n          - P3D", StringComparison.Ordinal);
        var changed = yaml.Replace("due: P5D", "due: P6D", StringComparison.Ordinal);

        var hash = WorkflowDefinitions.ContentHash(WorkflowYamlLoader.Load(yaml).Document!);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, WorkflowDefinitions.ContentHash(WorkflowYamlLoader.Load(reformatted).Document!));
        Assert.NotEqual(hash, WorkflowDefinitions.ContentHash(WorkflowYamlLoader.Load(changed).Document!));
    }

    [Fact]
    public void A_draft_edited_in_code_is_exported_in_the_same_format()
    {
        var document = TestFiles.V1.Document with { Version = 3, Description = "Line one\nLine two" };

        var yaml = WorkflowDefinitions.ToYaml(document);
        var check = WorkflowDefinitions.Check(yaml);

        Assert.Empty(check.Errors);
        Assert.Equal(3, check.Document!.Version);
        Assert.Equal("Line one\nLine two", check.Document.Description);
    }
}
