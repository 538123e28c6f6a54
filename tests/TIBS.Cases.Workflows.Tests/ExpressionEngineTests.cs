using TIBS.Cases.Workflows.Expressions;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>The expression engine: what coordinators can write, what it refuses, and that it never throws.</summary>
public sealed class ExpressionEngineTests
{
    private static readonly IExpressionEngine Engine = WorkflowExpressions.Engine;

    private static readonly ExpressionScope Scope = new(new Dictionary<string, ExpressionValueKind>
    {
        ["form.eligible"] = ExpressionValueKind.Boolean,
        ["form.amount"] = ExpressionValueKind.Number,
        ["form.contact-data-consent"] = ExpressionValueKind.Boolean,
        ["steps.eligibility.sector"] = ExpressionValueKind.Text,
        ["partners.agreed"] = ExpressionValueKind.Number,
        ["partners.countries"] = ExpressionValueKind.TextList,
        ["case.opened"] = ExpressionValueKind.Date,
        ["case.country"] = ExpressionValueKind.Text,
        ["step.started"] = ExpressionValueKind.Timestamp,
        ["today"] = ExpressionValueKind.Date,
    });

    private static readonly Dictionary<string, object?> Values = new()
    {
        ["form.eligible"] = true,
        ["form.amount"] = 12_500m,
        ["form.contact-data-consent"] = false,
        ["steps.eligibility.sector"] = "manufacturing",
        ["partners.agreed"] = 2,
        ["partners.countries"] = new[] { "LV", "EE" },
        ["case.opened"] = new DateOnly(2026, 1, 10),
        ["case.country"] = "PL",
        ["step.started"] = new DateTimeOffset(2026, 2, 1, 9, 30, 0, TimeSpan.Zero),
        ["today"] = new DateOnly(2026, 3, 1),
    };

    [Theory]
    [InlineData("form.eligible && form.amount >= 10000", true)]
    [InlineData("form.amount * 2 > 30000 || partners.agreed == 2", true)]
    [InlineData("!form.contact_data_consent", true)]
    [InlineData("\"LV\" in partners.countries", true)]
    [InlineData("case.country in [\"LV\", \"EE\", \"LT\"]", false)]
    [InlineData("count(partners.countries) >= 2 && partners.agreed + 1 == 3", true)]
    [InlineData("days_between(case.opened, today) == 50", true)]
    [InlineData("case.opened < date(\"2026-02-01\")", true)]
    [InlineData("step.started > case.opened", true)]
    [InlineData("steps.eligibility.sector == \"manufacturing\" ? partners.agreed >= 1 : false", true)]
    [InlineData("form.amount / 4 == 3125", true)]
    public void Evaluates_what_a_coordinator_writes(string text, bool expected)
    {
        Assert.Empty(Engine.Check(text, Scope, ExpressionValueKind.Boolean));

        var result = Engine.Evaluate(text, Values);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Numbers_come_back_as_decimals()
    {
        var result = Engine.Evaluate("form.amount / 1000 + 0.5", Values);

        Assert.Equal(13m, result.Value);
    }

    [Theory]
    [InlineData("form.eligble == true", "did you mean 'form.eligible'?", 1)]
    [InlineData("case.opened == 5", "Cannot compare case.opened (a date) with a number", 13)]
    [InlineData("case.opened > 5", "'>' compares two numbers, two dates or two texts, but here it has case.opened (a date) and a number", 13)]
    [InlineData("form.amount > \"10\"", "compares two numbers, two dates or two texts", 13)]
    [InlineData("form.eligible && form.amount", "must be a yes/no value, but it is form.amount (a number)", 18)]
    [InlineData("case.country in partners.agreed", "'in' needs a list", 14)]
    [InlineData("today - case.opened > 3", "days_between(earlier, later)", 7)]
    [InlineData("size(partners.countries) > 1", "'size' is not a known function", 1)]
    [InlineData("partners.countries.exists(c, c == \"PL\")", "Methods such as '.exists(...)'", 20)]
    [InlineData("form.amount >", "ends too early", 14)]
    [InlineData("form.amount and true", "'and' is not expected here", 13)]
    public void Type_errors_say_what_and_where(string text, string expected, int column)
    {
        var problems = Engine.Check(text, Scope, ExpressionValueKind.Boolean);

        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal(column, problem.Column);
    }

    [Fact]
    public void A_result_of_the_wrong_kind_is_a_problem()
    {
        var problem = Assert.Single(Engine.Check("form.amount + 1", Scope, ExpressionValueKind.Boolean));

        Assert.Contains("must give a yes/no value, but it gives a number", problem.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Bombs() => new()
    {
        { new string('(', 200) + "true" + new string(')', 200), "nested more than" },
        { string.Concat(Enumerable.Repeat("!", 5000)) + "true", "characters long" },
        { string.Concat(Enumerable.Repeat("!", 100)) + "true", "nested more than" },
        { "form.amount > 1" + new string('0', 40), "too large" },
        { "form.amount > 1e308", "too large" },
        { "case.country == \"" + new string('x', 500) + "\"", "texts in expressions have at most" },
        { "case.country in [" + string.Join(", ", Enumerable.Range(0, 60).Select(i => $"\"{i}\"")) + "]", "at most 50 are allowed" },
        { string.Join(" || ", Enumerable.Repeat("form.eligible", 200)), "characters long" },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public void An_expression_bomb_is_refused_at_check_and_at_evaluation(string text, string expected)
    {
        var problems = Engine.Check(text, Scope, ExpressionValueKind.Boolean);
        Assert.Contains(problems, p => p.Message.Contains(expected, StringComparison.Ordinal));

        var result = Engine.Evaluate(text, Values);
        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("form.amount / (partners.agreed - 2) > 1", "divides by zero")]
    [InlineData("form.missing == true", "form.missing is not filled in")]
    [InlineData("today.year == 2026", "today is a single value; it has no part 'year'")]
    [InlineData("date(case.country) > today", "is not a date written as YYYY-MM-DD")]
    [InlineData("form.eligible &&", "cannot be read")]
    [InlineData("{\"a\": 1}.a == 1", "Maps and messages")]
    public void A_failing_expression_gives_a_reason_and_never_throws(string text, string expected)
    {
        var result = Engine.Evaluate(text, Values);

        Assert.False(result.Succeeded);
        Assert.False(result.IsTrue);
        Assert.Contains(expected, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_left_empty_is_not_filled_in_and_has_tells_it()
    {
        var values = new Dictionary<string, object?>(Values) { ["form.amount"] = null };

        Assert.Contains("form.amount is not filled in", Engine.Evaluate("form.amount > 1", values).FailureReason, StringComparison.Ordinal);
        Assert.Equal(false, Engine.Evaluate("has(form.amount)", values).Value);
        Assert.Equal(true, Engine.Evaluate("!has(form.amount) || form.amount > 1", values).Value);
    }

    [Fact]
    public void Objects_of_the_application_never_reach_the_expression()
    {
        var values = new Dictionary<string, object?> { ["case.owner"] = new Uri("https://example.org/") };

        var result = Engine.Evaluate("case.owner.Host == \"example.org\"", values);

        Assert.False(result.Succeeded);
        Assert.Contains("case.owner", result.FailureReason, StringComparison.Ordinal);
    }
}
