using System.Globalization;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// The engine says why an expression, a condition or an action cannot be used in the language of the person asking
/// (the current UI culture at the moment of asking); names, paths and the expression's text stay as written.
/// </summary>
public sealed class LocalizedMessageTests
{
    private static readonly ExpressionScope Scope = new(new Dictionary<string, ExpressionValueKind>
    {
        ["form.amount"] = ExpressionValueKind.Number,
        ["partners.countries"] = ExpressionValueKind.TextList,
    });

    private static T In<T>(string language, Func<T> act)
    {
        var (ui, culture) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(language);
            return act();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, culture);
        }
    }

    [Theory]
    [InlineData("en", "The expression must give a yes/no value, but it gives a number.")]
    [InlineData("de", "Der Ausdruck muss Folgendes ergeben: ein Ja/Nein-Wert; er ergibt aber: eine Zahl.")]
    [InlineData("lv", "Izteiksmes rezultātam jābūt: jā/nē vērtība, bet tas ir: skaitlis.")]
    public void A_result_of_the_wrong_kind_is_said_in_the_user_s_language(string language, string expected)
    {
        var problem = In(language, () => Assert.Single(WorkflowExpressions.Engine.Check("form.amount + 1", Scope, ExpressionValueKind.Boolean)));

        Assert.Equal(expected, problem.Message);
    }

    [Theory]
    [InlineData("de", "„size“ ist keine bekannte Funktion; die Funktionen sind: count, days_between, date, add, has.")]
    [InlineData("lv", "“size” nav zināma funkcija; funkcijas ir: count, days_between, date, add, has.")]
    public void An_unknown_function_is_named_as_written_in_a_translated_sentence(string language, string expected)
    {
        var problem = In(language, () => Assert.Single(WorkflowExpressions.Engine.Check("size(partners.countries) > 1", Scope, ExpressionValueKind.Boolean)));

        Assert.Equal(expected, problem.Message);
        Assert.Equal(1, problem.Column);
    }

    [Theory]
    [InlineData("de", "Der Ausdruck teilt durch null.")]
    [InlineData("lv", "Izteiksme dala ar nulli.")]
    public void An_evaluation_that_fails_says_why_in_the_user_s_language(string language, string expected)
    {
        var values = new Dictionary<string, object?> { ["form.amount"] = 10m };

        var result = In(language, () => WorkflowExpressions.Engine.Evaluate("form.amount / 0 > 1", values));

        Assert.False(result.Succeeded);
        Assert.Equal(expected, result.FailureReason);
    }

    [Fact]
    public void An_expression_refused_in_one_language_is_refused_in_the_next_language_in_that_one()
    {
        var values = new Dictionary<string, object?>();

        var german = In("de", () => WorkflowExpressions.Engine.Evaluate("form.amount >", values));
        var latvian = In("lv", () => WorkflowExpressions.Engine.Evaluate("form.amount >", values));

        Assert.StartsWith("Der Ausdruck kann nicht gelesen werden: ", german.FailureReason, StringComparison.Ordinal);
        Assert.StartsWith("Izteiksmi nevar nolasīt: ", latvian.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de", "min-agreed-partners: „one“ ist keine ganze Zahl von mindestens 1.", "Mindestens 2 Partner haben der Teilnahme zugestimmt")]
    [InlineData("lv", "min-agreed-partners: “one” nav vesels skaitlis, kas nav mazāks par 1.", "Vismaz 2 partneri ir piekrituši piedalīties")]
    public void A_condition_s_problem_and_its_words_are_in_the_user_s_language(string language, string problem, string words)
    {
        var (problems, described, meaning, operators) = In(language, () => (
            ConditionCatalog.Check(new ConditionRef { Name = ConditionCatalog.MinAgreedPartners, Argument = "one" }, [], false),
            ConditionCatalog.Describe(new ConditionRef { Name = ConditionCatalog.MinAgreedPartners, Argument = "2" }, []),
            ConditionCatalog.TryGet(ConditionCatalog.FindingsAnswered, out var descriptor) ? descriptor.Meaning : null,
            ExpressionBuilder.Operators.Select(o => o.Words).ToList()));

        Assert.Equal(problem, Assert.Single(problems));
        Assert.Equal(words, described);
        Assert.NotEqual("Every finding recorded in the case has an answer.", meaning);
        Assert.DoesNotContain("is at least", operators);
        // Nothing translated stays behind for the next person: English again outside the culture.
        Assert.Equal("Every finding recorded in the case has an answer.", ConditionCatalog.TryGet(ConditionCatalog.FindingsAnswered, out var english) ? english.Meaning : null);
        Assert.Contains("is at least", ExpressionBuilder.Operators.Select(o => o.Words));
    }

    [Theory]
    [InlineData("de", "Der Fall ist bereits pausiert.", "Der Fall ist pausiert; setzen Sie ihn zuerst fort.")]
    [InlineData("lv", "Lieta jau ir apturēta.", "Lieta ir apturēta; vispirms atsāciet to.")]
    public async Task A_runtime_refusal_says_why_in_the_user_s_language(string language, string alreadyOnHold, string resumeFirst)
    {
        var runtime = new WorkflowRuntime(TestFiles.V1);
        var held = await runtime.ApplyCaseActionAsync(new CaseSnapshot("matching"), "hold", "The company is moving offices");
        var (ui, culture) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(language);
            var again = await runtime.ApplyCaseActionAsync(held.After, "hold", "again");
            var actions = await runtime.GetActionsAsync(held.After, new FakeEvaluator());

            Assert.Equal(TransitionStatus.NotAllowed, again.Status);
            Assert.Equal(alreadyOnHold, again.Message);
            Assert.Equal(resumeFirst, actions.Single(a => a.Key == "shortlisted").Unmet[0].Reason);
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, culture);
        }
    }

    [Fact]
    public void A_plan_compiled_once_describes_its_conditions_in_the_language_of_each_reader()
    {
        var plan = In("en", () => WorkflowDefinitions.Compile(TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml")));
        var interested = plan.GetStep("expressions-of-interest").Outcome("partner-found")!.Conditions.Single(c => c.Name == "min-interested-partners");

        Assert.Equal("Mindestens 1 kontaktierter Partner hat Interesse bekundet", In("de", () => interested.Description));
        Assert.Equal("At least 1 contacted partner has expressed interest", In("en", () => interested.Description));
    }
}
