using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Yaml;
using static TIBS.Cases.Core.Definitions.EditDefinitionStep;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>
/// The structured editor on a definition of the test's own: fields and outcomes (with conditions built in the form)
/// added, changed, reordered and removed; steps added and removed; refusals in words; the live preview saves nothing.
/// </summary>
public abstract class StructuredEditorTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "grant-review";

    private const string Yaml = """
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
            output: { kind: text, values: [eligible, not-eligible] }
            rules:
              - { when: ["< 250"], then: eligible }
              - { when: [">= 250"], then: not-eligible }
        """;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<CaseEnvironment> EnvironmentAsync()
    {
        fixture.EnsureAvailable();
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "editor-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, Key)).FullName, "v1.yaml"), Yaml);
        return await CaseEnvironment.CreateAsync(fixture, folder);
    }

    /// <summary>The form as opened on <paramref name="read"/>: every field and outcome as a row, nothing changed.</summary>
    private static Request Form(Result read, string step) => new(
        Key, step, read.Draft?.Id, read.Draft?.RowVersion, read.Step!.Name, read.Step.Role, read.Step.Description, read.Step.Due,
        [.. read.Step.Timers.Select(t => new TimerRow(t.After, t.Action, t.To, t.Outcome, t.Reason))],
        [.. read.Step.Reminders.Select(r => new ReminderRow(r.After, r.To))], [])
    {
        Fields = [.. read.Step.Form.Select((f, i) => RowOf(f, i + 1))],
        OutcomeRows = [.. read.Step.Outcomes.Select(RowOf)],
    };

    private static WorkflowDefinitionDocument Document(string yaml) => WorkflowDefinitions.Load(yaml).Document!;

    private static StepDefinition StepOf(string yaml, string key) => Document(yaml).Stages.SelectMany(s => s.Steps).Single(s => s.Key == key);

    /// <summary>The YAML the writer gives for every part of the definition but the step <paramref name="key"/>.</summary>
    private static string AllBut(string yaml, string key)
    {
        var d = Document(yaml);
        return WorkflowYamlWriter.ToYaml(d with { Version = 0, Stages = [.. d.Stages.Select(s => s with { Steps = [.. s.Steps.Where(t => t.Key != key)] })] });
    }

    [SkippableFact]
    public async Task A_coordinator_adds_reorders_and_changes_fields_and_the_rest_of_the_yaml_is_untouched()
    {
        var env = await EnvironmentAsync();
        var edit = new EditDefinitionStep(env.Workflows, env.Catalog);
        var read = await edit.ReadAsync(Key, "intake", env.Coordinator);
        var form = Form(read, "intake");

        var saved = await edit.HandleAsync(form with
        {
            Fields =
            [
                form.Fields![0] with { Label = "Employees (full-time)", Min = "1", Position = "2" },
                form.Fields[1] with { Position = "3" },
                new FieldRow(null, "sector", "Sector", "choice", Required: true, Options: "wood\nfood = Food and drink", Position: "1"),
                new FieldRow(null, null, null, null),
            ],
        }, env.Coordinator);

        Assert.Equal(CaseCommandStatus.Done, saved.Status);
        var intake = StepOf(saved.Draft!.Content, "intake");
        Assert.Equal(["sector", "employees", "founded"], intake.Form.Select(f => f.Key));
        Assert.Equal("Employees (full-time)", intake.Form[1].Label);
        Assert.Equal(1m, intake.Form[1].Min);
        Assert.Equal([new ChoiceOption { Value = "wood" }, new ChoiceOption { Value = "food", Label = "Food and drink" }], intake.Form[0].Options);
        var published = GetDefinitionDraft.WithVersion((await env.Workflows.GetPublishedVersionAsync(Key))!.Content, 2);
        Assert.Equal(AllBut(published, "intake"), AllBut(saved.Draft.Content, "intake"));
    }

    [SkippableFact]
    public async Task Removing_or_renaming_a_field_that_a_condition_or_a_decision_table_reads_is_refused_with_the_places_named()
    {
        var env = await EnvironmentAsync();
        var edit = new EditDefinitionStep(env.Workflows, env.Catalog);
        var intake = Form(await edit.ReadAsync(Key, "intake", env.Coordinator), "intake");

        var removed = await edit.HandleAsync(intake with { Fields = [intake.Fields![0] with { Remove = true }, intake.Fields[1]] }, env.Coordinator);

        Assert.Equal(CaseCommandStatus.InvalidForm, removed.Status);
        var error = Assert.Single(removed.FieldErrors, e => e.Field == "fields[0].remove");
        Assert.Contains("cannot be removed", error.Message, StringComparison.Ordinal);
        Assert.Contains("input 1 (“Employees”) of decision table “Eligibility”", error.Message, StringComparison.Ordinal);

        var review = Form(await edit.ReadAsync(Key, "review", env.Coordinator), "review");
        var renamed = await edit.HandleAsync(review with { Fields = [review.Fields![0] with { Key = "sum" }] }, env.Coordinator);
        Assert.Equal(CaseCommandStatus.InvalidForm, renamed.Status);
        var renaming = Assert.Single(renamed.FieldErrors, e => e.Field == "fields[0].key");
        Assert.Contains("cannot be renamed", renaming.Message, StringComparison.Ordinal);
        Assert.Contains("condition 1 of outcome “Approve” (approve) of step “Review” (review)", renaming.Message, StringComparison.Ordinal);
        Assert.Contains("condition 1 of outcome “Reject” (reject)", renaming.Message, StringComparison.Ordinal);

        // Nothing was saved: there is still no draft.
        Assert.Null((await edit.ReadAsync(Key, "review", env.Coordinator)).Draft);
    }

    [SkippableFact]
    public async Task An_outcome_with_a_condition_built_in_the_form_is_added_and_wrong_values_are_named_beside_their_inputs()
    {
        var env = await EnvironmentAsync();
        var edit = new EditDefinitionStep(env.Workflows, env.Catalog);
        var review = Form(await edit.ReadAsync(Key, "review", env.Coordinator), "review");
        var defer = new OutcomeRow(null, "defer", "Ask the company again", "intake", RequiresReason: true, Conditions:
        [
            new ConditionRow("expression", Read: "form.amount", Operator: ">", Value: "500000", Unmet: "Only large grants go back to the company."),
            new ConditionRow("field-filled", Argument: "amount"),
            new ConditionRow(null),
        ]);

        // Wrong values first: a number that is not one, a misspelt name typed under Advanced; nothing is saved.
        var wrong = await edit.HandleAsync(review with
        {
            OutcomeRows = [.. review.OutcomeRows!, defer with { Conditions = [defer.Conditions![0] with { Value = "lots" }, new ConditionRow("expression", Expression: "form.amout > 1")] }],
        }, env.Coordinator);
        Assert.Equal(CaseCommandStatus.InvalidForm, wrong.Status);
        Assert.Contains("Enter a number for form.amount", Assert.Single(wrong.FieldErrors, e => e.Field == "outcomes[2].conditions[0].value").Message, StringComparison.Ordinal);
        Assert.Contains("amout", Assert.Single(wrong.FieldErrors, e => e.Field == "outcomes[2].conditions[1].expression").Message, StringComparison.Ordinal);
        Assert.Null((await edit.ReadAsync(Key, "review", env.Coordinator)).Draft);

        // The preview applies the form to a copy: the YAML and the diagram show the new outcome, and nothing is saved.
        var preview = await edit.PreviewAsync(review with { OutcomeRows = [.. review.OutcomeRows!, defer] }, env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, preview.Status);
        Assert.Contains("expression: \"form.amount > 500000\"", preview.Yaml, StringComparison.Ordinal);
        Assert.Contains("Ask the company again", preview.Diagram, StringComparison.Ordinal);
        Assert.Equal("form.amount > 500000", preview.Expressions["outcomes[2].conditions[0].expression"]);
        Assert.Null((await edit.ReadAsync(Key, "review", env.Coordinator)).Draft);

        var saved = await edit.HandleAsync(review with { OutcomeRows = [.. review.OutcomeRows!, defer] }, env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, saved.Status);
        var outcome = StepOf(saved.Draft!.Content, "review").Outcomes.Single(o => o.Key == "defer");
        Assert.True(outcome.RequiresReason);
        Assert.Equal("intake", outcome.To);
        Assert.Equal(new ConditionRef { Name = "expression", Argument = "form.amount > 500000", Unmet = "Only large grants go back to the company." }, outcome.Conditions[0]);
        Assert.Equal(new ConditionRef { Name = "field-filled", Argument = "amount" }, outcome.Conditions[1]);

        // Retarget and remove: the outcome now ends the case, the old rejection is gone; the stale form is a conflict.
        var read = await edit.ReadAsync(Key, "review", env.Coordinator);
        var again = Form(read, "review");
        var changed = await edit.HandleAsync(again with { OutcomeRows = [again.OutcomeRows![0], again.OutcomeRows[1] with { Remove = true }, again.OutcomeRows[2] with { To = "rejected" }] }, env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, changed.Status);
        Assert.Equal([("approve", "approved"), ("defer", "rejected")], StepOf(changed.Draft!.Content, "review").Outcomes.Select(o => (o.Key, o.To)));
        var stale = await edit.HandleAsync(again, env.Coordinator);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.Equal(changed.Draft.Content, (await env.Workflows.GetVersionAsync(Key, 2))!.Content);
    }

    [SkippableFact]
    public async Task A_step_is_added_after_another_and_only_a_step_nothing_leads_to_can_be_removed()
    {
        var env = await EnvironmentAsync();
        var add = new AddDefinitionStep(env.Workflows, env.Catalog);
        var remove = new RemoveDefinitionStep(env.Workflows, env.Catalog);

        var duplicate = await add.HandleAsync(new AddDefinitionStep.Request(Key, "intake", null, null, "review", "Check", "coordinator"), env.Coordinator);
        Assert.Equal(CaseCommandStatus.InvalidForm, duplicate.Status);
        Assert.Contains("already used", Assert.Single(duplicate.FieldErrors, e => e.Field == "key").Message, StringComparison.Ordinal);

        var added = await add.HandleAsync(new AddDefinitionStep.Request(Key, "intake", null, null, "check-budget", "Check the budget", "coordinator"), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, added.Status);
        var draft = (await env.Workflows.GetVersionAsync(Key, 2))!;
        Assert.Equal(["intake", "check-budget", "review"], Document(draft.Content).Stages[0].Steps.Select(s => s.Key));

        var used = await remove.HandleAsync(new RemoveDefinitionStep.Request(Key, "review", draft.Id, draft.RowVersion), env.Coordinator);
        Assert.Equal(CaseCommandStatus.InvalidForm, used.Status);
        Assert.Equal(["outcome “Next” (next) of step “Intake” (intake)"], used.UsedBy);
        Assert.Contains("cannot be removed while something leads to it", used.Message, StringComparison.Ordinal);

        var stale = await remove.HandleAsync(new RemoveDefinitionStep.Request(Key, "check-budget", null, null), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        var removed = await remove.HandleAsync(new RemoveDefinitionStep.Request(Key, "check-budget", draft.Id, draft.RowVersion), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, removed.Status);
        Assert.Equal(["intake", "review"], Document((await env.Workflows.GetVersionAsync(Key, 2))!.Content).Stages[0].Steps.Select(s => s.Key));
        Assert.Equal(CaseCommandStatus.Forbidden, (await remove.HandleAsync(new RemoveDefinitionStep.Request(Key, "review", null, null), env.LatvianBroker)).Status);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteStructuredEditorTests(SqliteFixture fixture) : StructuredEditorTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresStructuredEditorTests(PostgresFixture fixture) : StructuredEditorTests(fixture);
