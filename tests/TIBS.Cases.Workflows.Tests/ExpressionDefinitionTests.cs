using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Expression conditions and decision tables in a definition: checked with path, line and column, then run.</summary>
public sealed class ExpressionDefinitionTests
{
    internal const string Yaml = """
        key: grant-review
        name: Grant review
        version: 1
        stages:
          - key: main
            name: Main
            steps:
              - key: intake
                name: Intake
                role: broker
                form:
                  - { key: employees, label: Employees, type: number, required: true }
                  - { key: founded, label: Founded, type: date }
                outcomes:
                  - { key: next, label: Next, to: review }
              - key: review
                name: Review
                role: coordinator
                form:
                  - { key: amount, label: Amount, type: number }
                outcomes:
                  - key: approve
                    label: Approve
                    to: approved
                    conditions:
                      - expression: "decision.eligibility == \"eligible\" && form.amount <= 200000"
                  - key: reject
                    label: Reject
                    to: rejected
                    conditions:
                      - expression: "decision.eligibility != \"eligible\" || form.amount > 200000"
        end-states:
          - { key: approved, name: Approved, kind: success }
          - { key: rejected, name: Rejected, kind: failure }
        decisions:
          - key: eligibility
            name: Eligibility
            hit-policy: first
            inputs:
              - { label: Employees, expression: "steps.intake.employees", kind: number }
              - { label: Country, expression: "case.country", kind: text }
            output: { kind: text, values: [eligible, not-eligible] }
            rules:
              - { when: ["< 250", "PL, LV, EE, LT"], then: eligible }
              - { when: [">= 250", "-"], then: not-eligible }
              - { when: ["-", "-"], then: not-eligible }
        """;

    private static ValidationError Single(string yaml)
    {
        var check = WorkflowDefinitions.Check(yaml);
        return Assert.Single(check.Errors);
    }

    /// <summary>Line and column (1-based) where <paramref name="needle"/> starts in <paramref name="yaml"/>.</summary>
    private static (int Line, int Column) Where(string yaml, string needle)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (i + 1, at + 1);
            }
        }

        throw new InvalidOperationException($"'{needle}' is not in the YAML.");
    }

    [Fact]
    public void The_definition_with_expressions_and_a_decision_table_is_valid()
    {
        Assert.Empty(WorkflowDefinitions.Check(Yaml).Errors);
    }

    [Fact]
    public void A_misspelt_field_is_reported_with_path_line_and_column_and_a_suggestion()
    {
        var yaml = Yaml.Replace("&& form.amount <= 200000", "&& form.amont <= 200000", StringComparison.Ordinal);

        var error = Single(yaml);

        Assert.Equal("stages[0].steps[1].outcomes[0].conditions[0].expression", error.Path);
        Assert.Contains("'form.amont' is not known here (did you mean 'form.amount'?)", error.Message, StringComparison.Ordinal);
        Assert.Equal(Where(yaml, "form.amont"), (error.Position!.Value.Line, error.Position.Value.Column));
    }

    [Fact]
    public void A_date_compared_with_a_number_is_reported_where_the_comparison_is()
    {
        var yaml = Yaml.Replace("form.amount > 200000\"", "steps.intake.founded > 2020\"", StringComparison.Ordinal);

        var error = Single(yaml);

        Assert.Equal("stages[0].steps[1].outcomes[1].conditions[0].expression", error.Path);
        Assert.Contains("steps.intake.founded (a date) and a number", error.Message, StringComparison.Ordinal);
        Assert.Equal(Where(yaml, "> 2020"), (error.Position!.Value.Line, error.Position.Value.Column));
    }

    [Fact]
    public void An_expression_bomb_in_a_definition_is_refused()
    {
        var nested = new string('(', 40) + "form.amount > 1" + new string(')', 40);
        var yaml = Yaml.Replace("form.amount > 200000\"", nested + "\"", StringComparison.Ordinal);

        var error = Single(yaml);

        Assert.Contains("nested more than 24 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_input_is_type_checked_too()
    {
        var yaml = Yaml.Replace("\"steps.intake.employees\"", "\"steps.intake.employes\"", StringComparison.Ordinal);

        var error = Single(yaml);

        Assert.Equal("decisions[0].inputs[0].expression", error.Path);
        Assert.Contains("did you mean 'steps.intake.employees'?", error.Message, StringComparison.Ordinal);
        Assert.Equal(Where(yaml, "steps.intake.employes").Line, error.Position!.Value.Line);
    }

    [Fact]
    public void Overlapping_rules_under_hit_policy_unique_are_reported_with_an_example()
    {
        var yaml = Yaml.Replace("hit-policy: first", "hit-policy: unique", StringComparison.Ordinal);

        var errors = WorkflowDefinitions.Check(yaml).Errors;

        var overlap = Assert.Single(errors, e => e.Message.Contains("Rules 1 and 3", StringComparison.Ordinal));
        Assert.Equal("decisions[0].rules[2]", overlap.Path);
        Assert.Contains("for example when Employees is below 250 and Country is \"EE\"", overlap.Message, StringComparison.Ordinal);
        Assert.Contains(errors, e => e.Message.Contains("Rules 2 and 3", StringComparison.Ordinal));
        Assert.Equal(Where(yaml, "when: [\"-\", \"-\"]").Line, overlap.Position!.Value.Line);
    }

    [Fact]
    public void A_gap_is_reported_when_there_is_no_default()
    {
        var yaml = Yaml.Replace("      - { when: [\"-\", \"-\"], then: not-eligible }", "", StringComparison.Ordinal);

        var error = Single(yaml);

        Assert.Equal("decisions[0]", error.Path);
        Assert.Equal("No rule of 'Eligibility' applies when Employees is below 250 and Country is a value other than EE, LT, LV, PL; add a rule for it or a default.", error.Message);
    }

    [Fact]
    public void A_default_closes_the_gap()
    {
        var yaml = Yaml.Replace("      - { when: [\"-\", \"-\"], then: not-eligible }", "", StringComparison.Ordinal)
            .Replace("hit-policy: first", "hit-policy: unique\n    default: not-eligible", StringComparison.Ordinal);

        Assert.Empty(WorkflowDefinitions.Check(yaml).Errors);
    }

    [Theory]
    [InlineData("[\">= 250\", \"-\"]", "[\">= 251\", \"-\"]", "Employees is exactly 250")]
    [InlineData("[\">= 250\", \"-\"]", "[\"250..1000\", \"-\"]", "Employees is above 1000")]
    [InlineData("[\"< 250\", \"-\"]", "[\"< 250\", \"DE\"]", "Employees is below 250 and Country is a value other than DE, EE, LT, LV, PL")]
    public void Gaps_are_found_exactly_at_the_edges(string rule, string replacement, string gap)
    {
        var yaml = Yaml.Replace("      - { when: [\"-\", \"-\"], then: not-eligible }", "      - { when: [\"< 250\", \"-\"], then: not-eligible }", StringComparison.Ordinal)
            .Replace(rule, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Yaml, yaml);

        var error = Single(yaml);

        Assert.Contains($"applies when {gap};", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Date_inputs_have_no_gap_between_consecutive_days()
    {
        var yaml = Yaml.Replace("\"steps.intake.employees\", kind: number", "\"steps.intake.founded\", kind: date", StringComparison.Ordinal)
            .Replace("[\"< 250\", \"PL, LV, EE, LT\"]", "[\"< 2020-01-01\", \"-\"]", StringComparison.Ordinal)
            .Replace("[\">= 250\", \"-\"]", "[\"2020-01-01..2024-12-31\", \"-\"]", StringComparison.Ordinal)
            .Replace("      - { when: [\"-\", \"-\"], then: not-eligible }", "      - { when: [\"> 2024-12-31\", \"-\"], then: not-eligible }", StringComparison.Ordinal)
            .Replace("Employees", "Founded", StringComparison.Ordinal)
            .Replace("hit-policy: first", "hit-policy: unique", StringComparison.Ordinal);

        Assert.Empty(WorkflowDefinitions.Check(yaml).Errors);
    }

    [Fact]
    public void A_rule_hidden_by_earlier_rules_under_hit_policy_first_is_reported()
    {
        var yaml = Yaml + "\n      - { when: [\"10\", \"PL\"], then: eligible }";

        var error = Single(yaml);

        Assert.Equal("decisions[0].rules[3]", error.Path);
        Assert.Contains("Rule 4 of 'Eligibility' can never apply", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"< 250\", \"PL, LV, EE, LT\"]", "[\"few\", \"PL\"]", "decisions[0].rules[0].when[0]", "'few' is not a number, a comparison (>= 10) or a range (10..250)")]
    [InlineData("[\"< 250\", \"PL, LV, EE, LT\"]", "[\"< 250\", \">= PL\"]", "decisions[0].rules[0].when[1]", "is not a text value")]
    [InlineData("[\"< 250\", \"PL, LV, EE, LT\"]", "[\"300..10\", \"PL\"]", "decisions[0].rules[0].when[0]", "is empty: its start is after its end")]
    [InlineData("[\"< 250\", \"PL, LV, EE, LT\"]", "[\"< 250\"]", "decisions[0].rules[0].when", "has 1 cell(s) but the table has 2 input(s)")]
    [InlineData("then: eligible", "then: maybe", "decisions[0].rules[0].then", "gives 'maybe', which is not one of the allowed values (eligible, not-eligible)")]
    [InlineData("kind: number", "kind: amount", "decisions[0].inputs[0].kind", "must be one of number, date, text, boolean")]
    public void Cells_outputs_and_kinds_that_do_not_fit_are_reported(string from, string to, string path, string message)
    {
        var yaml = Yaml.Replace(from, to, StringComparison.Ordinal);

        var errors = WorkflowDefinitions.Check(yaml).Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Expressions_and_tables_survive_a_round_trip_through_the_writer()
    {
        var document = WorkflowDefinitions.Load(Yaml).Document!;

        var written = WorkflowDefinitions.ToYaml(document);
        var again = WorkflowDefinitions.Load(written);

        Assert.True(again.Succeeded, string.Join("; ", again.Errors));
        Assert.Equal(WorkflowDefinitions.ContentHash(document), WorkflowDefinitions.ContentHash(again.Document!));
        Assert.Equal(document.Decisions[0].Rules[1].When, again.Document!.Decisions[0].Rules[1].When);
        Assert.Contains("expression: \"decision.eligibility == \\\"eligible\\\" && form.amount <= 200000\"", written, StringComparison.Ordinal);
    }

    private static readonly WorkflowPlan Plan = WorkflowDefinitions.Compile(Yaml);

    private static Dictionary<string, object?> Case(decimal? employees, string country, decimal? amount) => new()
    {
        ["steps.intake.employees"] = employees,
        ["case.country"] = country,
        ["form.amount"] = amount,
    };

    [Theory]
    [InlineData(12, "LV", 150000, true)]
    [InlineData(12, "LV", 250000, false)]
    [InlineData(300, "LV", 150000, false)]
    [InlineData(12, "DE", 150000, false)]
    public async Task The_outcome_is_gated_by_the_expression_and_the_table(int employees, string country, int amount, bool approvable)
    {
        var values = Case(employees, country, amount);
        var evaluator = ConditionEvaluators.From(check => ExpressionConditions.Judge(check.Plan, check.Condition, values));

        var actions = await new WorkflowRuntime(Plan).GetActionsAsync(new CaseSnapshot("review", false), evaluator);

        Assert.Equal(approvable, actions.Single(a => a.Key == "approve").IsAllowed);
        Assert.Equal(!approvable, actions.Single(a => a.Key == "reject").IsAllowed);
    }

    [Fact]
    public async Task A_failing_expression_makes_the_outcome_unavailable_with_its_reason()
    {
        var values = Case(null, "LV", 1000);
        var evaluator = ConditionEvaluators.From(check => ExpressionConditions.Judge(check.Plan, check.Condition, values));

        var actions = await new WorkflowRuntime(Plan).GetActionsAsync(new CaseSnapshot("review", false), evaluator);

        var approve = actions.Single(a => a.Key == "approve");
        Assert.False(approve.IsAllowed);
        var reason = Assert.Single(approve.Unmet).Reason;
        Assert.Equal("The rule decision.eligibility == \"eligible\" && form.amount <= 200000 cannot be decided: 'Eligibility' cannot be decided: Employees: steps.intake.employees is not filled in.", reason);
    }

    [Fact]
    public void The_diagram_shows_an_expression_condition_in_words_with_its_characters_escaped()
    {
        var mermaid = Diagrams.WorkflowDiagram.Mermaid(Plan);

        Assert.Contains("The rule decision.eligibility == #34;eligible#34; #38;#38; form.amount #60;= 200000 holds", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("\"eligible\"", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void Decision_tables_evaluate_on_their_own()
    {
        var table = Plan.Decisions["eligibility"];

        Assert.Equal("eligible", table.Evaluate(Case(249, "PL", null)).Value);
        Assert.Equal("not-eligible", table.Evaluate(Case(250, "PL", null)).Value);
        Assert.Equal("not-eligible", table.Evaluate(Case(10, "SE", null)).Value);
    }
}
