using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Conditions built in the structured editor's form, and the places that keep a field or a step from being removed.</summary>
public sealed class ExpressionBuilderTests
{
    [Theory]
    [InlineData("form.amount", ">=", "10000", ExpressionValueKind.Number, "form.amount >= 10000")]
    [InlineData("case.country", "==", "LV", ExpressionValueKind.Text, "case.country == \"LV\"")]
    [InlineData("form.note", "!=", "say \"hi\"", ExpressionValueKind.Text, "form.note != \"say \\\"hi\\\"\"")]
    [InlineData("form.consent", "==", "yes", ExpressionValueKind.Boolean, "form.consent == true")]
    [InlineData("form.signed", "<=", "2026-12-31", ExpressionValueKind.Date, "form.signed <= date(\"2026-12-31\")")]
    [InlineData("partners.countries", "contains", "DE", ExpressionValueKind.TextList, "\"DE\" in partners.countries")]
    public void A_condition_built_from_its_parts_is_an_expression_the_checker_accepts_and_reads_back_into_the_same_parts(string read, string op, string value, ExpressionValueKind kind, string expected)
    {
        var (expression, problem) = ExpressionBuilder.Compose(read, op, value, kind);

        Assert.Null(problem);
        Assert.Equal(expected, expression);
        var scope = new ExpressionScope(new Dictionary<string, ExpressionValueKind> { [read] = kind });
        Assert.Empty(WorkflowExpressions.Engine.Check(expression!, scope, ExpressionValueKind.Boolean));
        Assert.Equal((read, op, value), ExpressionBuilder.Parse(expression));
    }

    [Theory]
    [InlineData(">=", "lots", ExpressionValueKind.Number, "Enter a number for form.x")]
    [InlineData(">", "b", ExpressionValueKind.Text, "compare it with “is” or “is not”")]
    [InlineData("==", "maybe", ExpressionValueKind.Boolean, "enter yes or no")]
    [InlineData("==", "31.12.2026", ExpressionValueKind.Date, "as YYYY-MM-DD")]
    [InlineData("contains", "a", ExpressionValueKind.Number, "only applies to lists")]
    [InlineData("~", "1", ExpressionValueKind.Number, "Choose how form.x is compared")]
    public void A_value_that_does_not_fit_what_is_read_is_refused_in_words(string op, string value, ExpressionValueKind kind, string words)
    {
        var (expression, problem) = ExpressionBuilder.Compose("form.x", op, value, kind);

        Assert.Null(expression);
        Assert.Contains(words, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expression_that_is_more_than_one_comparison_is_not_read_back_into_the_form()
    {
        Assert.Null(ExpressionBuilder.Parse("form.a > 1 && form.b < 2"));
        Assert.Null(ExpressionBuilder.Parse("count(form.list) > 1"));
    }

    [Fact]
    public void The_places_that_read_a_field_or_lead_to_a_step_are_named()
    {
        var document = WorkflowDefinitions.Load(ExpressionDefinitionTests.Yaml).Document!;

        Assert.Equal(["input 1 (“Employees”) of decision table “Eligibility” (eligibility)"], DefinitionReferences.FieldUses(document, "intake", "employees"));
        Assert.Empty(DefinitionReferences.FieldUses(document, "intake", "founded"));
        Assert.Equal(2, DefinitionReferences.FieldUses(document, "review", "amount").Count);
        Assert.Equal(["the definition's start (new cases begin in this step)", "decision table “Eligibility” (eligibility) reads its form"], DefinitionReferences.StepUses(document, "intake"));
        Assert.Equal(["outcome “Next” (next) of step “Intake” (intake)"], DefinitionReferences.StepUses(document, "review"));
    }
}
