using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>The shipped audit definition: valid, run by the same engine, and shaped as the evaluators' work needs.</summary>
public sealed class StrategyAuditDefinitionTests
{
    private static readonly Lazy<Plans.WorkflowPlan> Plan = new(() => WorkflowDefinitions.Compile(TestFiles.ReadWorkflow("strategy-audit/v1.yaml")));

    [Fact]
    public void The_audit_definition_validates_clean_under_its_own_key()
    {
        var check = WorkflowDefinitions.Check(TestFiles.ReadWorkflow("strategy-audit/v1.yaml"));

        Assert.True(check.Errors.Count == 0, string.Join(Environment.NewLine, check.Errors.Select(e => $"{e} ({e.Position})")));
        Assert.Equal("strategy-audit", check.Document!.Key);
        Assert.Equal(1, check.Document.Version);
    }

    [Fact]
    public void Evaluators_do_every_step_but_the_response_which_is_the_brokers_with_reminders_and_a_due_date()
    {
        var plan = Plan.Value;

        Assert.Equal(["selection", "document-review", "findings", "broker-response", "conclusion"], plan.Steps.Select(s => s.Key));
        Assert.All(plan.Steps.Where(s => s.Key != "broker-response"), s => Assert.Equal(WorkflowRole.Evaluator, s.Role));
        var response = plan.GetStep("broker-response");
        Assert.Equal(WorkflowRole.Broker, response.Role);
        Assert.NotNull(response.Due);
        Assert.NotEmpty(response.Reminders);
        Assert.Contains(response.Outcomes.Single().Conditions, c => c.Name == ConditionCatalog.FindingsAnswered);
    }

    [Theory]
    [InlineData("accept", "accepted")]
    [InlineData("accept-with-remarks", "accepted-with-remarks")]
    [InlineData("reject", "rejected")]
    public async Task Each_conclusion_is_an_end_state_of_its_own_reached_from_the_brokers_response(string outcome, string endState)
    {
        var runtime = new WorkflowRuntime(Plan.Value);
        var evaluator = new FakeEvaluator();
        var snapshot = runtime.Start();
        foreach (var (step, key) in new[] { ("selection", "start-review"), ("document-review", "reviewed"), ("findings", "send-to-broker"), ("broker-response", "answered") })
        {
            Assert.Equal(step, snapshot.State);
            var moved = await runtime.CompleteStepAsync(snapshot, key, evaluator);
            Assert.True(moved.Succeeded, moved.Message);
            snapshot = moved.After;
        }

        var concluded = await runtime.CompleteStepAsync(snapshot, outcome, evaluator);

        Assert.True(concluded.Succeeded, concluded.Message);
        Assert.True(concluded.Ended);
        Assert.Equal(endState, concluded.After.State);
    }

    [Fact]
    public void The_finding_conditions_are_described_in_words()
    {
        var findings = Plan.Value.GetStep("findings").Outcome("send-to-broker")!;
        var answered = Plan.Value.GetStep("broker-response").Outcome("answered")!;

        Assert.Contains(findings.Conditions, c => c.Description == "At least 1 finding is recorded");
        Assert.Equal("Every finding has an answer", Assert.Single(answered.Conditions).Description);
    }
}
