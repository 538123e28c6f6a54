using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Workflows.Tests;

public sealed class RuntimeTests
{
    private static readonly WorkflowRuntime V1 = new(TestFiles.V1);

    public static TheoryData<string, string> V1Outcomes()
    {
        var data = new TheoryData<string, string>();
        foreach (var outcome in TestFiles.V1.Steps.SelectMany(s => s.Outcomes))
        {
            data.Add(outcome.StepKey, outcome.Key);
        }

        return data;
    }

    public static TheoryData<string, string, int> V1Conditions()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var outcome in TestFiles.V1.Steps.SelectMany(s => s.Outcomes))
        {
            for (var i = 0; i < outcome.Conditions.Count; i++)
            {
                data.Add(outcome.StepKey, outcome.Key, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(V1Outcomes))]
    public async Task Every_transition_of_v1_is_reachable_from_the_start_and_fires(string stepKey, string outcomeKey)
    {
        var evaluator = new FakeEvaluator();
        var snapshot = await DriveToAsync(V1, stepKey, evaluator);

        var result = await V1.CompleteStepAsync(snapshot, outcomeKey, evaluator);

        var outcome = TestFiles.V1.GetStep(stepKey).Outcome(outcomeKey)!;
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(outcome.Target, result.After.State);
        Assert.Equal($"{stepKey}:{outcomeKey}", result.Trigger);
        Assert.Equal(TestFiles.V1.IsEndState(outcome.Target), result.Ended);
    }

    [Theory]
    [MemberData(nameof(V1Conditions))]
    public async Task Each_guard_of_v1_blocks_its_outcome_with_the_reason_given_by_the_evaluator(string stepKey, string outcomeKey, int conditionIndex)
    {
        var condition = TestFiles.V1.GetStep(stepKey).Outcome(outcomeKey)!.Conditions[conditionIndex];
        var reason = $"Not met in this test: {condition.Description}";
        var evaluator = new FakeEvaluator().Unmet(condition.GuardName, reason);
        var snapshot = new CaseSnapshot(stepKey);

        var actions = await V1.GetActionsAsync(snapshot, evaluator);
        var result = await V1.CompleteStepAsync(snapshot, outcomeKey, evaluator);

        var action = actions.Single(a => a.Kind == ActionKind.Outcome && a.Key == outcomeKey);
        Assert.False(action.IsAllowed);
        Assert.Equal([new UnmetCondition(condition.GuardName, reason)], action.Unmet);
        Assert.Equal(TransitionStatus.ConditionsNotMet, result.Status);
        Assert.Equal(snapshot, result.After);
        Assert.Contains(reason, result.Message, StringComparison.Ordinal);
        Assert.Equal(action.Unmet, result.Unmet);
    }

    [Fact]
    public async Task A_case_is_driven_from_intake_to_completed()
    {
        var path = new[]
        {
            "registered", "contacted", "assessed", "eligible", "submitted", "validated", "shortlisted",
            "partner-found", "drafted", "signed", "follow-up-finished", "closed",
        };
        var evaluator = new FakeEvaluator();
        var snapshot = V1.Start();
        var visited = new List<string> { snapshot.State };

        foreach (var outcome in path)
        {
            var result = await V1.CompleteStepAsync(snapshot, outcome, evaluator);
            Assert.True(result.Succeeded, result.Message);
            snapshot = result.After;
            visited.Add(snapshot.State);
        }

        Assert.Equal("completed", snapshot.State);
        Assert.Equal(
            ["intake", "first-contact", "needs-assessment", "eligibility", "cooperation-profile", "profile-validation", "matching",
             "expressions-of-interest", "joint-strategy", "signed-agreement", "follow-up-check-ins", "final-evaluation", "completed"],
            visited);
        Assert.Empty(await V1.GetActionsAsync(snapshot, evaluator));
    }

    [Fact]
    public async Task Unmet_conditions_without_a_reason_are_explained_by_the_condition_itself()
    {
        var evaluator = ConditionEvaluators.From(_ => new ConditionResult(false, null));

        var actions = await V1.GetActionsAsync(new CaseSnapshot("joint-strategy"), evaluator);

        var drafted = actions.Single(a => a.Key == "drafted");
        Assert.Equal(
            ["Not yet: All required fields of the form are filled in.", "Not yet: At least 1 partner has agreed to take part."],
            drafted.Unmet.Select(u => u.Reason));
    }

    [Fact]
    public async Task The_evaluator_is_asked_about_each_condition_with_its_parameters()
    {
        var evaluator = new FakeEvaluator();

        await V1.GetActionsAsync(new CaseSnapshot("expressions-of-interest"), evaluator);

        var asked = evaluator.Checks.Select(c => (c.Outcome.Key, c.Condition.Name, c.Condition.Count, c.Condition.Field, c.Condition.Value)).ToList();
        Assert.Equal(
            [("partner-found", "form-complete", null, null, null), ("partner-found", "field-equals", null, "result", "partner-found"),
             ("partner-found", "min-interested-partners", 1, null, null), ("partner-found", "partners-from-other-countries", 1, null, null),
             ("back-to-matching", "field-equals", null, "result", "search-again"), ("client-withdrew", "field-equals", null, "result", "client-withdrew")],
            asked);
        Assert.All(evaluator.Checks, c => Assert.Equal("expressions-of-interest", c.Step.Key));
    }

    [Fact]
    public async Task Actions_list_outcomes_and_case_actions_with_who_may_take_them()
    {
        var actions = await V1.GetActionsAsync(new CaseSnapshot("profile-validation"), new FakeEvaluator());

        Assert.Equal(
            ["validated", "changes-requested", "hold", "resume", "withdraw", "reassign"],
            actions.Select(a => a.Key));
        var validated = actions[0];
        Assert.Equal((ActionKind.Outcome, "profile-validation:validated", "matching"), (validated.Kind, validated.Trigger, validated.Target));
        Assert.True(validated.MayBeTakenBy(WorkflowRole.Coordinator));
        Assert.False(validated.MayBeTakenBy(WorkflowRole.Broker));
        var resume = actions.Single(a => a.Key == "resume");
        Assert.False(resume.IsAllowed);
        Assert.Equal("The case is not on hold.", Assert.Single(resume.Unmet).Reason);
        Assert.True(actions.Single(a => a.Key == "withdraw").RequiresReason);
        Assert.Equal(WorkflowRole.Coordinator, V1.WhoMayComplete(new CaseSnapshot("profile-validation")));
        Assert.Null(V1.WhoMayComplete(new CaseSnapshot("completed")));
        Assert.Equal([WorkflowRole.Coordinator, WorkflowRole.Administrator], V1.WhoMayApply("reassign"));
    }

    [Fact]
    public async Task A_case_on_hold_can_only_be_resumed_withdrawn_or_reassigned()
    {
        var evaluator = new FakeEvaluator();
        var held = await V1.ApplyCaseActionAsync(new CaseSnapshot("matching"), "hold", "The company is moving offices");

        Assert.True(held.Succeeded);
        Assert.Equal(new CaseSnapshot("matching", OnHold: true), held.After);

        var actions = await V1.GetActionsAsync(held.After, evaluator);
        Assert.Equal(["resume", "withdraw", "reassign"], actions.Where(a => a.IsAllowed).Select(a => a.Key));
        Assert.Equal("The case is on hold; resume it first.", actions.Single(a => a.Key == "shortlisted").Unmet[0].Reason);
        Assert.Equal("The case is already on hold.", actions.Single(a => a.Key == "hold").Unmet[0].Reason);

        var blocked = await V1.CompleteStepAsync(held.After, "shortlisted", evaluator);
        Assert.Equal(TransitionStatus.OnHold, blocked.Status);
        Assert.Equal(held.After, blocked.After);

        var again = await V1.ApplyCaseActionAsync(held.After, "hold", "again");
        Assert.Equal(TransitionStatus.NotAllowed, again.Status);

        var resumed = await V1.ApplyCaseActionAsync(held.After, "resume");
        Assert.Equal(new CaseSnapshot("matching"), resumed.After);
        Assert.True((await V1.CompleteStepAsync(resumed.After, "shortlisted", evaluator)).Succeeded);
    }

    [Fact]
    public async Task Withdrawing_needs_a_reason_and_ends_the_case_even_on_hold()
    {
        var onHold = new CaseSnapshot("joint-strategy", OnHold: true);

        var noReason = await V1.ApplyCaseActionAsync(onHold, "withdraw", "  ");
        var withdrawn = await V1.ApplyCaseActionAsync(onHold, "withdraw", "The company was sold");

        Assert.Equal(TransitionStatus.ReasonRequired, noReason.Status);
        Assert.Equal(onHold, noReason.After);
        Assert.True(withdrawn.Succeeded);
        Assert.Equal(new CaseSnapshot("withdrawn"), withdrawn.After);
        Assert.True(withdrawn.Ended);
        Assert.Equal("*:withdraw", withdrawn.Trigger);
    }

    [Fact]
    public async Task Reassigning_keeps_the_case_where_it_is()
    {
        var result = await V1.ApplyCaseActionAsync(new CaseSnapshot("eligibility"), "reassign", "Broker on leave");

        Assert.True(result.Succeeded);
        Assert.False(result.StateChanged);
        Assert.Equal(new CaseSnapshot("eligibility"), result.After);
    }

    [Fact]
    public async Task Ended_cases_refuse_everything()
    {
        var closed = new CaseSnapshot("not-eligible");

        Assert.Empty(await V1.GetActionsAsync(closed, new FakeEvaluator()));
        Assert.Equal(TransitionStatus.CaseClosed, (await V1.CompleteStepAsync(closed, "eligible", new FakeEvaluator())).Status);
        Assert.Equal(TransitionStatus.CaseClosed, (await V1.ApplyCaseActionAsync(closed, "reassign", "x")).Status);
        Assert.Equal(TransitionStatus.CaseClosed, (await V1.FireAsync(closed, "eligibility:eligible", new FakeEvaluator())).Status);
    }

    [Fact]
    public async Task Unknown_outcomes_and_actions_are_refused_with_the_known_ones()
    {
        var snapshot = new CaseSnapshot("eligibility");

        var outcome = await V1.CompleteStepAsync(snapshot, "maybe", new FakeEvaluator());
        var action = await V1.ApplyCaseActionAsync(snapshot, "pause");
        var foreign = await V1.FireAsync(snapshot, "intake:registered", new FakeEvaluator());

        Assert.Equal(TransitionStatus.UnknownAction, outcome.Status);
        Assert.Contains("its outcomes are: eligible, not-eligible", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(TransitionStatus.UnknownAction, action.Status);
        Assert.Contains("hold, resume, withdraw, reassign", action.Message, StringComparison.Ordinal);
        Assert.Equal(TransitionStatus.UnknownAction, foreign.Status);
    }

    [Fact]
    public async Task Actions_can_be_fired_by_their_trigger()
    {
        var evaluator = new FakeEvaluator();

        var held = await V1.FireAsync(new CaseSnapshot("intake"), "*:hold", evaluator, reason: "waiting");
        var resumed = await V1.FireAsync(held.After, "*:resume", evaluator);
        var moved = await V1.FireAsync(resumed.After, "intake:registered", evaluator);

        Assert.True(held.After.OnHold);
        Assert.False(resumed.After.OnHold);
        Assert.Equal("first-contact", moved.After.State);
    }

    [Fact]
    public async Task A_state_outside_the_definition_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => V1.GetActionsAsync(new CaseSnapshot("implementation-follow-up"), new FakeEvaluator()));
    }

    [Fact]
    public async Task An_outcome_may_lead_back_to_its_own_step()
    {
        var yaml = ValidatorTests.Base.Replace(
            "              - min-agreed-partners: 1\n",
            "              - min-agreed-partners: 1\n          - key: more\n            label: Ask for more\n            to: second\n            conditions:\n              - field-filled: note\n",
            StringComparison.Ordinal);
        var runtime = new WorkflowRuntime(WorkflowDefinitions.Compile(yaml));

        var result = await runtime.CompleteStepAsync(new CaseSnapshot("second"), "more", new FakeEvaluator());

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("second", result.After.State);
    }

    [Fact]
    public async Task One_runtime_serves_many_cases_in_parallel()
    {
        var steps = TestFiles.V1.Steps.Select(s => s.Key).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var step = steps[i % steps.Count];
            var evaluator = new FakeEvaluator();
            var outcome = TestFiles.V1.GetStep(step).Outcomes[0];
            var result = await V1.CompleteStepAsync(new CaseSnapshot(step), outcome.Key, evaluator);
            return result.After.State == outcome.Target;
        })));

        Assert.All(results, Assert.True);
    }

    /// <summary>Walks the shortest chain of outcomes from the start to <paramref name="target"/> through the runtime.</summary>
    internal static async Task<CaseSnapshot> DriveToAsync(WorkflowRuntime runtime, string target, ICaseConditionEvaluator evaluator)
    {
        var plan = runtime.Plan;
        var previous = new Dictionary<string, PlanOutcome?> { [plan.StartStep.Key] = null };
        var queue = new Queue<string>([plan.StartStep.Key]);
        while (queue.Count > 0)
        {
            var step = queue.Dequeue();
            foreach (var outcome in plan.OutcomesOf(step).Where(o => plan.IsStep(o.Target) && !previous.ContainsKey(o.Target)))
            {
                previous[outcome.Target] = outcome;
                queue.Enqueue(outcome.Target);
            }
        }

        Assert.True(previous.ContainsKey(target), $"{target} cannot be reached from the start");
        var path = new Stack<PlanOutcome>();
        for (var at = target; previous[at] is { } outcome; at = outcome.StepKey)
        {
            path.Push(outcome);
        }

        var snapshot = runtime.Start();
        foreach (var outcome in path)
        {
            var result = await runtime.CompleteStepAsync(snapshot, outcome.Key, evaluator);
            Assert.True(result.Succeeded, result.Message);
            snapshot = result.After;
        }

        Assert.Equal(target, snapshot.State);
        return snapshot;
    }
}
