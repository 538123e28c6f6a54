using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>How much a form field may hold: the definition's <c>maxLength</c>, or the default of the field's type.</summary>
public sealed class FieldLimitTests
{
    private const string NotesField = "          - key: notes\n            label: Notes\n            type: textarea\n";

    private static readonly PlanStep Intake = TestFiles.V1.GetStep("intake");

    private static string V1WithNotes(string extra) =>
        TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml").Replace(NotesField, NotesField + extra, StringComparison.Ordinal);

    private static FormValidationResult Validate(PlanStep step, params (string Key, string Value)[] values) =>
        FormValidator.Validate(step, FormInput.FromPairs(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))));

    [Fact]
    public void A_text_area_without_a_declared_limit_takes_20000_characters_and_no_more()
    {
        var fits = Validate(Intake, ("notes", new string('n', FieldLimits.DefaultTextareaLength)));
        var over = Validate(Intake, ("notes", new string('n', 1024 * 1024)));

        Assert.DoesNotContain(fits.Errors, e => e.Field == "notes");
        Assert.Equal("Notes: at most 20,000 characters are allowed (this has 1,048,576).", Assert.Single(over.Errors, e => e.Field == "notes").Message);
        Assert.False(over.Values.ContainsKey("notes"));
    }

    [Fact]
    public void A_one_line_text_without_a_declared_limit_takes_2000_characters()
    {
        var over = Validate(Intake, ("assigned-broker", new string('b', 2001)));
        var fits = Validate(Intake, ("assigned-broker", new string('b', 2000)));

        Assert.Equal("Assigned broker: at most 2,000 characters are allowed (this has 2,001).", Assert.Single(over.Errors, e => e.Field == "assigned-broker").Message);
        Assert.DoesNotContain(fits.Errors, e => e.Field == "assigned-broker");
    }

    [Fact]
    public void A_declared_max_length_is_loaded_written_back_and_enforced()
    {
        var yaml = V1WithNotes("            maxLength: 50\n");
        var check = WorkflowDefinitions.Check(yaml);
        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        var step = WorkflowDefinitions.Compile(yaml).GetStep("intake");

        var over = Validate(step, ("notes", new string('n', 51)));
        var fits = Validate(step, ("notes", new string('n', 50)));
        var written = WorkflowDefinitions.ToYaml(check.Document!);

        Assert.Equal("Notes: at most 50 characters are allowed (this has 51).", Assert.Single(over.Errors, e => e.Field == "notes").Message);
        Assert.Equal(new TextValue(new string('n', 50)), fits.Values["notes"]);
        Assert.Contains("maxLength: 50", written, StringComparison.Ordinal);
        Assert.Equal(50, WorkflowDefinitions.Compile(written).GetStep("intake").Field("notes")!.MaxLength);
    }

    [Theory]
    [InlineData("            maxLength: 0\n", "'maxLength' must be a whole number from 1 to 100000, not 0.")]
    [InlineData("            maxLength: 100001\n", "'maxLength' must be a whole number from 1 to 100000, not 100001.")]
    [InlineData("            maxLength: many\n", "'maxLength' must be a whole number, not 'many'.")]
    public void A_max_length_that_is_not_a_positive_whole_number_within_the_cap_is_refused(string extra, string message)
    {
        var errors = WorkflowDefinitions.Check(V1WithNotes(extra)).Errors;

        Assert.Contains(errors, e => e.Path == "stages[0].steps[0].form[6].maxLength" && e.Message.EndsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_max_length_on_a_field_that_holds_no_free_text_is_refused()
    {
        var yaml = TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml").Replace(
            "            type: boolean\n", "            type: boolean\n            maxLength: 10\n", StringComparison.Ordinal);

        var errors = WorkflowDefinitions.Check(yaml).Errors;

        Assert.Contains(errors, e => e.Path.EndsWith(".maxLength", StringComparison.Ordinal) && e.Message.Contains("'maxLength' only applies to text, textarea, email, phone and url fields", StringComparison.Ordinal));
    }

    [Fact]
    public void A_multi_choice_with_more_values_than_the_cap_is_a_field_error()
    {
        var step = TestFiles.V1.GetStep("needs-assessment");
        var many = Enumerable.Range(0, FieldLimits.MaxValues + 1).Select(n => ("barriers", $"value-{n}")).ToArray();

        var result = Validate(step, many);

        Assert.Equal("Barriers to international cooperation: at most 100 values can be chosen (this has 101).", Assert.Single(result.Errors, e => e.Field == "barriers").Message);
    }

    [Fact]
    public void The_published_definitions_declare_no_limit_and_keep_their_text()
    {
        Assert.DoesNotContain("maxLength", TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml"), StringComparison.Ordinal);
        Assert.All(TestFiles.V1.Steps.SelectMany(s => s.Fields), f => Assert.Null(f.MaxLength));
        Assert.Equal(FieldLimits.DefaultTextareaLength, FieldLimits.MaxLengthOf(Intake.Field("notes")!));
    }
}
