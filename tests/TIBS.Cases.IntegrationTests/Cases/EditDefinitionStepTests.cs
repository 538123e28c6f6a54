using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Definitions;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Workflows;
using TIBS.Cases.Workflows.Definitions;
using static TIBS.Cases.Core.Definitions.EditDefinitionStep;

namespace TIBS.Cases.IntegrationTests.Cases;

/// <summary>The structured editor's one handler: a step's timers edited, added and removed in the draft's YAML, by version.</summary>
public abstract class EditDefinitionStepTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private const string Key = "joint-smart-strategy";
    private const string Step = "intake";

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Request From(Result read, IReadOnlyList<TimerRow> timers, string? due = null) => new(
        Key, Step, read.Draft?.Id, read.Draft?.RowVersion, read.Step!.Name, read.Step.Role, read.Step.Description, due ?? read.Step.Due,
        timers, [.. read.Step.Reminders.Select(r => new ReminderRow(r.After, r.To))], [.. read.Step.Outcomes.Select(o => new OutcomeLabel(o.Key, o.Label))]);

    private static StepDefinition StepOf(string yaml) =>
        WorkflowDefinitions.Load(yaml).Document!.Stages.SelectMany(s => s.Steps).Single(s => s.Key == Step);

    [SkippableFact]
    public async Task A_coordinator_adds_edits_and_removes_a_timer_and_the_rest_of_the_definition_is_kept()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var edit = new EditDefinitionStep(env.Workflows, env.Catalog);
        var start = await edit.ReadAsync(Key, Step, env.Coordinator);
        Assert.Null(start.Draft);
        Assert.Empty(start.Step!.Timers);

        var added = await edit.HandleAsync(From(start, [new TimerRow("P20BD", "escalate", "coordinator"), new TimerRow("", "")]), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, added.Status);
        Assert.Equal(2, added.Draft!.Number);
        Assert.Equal(new TimerDefinition { After = "P20BD", Action = "escalate", To = "coordinator" }, Assert.Single(StepOf(added.Draft.Content).Timers));

        // Round trip: apart from the timer, the saved document is the published one (same content hash).
        var published = WorkflowDefinitions.Load(GetDefinitionDraft.WithVersion((await env.Workflows.GetPublishedVersionAsync(Key))!.Content, 2)).Document!;
        var saved = WorkflowDefinitions.Load(added.Draft.Content).Document!;
        var withoutTimer = saved with { Stages = [.. saved.Stages.Select(s => s with { Steps = [.. s.Steps.Select(t => t.Key == Step ? t with { Timers = [] } : t)] })] };
        Assert.Equal(WorkflowDefinitions.ContentHash(published), WorkflowDefinitions.ContentHash(withoutTimer));

        var read = await edit.ReadAsync(Key, Step, env.Coordinator);
        var changed = await edit.HandleAsync(From(read, [new TimerRow("P25BD", "escalate", "coordinator"), new TimerRow("P30D", "hold", Reason: "No answer from the company")]), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, changed.Status);
        Assert.Equal(["P25BD", "P30D"], StepOf(changed.Draft!.Content).Timers.Select(t => t.After));

        read = await edit.ReadAsync(Key, Step, env.Coordinator);
        var removed = await edit.HandleAsync(From(read, [new TimerRow("P25BD", "escalate", "coordinator", Remove: true), new TimerRow("P30D", "hold", Reason: "No answer from the company")]), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, removed.Status);
        Assert.Equal("hold", Assert.Single(StepOf(removed.Draft!.Content).Timers).Action);
        Assert.Equal(2, removed.Draft.Number);
    }

    [SkippableFact]
    public async Task An_invalid_value_names_its_field_and_a_stale_form_is_a_conflict_and_neither_changes_the_draft()
    {
        fixture.EnsureAvailable();
        var env = await CaseEnvironment.CreateAsync(fixture);
        var edit = new EditDefinitionStep(env.Workflows, env.Catalog);
        var start = await edit.ReadAsync(Key, Step, env.Coordinator);
        var first = await edit.HandleAsync(From(start, [new TimerRow("P20BD", "escalate", "coordinator")]), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, first.Status);
        var read = await edit.ReadAsync(Key, Step, env.Coordinator);

        var invalid = await edit.HandleAsync(From(read, [new TimerRow("twenty days", "escalate", "coordinator"), new TimerRow("P5D", "")], due: "soon"), env.Coordinator);

        Assert.Equal(CaseCommandStatus.InvalidForm, invalid.Status);
        Assert.Contains(invalid.FieldErrors, e => e.Field == "timers[0].after");
        Assert.Contains(invalid.FieldErrors, e => e.Field == "timers[1].action" && e.Message.Contains("action of timer 2", StringComparison.Ordinal));
        Assert.Contains(invalid.FieldErrors, e => e.Field == "due");
        var stored = (await env.Workflows.GetVersionAsync(Key, 2))!;
        Assert.Equal(first.Draft!.Content, stored.Content);
        Assert.Equal(first.Draft.RowVersion, stored.RowVersion);

        // Someone saves the draft after this form was opened: the form's save is refused in words.
        var other = await edit.HandleAsync(From(read, [new TimerRow("P21BD", "escalate", "coordinator")]), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Done, other.Status);
        var stale = await edit.HandleAsync(From(read, [new TimerRow("P40BD", "escalate", "coordinator")]), env.Coordinator);
        Assert.Equal(CaseCommandStatus.Conflict, stale.Status);
        Assert.Contains("Someone else changed this draft", stale.Message, StringComparison.Ordinal);
        Assert.Equal("P21BD", Assert.Single(StepOf((await env.Workflows.GetVersionAsync(Key, 2))!.Content).Timers).After);

        Assert.Equal(CaseCommandStatus.Forbidden, (await edit.HandleAsync(From(read, []), env.LatvianBroker)).Status);
        Assert.Equal(CaseCommandStatus.NotFound, (await edit.ReadAsync(Key, "no-such-step", env.Coordinator)).Status);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEditDefinitionStepTests(SqliteFixture fixture) : EditDefinitionStepTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEditDefinitionStepTests(PostgresFixture fixture) : EditDefinitionStepTests(fixture);
