using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Simulation;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Trying a definition before publishing: random and scripted walks through the real runtime.</summary>
public sealed class SimulationTests
{
    // "many-agreed" needs 200 agreed partners (never simulated), and the definition has no withdraw action, so every walk
    // that reaches the audit step is stuck there: a never-possible outcome and a dead path.
    internal const string Trap = """
        key: trap
        name: A definition with a trap
        version: 1
        stages:
          - key: only
            name: Only stage
            steps:
              - key: intake
                name: Intake
                role: broker
                due: P5D
                reminders: [P3D]
                escalation: { after: P10D, to: coordinator }
                form:
                  - { key: size, label: Size, type: number, required: true, min: 1, max: 250 }
                  - { key: country, label: Country, type: taxonomy, taxonomy: country, required: true }
                  - { key: kind, label: Kind, type: choice, required: true, options: [small, large] }
                  - { key: notes, label: Notes, type: text, maxLength: 20 }
                  - { key: contact, label: Contact, type: email }
                  - { key: proof, label: Proof, type: file }
                  - { key: actions, label: Actions, type: table, columns: [ { key: what, label: What, type: text, required: true }, { key: due-date, label: Due, type: date } ] }
                outcomes:
                  - { key: small, label: Small company, to: review, conditions: [ { field-equals: { field: kind, value: small } } ] }
                  - { key: large, label: Large company, to: review, conditions: [ { field-equals: { field: kind, value: large } } ] }
              - key: review
                name: Review
                role: coordinator
                due: P3D
                form:
                  - { key: decision, label: Decision, type: choice, required: true, options: [finish, audit] }
                outcomes:
                  - { key: agreed, label: Finish, to: done, conditions: [ { field-equals: { field: decision, value: finish } } ] }
                  - { key: audited, label: Audit it, to: audit, conditions: [ { field-equals: { field: decision, value: audit } } ] }
              - key: audit
                name: Audit
                role: evaluator
                form:
                  - { key: grade, label: Grade, type: choice, options: [a, b] }
                outcomes:
                  - { key: many-agreed, label: Many agreed, to: done, conditions: [ { min-agreed-partners: 200 } ] }
        end-states:
          - { key: done, name: Done, kind: success }
        """;

    private static WorkflowPlan TrapPlan => WorkflowDefinitions.Compile(Trap);

    [Fact]
    public async Task Finds_an_outcome_that_no_walk_could_take_and_says_why()
    {
        var report = await WorkflowSimulator.RunAsync(TrapPlan, new SimulationOptions { Walks = 200, Seed = 7 });

        var never = Assert.Single(report.NeverPossible);
        Assert.Equal(("audit", "many-agreed"), (never.StepKey, never.Key));
        Assert.Contains(never.Reasons, r => r.Reason.Contains("Needs at least 200 partner(s) who agreed", StringComparison.Ordinal));
        Assert.True(report.HasFindings);
        Assert.All(report.Outcomes.Where(o => o.Key != "many-agreed"), o => Assert.True(o.Taken > 0, $"{o.StepKey}:{o.Key} was never taken"));
    }

    [Fact]
    public async Task Finds_a_dead_path_where_walks_get_stuck()
    {
        var report = await WorkflowSimulator.RunAsync(TrapPlan, new SimulationOptions { Walks = 200, Seed = 7 });

        var dead = Assert.Single(report.DeadPaths);
        Assert.Equal("audit", dead.StepKey);
        Assert.Equal(report.Steps.Single(s => s.Key == "audit").Walks, dead.Walks);
        Assert.Equal(["intake", "review", "audit"], dead.ExamplePath);
        Assert.Equal(200 - dead.Walks, report.EndStates.Single(e => e.Key == "done").Walks);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_walks_and_another_seed_other_walks()
    {
        var a = await WorkflowSimulator.RunAsync(TestFiles.V4, new SimulationOptions { Walks = 50, Seed = 42 });
        var b = await WorkflowSimulator.RunAsync(TestFiles.V4, new SimulationOptions { Walks = 50, Seed = 42 });
        var c = await WorkflowSimulator.RunAsync(TestFiles.V4, new SimulationOptions { Walks = 50, Seed = 43 });

        Assert.Equal(SimulationText.Format(a), SimulationText.Format(b));
        Assert.NotEqual(SimulationText.Format(a), SimulationText.Format(c));
    }

    [Fact]
    public async Task Reminders_and_escalations_fire_when_walks_take_longer_than_the_step_allows()
    {
        var report = await WorkflowSimulator.RunAsync(TrapPlan, new SimulationOptions { Walks = 200, Seed = 3 });

        var intake = report.Timers.Where(t => t.StepKey == "intake").ToList();
        var reminder = Assert.Single(intake, t => t.Kind == "Reminder");
        var escalation = Assert.Single(intake, t => t.Kind == "Escalation");
        Assert.Equal(3, reminder.FirstDayInStep);
        Assert.Equal(10, escalation.FirstDayInStep);
        Assert.InRange(escalation.Fired, 1, reminder.Fired - 1);
    }

    [Fact]
    public async Task Generated_form_data_passes_the_real_form_validator()
    {
        var faker = new Bogus.Faker { Random = new Bogus.Randomizer(5) };
        var forms = new SimulatedForms(faker, SimulationTaxonomies.Sample);
        var lookup = SimulationTaxonomies.Lookup(SimulationTaxonomies.Sample);
        var fields = TestFiles.V4.Steps.Select(s => s.Fields).Concat(TestFiles.V4.CheckIns.Select(c => c.Fields)).Append(TrapPlan.GetStep("intake").Fields);
        var filled = 0;
        foreach (var form in fields)
        {
            for (var i = 0; i < 20; i++)
            {
                var result = FormValidator.Validate(form, forms.Generate(form, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), lookup);
                Assert.True(result.IsValid, string.Join(" ", result.Errors));
                Assert.True(FormValidator.IsComplete(form, result.Values));
                filled += result.Values.Count;
            }
        }

        Assert.True(filled > 1000);
    }

    [Theory]
    [InlineData("joint-smart-strategy/v1.yaml")]
    [InlineData("joint-smart-strategy/v2.yaml")]
    [InlineData("joint-smart-strategy/v3.yaml")]
    [InlineData("joint-smart-strategy/v4.yaml")]
    [InlineData("strategy-audit/v1.yaml")]
    public async Task Shipped_definitions_have_no_dead_paths_and_every_walk_ends(string file)
    {
        var plan = WorkflowDefinitions.Compile(TestFiles.ReadWorkflow(file));

        var report = await WorkflowSimulator.RunAsync(plan, new SimulationOptions { Walks = 300, Seed = 1 });

        Assert.Empty(report.DeadPaths);
        Assert.Equal(0, report.CutOff);
        Assert.Equal(300, report.EndStates.Sum(e => e.Walks));
        Assert.Empty(report.NeverVisited);
    }

    [Fact]
    public async Task A_scripted_walk_follows_the_script_with_the_given_values()
    {
        var (script, problems) = ScriptedWalk.Parse("""
            walk:
              - outcome: large
                values: { kind: large, size: "12" }
                days: 2
              - action: nope
            """);
        Assert.Empty(problems);

        var report = await WorkflowSimulator.RunAsync(TrapPlan, new SimulationOptions { Script = script });

        var result = report.Script!;
        Assert.False(result.Completed);
        Assert.Equal("review", result.FinalState);
        Assert.True(result.Entries[0].Succeeded);
        Assert.Equal(2, result.Entries[0].DayOfCase);
        Assert.False(result.Entries[1].Succeeded);
        Assert.Equal(1, report.Outcomes.Single(o => o.Key == "large").Taken);
        Assert.True(report.HasFindings);
    }

    [Fact]
    public async Task A_scripted_walk_in_json_reaches_the_end()
    {
        var (script, problems) = ScriptedWalk.Parse("""[ { "outcome": "small", "values": { "kind": "small" } }, { "outcome": "agreed", "values": { "decision": "finish" } } ]""");
        Assert.Empty(problems);

        var report = await WorkflowSimulator.RunAsync(TrapPlan, new SimulationOptions { Script = script });

        Assert.True(report.Script!.Completed);
        Assert.Equal("done", report.Script.FinalState);
        Assert.Equal(1, report.EndStates.Single().Walks);
    }

    [Fact]
    public async Task A_scripted_value_the_form_refuses_stops_the_walk_with_the_fields_message()
    {
        var (script, _) = ScriptedWalk.Parse("- { outcome: small, values: { kind: small, size: '999' } }");

        var report = await WorkflowSimulator.RunAsync(TrapPlan, new SimulationOptions { Script = script });

        var entry = Assert.Single(report.Script!.Entries);
        Assert.False(entry.Succeeded);
        Assert.Contains("Size", entry.Message, StringComparison.Ordinal);
        Assert.Contains("250", entry.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- { outcome: a, action: b }", "Entry 1 (line 1): give either 'outcome' or 'action'")]
    [InlineData("- { outcome: a, days: soon }", "Entry 1 (line 1): days must be a number")]
    [InlineData("- { outcome: a, colour: red }", "Entry 1 (line 1): unknown key 'colour'")]
    [InlineData("walk: 3", "must be a list of entries")]
    [InlineData("[ { outcome: a ", "not valid YAML or JSON")]
    public void A_bad_script_is_refused_with_the_entry_and_what_is_wrong(string text, string expected)
    {
        var (script, problems) = ScriptedWalk.Parse(text);

        Assert.Null(script);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
