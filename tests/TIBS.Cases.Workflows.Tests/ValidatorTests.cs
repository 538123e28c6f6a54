using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Tests;

public sealed class ValidatorTests
{
    // A small valid workflow; each test breaks it in one way. Steps: stages[0].steps[0] = first,
    // stages[0].steps[1] = second.
    internal const string Base = """
        key: mini
        name: Mini workflow
        version: 1
        stages:
          - key: work
            name: Work
            steps:
              - key: first
                name: First
                role: broker
                due: P5D
                reminders: [P3D]
                escalation: { after: P10D, to: coordinator }
                form:
                  - key: decision
                    label: Decision
                    type: choice
                    required: true
                    options: [go, stop]
                  - key: proof
                    label: Proof
                    type: file
                outcomes:
                  - key: go
                    label: Go on
                    to: second
                    conditions:
                      - form-complete
                      - field-equals: { field: decision, value: go }
                  - key: stop
                    label: Stop
                    to: stopped
                    conditions:
                      - field-equals: { field: decision, value: stop }
              - key: second
                name: Second
                role: coordinator
                form:
                  - key: note
                    label: Note
                    type: textarea
                outcomes:
                  - key: done
                    label: Done
                    to: done
                    conditions:
                      - min-agreed-partners: 1
        end-states:
          - key: done
            name: Done
            kind: success
          - key: stopped
            name: Stopped
            kind: failure
        case-actions:
          - key: withdraw
            label: Withdraw
            kind: withdraw
            to: stopped
            roles: [broker]
        """;

    internal static IReadOnlyList<ValidationError> Errors(string yaml)
    {
        var check = WorkflowDefinitions.Check(yaml);
        Assert.True(check.Document is not null, "the YAML should load: " + string.Join("; ", check.Errors));
        return check.Errors;
    }

    private static IReadOnlyList<ValidationError> Mutated(string find, string replace)
    {
        Assert.Contains(find, Base, StringComparison.Ordinal);
        return Errors(Base.Replace(find, replace, StringComparison.Ordinal));
    }

    private static void AssertError(IReadOnlyList<ValidationError> errors, string path, string fragment) =>
        Assert.True(
            errors.Any(e => e.Path == path && e.Message.Contains(fragment, StringComparison.Ordinal)),
            $"expected '{path}: …{fragment}…' among:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");

    [Fact]
    public void The_base_workflow_is_valid() => Assert.Empty(Errors(Base));

    [Theory]
    [InlineData("unknown outcome target", "to: second", "to: secnd", "stages[0].steps[0].outcomes[0].to", "leads to 'secnd', which is neither a step nor an end state (did you mean 'second'?)")]
    [InlineData("duplicate step key", "key: second", "key: first", "stages[0].steps[1].key", "The step key 'first' is already used by stages[0].steps[0]")]
    [InlineData("duplicate field key", "key: proof", "key: decision", "stages[0].steps[0].form[1].key", "The field key 'decision' is already used by stages[0].steps[0].form[0]")]
    [InlineData("duplicate outcome key", "key: stop\n", "key: go\n", "stages[0].steps[0].outcomes[1].key", "The outcome key 'go' is already used")]
    [InlineData("unknown role", "role: coordinator", "role: manager", "stages[0].steps[1].role", "'manager' is not a role")]
    [InlineData("unknown escalation role", "to: coordinator }", "to: boss }", "stages[0].steps[0].escalation.to", "'boss' is not a role")]
    [InlineData("unknown condition", "- min-agreed-partners: 1", "- min-partners: 1", "stages[0].steps[1].outcomes[0].conditions[0]", "'min-partners' is not a known condition")]
    [InlineData("bad condition parameter", "min-agreed-partners: 1", "min-agreed-partners: one", "stages[0].steps[1].outcomes[0].conditions[0]", "'one' is not a whole number of at least 1")]
    [InlineData("missing condition parameter", "- min-agreed-partners: 1", "- min-agreed-partners", "stages[0].steps[1].outcomes[0].conditions[0]", "min-agreed-partners needs a whole number of at least 1")]
    [InlineData("unexpected condition parameter", "- form-complete", "- form-complete: all", "stages[0].steps[0].outcomes[0].conditions[0]", "form-complete takes no parameter")]
    [InlineData("field-equals without value", "field-equals: { field: decision, value: stop }", "field-equals: { field: decision }", "stages[0].steps[0].outcomes[1].conditions[0]", "field-equals is missing 'value'")]
    [InlineData("field-equals with a value that is not an option", "value: stop }", "value: halt }", "stages[0].steps[0].outcomes[1].conditions[0]", "'halt' is not an option of 'decision'")]
    [InlineData("condition needs a field the step lacks", "field-equals: { field: decision, value: stop }", "field-equals: { field: decison, value: stop }", "stages[0].steps[0].outcomes[1].conditions[0]", "needs a field 'decison' in this step's form, but the form has none (did you mean 'decision'?)")]
    [InlineData("attachment without a file field", "- field-equals: { field: decision, value: stop }", "- field-equals: { field: decision, value: stop }\n              - attachment: signed-agreement", "stages[0].steps[0].outcomes[1].conditions[1]", "attachment: signed-agreement needs a file field 'signed-agreement' in this step's form, but the form has none")]
    [InlineData("attachment on a field that is not a file", "- field-equals: { field: decision, value: stop }", "- field-equals: { field: decision, value: stop }\n              - attachment: decision", "stages[0].steps[0].outcomes[1].conditions[1]", "needs 'decision' to be a file field, but it is a choice field")]
    [InlineData("check-ins-complete without check-ins", "- min-agreed-partners: 1", "- check-ins-complete", "stages[0].steps[1].outcomes[0].conditions[0]", "check-ins-complete needs check-ins bound to this step")]
    [InlineData("unknown field type", "type: textarea", "type: memo", "stages[0].steps[1].form[0].type", "'memo' is not a field type")]
    [InlineData("choice field without options", "options: [go, stop]", "options: []", "stages[0].steps[0].form[0].options", "Choice field 'decision' has no options")]
    [InlineData("bad due duration", "due: P5D", "due: 5 days", "stages[0].steps[0].due", "'5 days' is not an ISO-8601 duration")]
    [InlineData("lowercase duration", "due: P5D", "due: p5d", "stages[0].steps[0].due", "must be written in capitals: P5D")]
    [InlineData("zero duration", "due: P5D", "due: P0D", "stages[0].steps[0].due", "is zero")]
    [InlineData("bad reminder duration", "reminders: [P3D]", "reminders: [P3X]", "stages[0].steps[0].reminders[0].after", "'P3X' is not an ISO-8601 duration")]
    [InlineData("bad escalation duration", "after: P10D", "after: PT", "stages[0].steps[0].escalation.after", "'PT' is not an ISO-8601 duration")]
    [InlineData("outcome weaker than another (subset of conditions)", "value: stop }", "value: go }", "stages[0].steps[0].outcomes[1]", "Whenever outcome 'go' of step 'first' is allowed, outcome 'stop' is allowed too")]
    [InlineData("contradicting conditions in one outcome", "      - field-equals: { field: decision, value: go }", "      - field-equals: { field: decision, value: go }\n              - field-equals: { field: decision, value: stop }", "stages[0].steps[0].outcomes[0].conditions[2]", "can never be allowed: 'decision' cannot be both 'go' and 'stop'")]
    [InlineData("invalid key", "key: second", "key: Second Step", "stages[0].steps[1].key", "'Second Step' is not a valid key")]
    [InlineData("unknown end state kind", "kind: failure", "kind: bad", "end-states[1].kind", "'bad' is not a kind of end state")]
    [InlineData("withdraw to a step", "to: stopped\n    roles", "to: first\n    roles", "case-actions[0].to", "'first' is a step; withdrawing ends a case")]
    [InlineData("unknown case action kind", "kind: withdraw", "kind: cancel", "case-actions[0].kind", "'cancel' is not a kind of case action")]
    [InlineData("unknown case action role", "roles: [broker]", "roles: [broker, boss]", "case-actions[0].roles[1]", "'boss' is not a role")]
    [InlineData("unknown start step", "version: 1\n", "version: 1\nstart: begin\n", "start", "The start step 'begin' is not a step")]
    [InlineData("options on a text field", "type: textarea", "type: textarea\n            options: [a]", "stages[0].steps[1].form[0].options", "'options' only apply to choice and multi-choice fields")]
    [InlineData("taxonomy field without taxonomy", "type: textarea", "type: taxonomy", "stages[0].steps[1].form[0].taxonomy", "needs 'taxonomy:'")]
    [InlineData("unknown taxonomy", "type: textarea", "type: taxonomy\n            taxonomy: nuts", "stages[0].steps[1].form[0].taxonomy", "'nuts' is not a taxonomy")]
    [InlineData("table without columns", "type: textarea", "type: table", "stages[0].steps[1].form[0].columns", "Table field 'note' has no columns")]
    [InlineData("min larger than max", "type: textarea", "type: number\n            min: 10\n            max: 1", "stages[0].steps[1].form[0].min", "'min' (10) is larger than 'max' (1)")]
    [InlineData("version below 1", "version: 1\n", "version: 0\n", "version", "at least 1")]
    public void Each_rule_reports_its_problem_at_its_path(string rule, string find, string replace, string path, string fragment)
    {
        Assert.NotEmpty(rule);
        AssertError(Mutated(find, replace), path, fragment);
    }

    [Fact]
    public void Unreachable_step_is_reported()
    {
        var errors = Mutated("- min-agreed-partners: 1\n", """
            - min-agreed-partners: 1
                  - key: orphan
                    name: Orphan
                    role: broker
                    outcomes:
                      - { key: finish, label: Finish, to: done }

            """);

        AssertError(errors, "stages[0].steps[2]", "Step 'orphan' can never be reached: no sequence of outcomes leads to it from the start step 'first'");
        Assert.Single(errors);
    }

    [Fact]
    public void Step_without_a_way_to_an_end_state_is_reported()
    {
        var errors = Mutated("    to: done\n", "    to: second\n");

        AssertError(errors, "stages[0].steps[1]", "From step 'second' no sequence of outcomes leads to an end state");
        AssertError(errors, "end-states[0]", "End state 'done' is never reached");
    }

    [Fact]
    public void Step_without_outcomes_is_reported()
    {
        var errors = Mutated(
            "        outcomes:\n          - key: done\n            label: Done\n            to: done\n            conditions:\n              - min-agreed-partners: 1\n",
            "");

        AssertError(errors, "stages[0].steps[1].outcomes", "Step 'second' has no outcomes, so a case in it could never move on");
    }

    [Fact]
    public void Duplicate_stage_keys_are_reported()
    {
        var errors = Mutated("end-states:", """
              - key: work
                name: More work
                steps:
                  - key: third
                    name: Third
                    role: broker
                    outcomes:
                      - { key: finish, label: Finish, to: done }
            end-states:
            """);

        AssertError(errors, "stages[1].key", "The stage key 'work' is already used by stages[0]");
    }

    private const string GoConditions = "            conditions:\n              - form-complete\n              - field-equals: { field: decision, value: go }\n";
    private const string StopConditions = "            conditions:\n              - field-equals: { field: decision, value: stop }\n";

    [Fact]
    public void Two_unconditional_outcomes_to_different_places_are_ambiguous()
    {
        var errors = Errors(Base.Replace(GoConditions, "", StringComparison.Ordinal).Replace(StopConditions, "", StringComparison.Ordinal));

        AssertError(errors, "stages[0].steps[0].outcomes[1]", "Outcomes 'go' and 'stop' of step 'first' both have no conditions but lead to different places ('second' and 'stopped')");
    }

    [Fact]
    public void Outcomes_with_the_same_conditions_to_different_places_are_ambiguous()
    {
        var errors = Mutated(GoConditions, StopConditions);

        AssertError(errors, "stages[0].steps[0].outcomes[1]", "Outcomes 'go' and 'stop' of step 'first' have the same conditions but lead to different places");
    }

    [Fact]
    public void Unconditional_outcomes_to_the_same_place_are_not_ambiguous()
    {
        var yaml = Base.Replace(GoConditions, "", StringComparison.Ordinal)
            .Replace(StopConditions, "", StringComparison.Ordinal)
            .Replace("            to: stopped\n", "            to: second\n", StringComparison.Ordinal);

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void Form_complete_on_an_empty_form_is_reported()
    {
        var yaml = Base.Replace("        form:\n          - key: note\n            label: Note\n            type: textarea\n", "", StringComparison.Ordinal)
            .Replace("- min-agreed-partners: 1", "- form-complete", StringComparison.Ordinal);

        AssertError(Errors(yaml), "stages[0].steps[1].outcomes[0].conditions[0]", "form-complete needs a form, but this step's form is empty");
    }

    [Fact]
    public void Hold_without_resume_is_reported()
    {
        var errors = Errors(Base + "\n  - key: hold\n    label: Put on hold\n    kind: hold\n    roles: [broker]\n");

        AssertError(errors, "case-actions[1]", "Cases put on hold could never be resumed");
    }

    [Fact]
    public void Bad_check_in_is_reported()
    {
        var errors = Errors(Base + """

            check-ins:
              - key: quarterly
                name: Quarterly
                step: secnd
                every: P6M
                for: P3M
                form:
                  - { key: rating, label: Rating, type: number }
            """);

        AssertError(errors, "check-ins[0].step", "bound to 'secnd', which is not a step of this workflow (did you mean 'second'?)");
        AssertError(errors, "check-ins[0].for", "Check-ins every 6 months for 3 months would never happen");
    }

    [Fact]
    public void Many_problems_are_all_reported_with_their_paths()
    {
        const string Yaml = """
            key: Many Problems
            name: Many problems
            version: 1
            stages:
              - key: one
                name: One
                steps:
                  - key: start
                    name: Start
                    role: manager
                    due: 5 days
                    form:
                      - { key: a, label: A, type: memo }
                      - { key: a, label: A again, type: choice }
                    outcomes:
                      - key: next
                        label: Next
                        to: nowhere
                      - key: next
                        label: Also next
                        to: finish
                        conditions:
                          - min-partners: 2
                          - attachment: contract
                  - key: island
                    name: Island
                    role: broker
                    outcomes:
                      - { key: out, label: Out, to: finish }
            end-states:
              - { key: finish, name: Finish, kind: success }
            """;

        var errors = Errors(Yaml);

        var expected = new[]
        {
            "key",
            "stages[0].steps[0].role",
            "stages[0].steps[0].due",
            "stages[0].steps[0].form[0].type",
            "stages[0].steps[0].form[1].key",
            "stages[0].steps[0].form[1].options",
            "stages[0].steps[0].outcomes[0].to",
            "stages[0].steps[0].outcomes[1]",
            "stages[0].steps[0].outcomes[1].key",
            "stages[0].steps[0].outcomes[1].conditions[0]",
            "stages[0].steps[0].outcomes[1].conditions[1]",
            "stages[0].steps[1]",
        };
        foreach (var path in expected)
        {
            Assert.True(errors.Any(e => e.Path == path), $"no error at {path} among:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        Assert.Equal(expected.Length, errors.Count);
        Assert.All(errors, e => Assert.NotNull(e.Position));
        Assert.Equal(10, errors.Single(e => e.Path == "stages[0].steps[0].role").Position!.Value.Line);
    }
}
