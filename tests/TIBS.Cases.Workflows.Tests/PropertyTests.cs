using FsCheck.Xunit;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

public sealed class PropertyTests
{
    [Property(MaxTest = 300)]
    public Task<bool> Random_walks_on_v1_stay_in_the_definition_and_never_get_stuck(int seed, int[] choices) =>
        WalkAsync(TestFiles.V1, seed, choices);

    [Property(MaxTest = 300)]
    public Task<bool> Random_walks_on_v2_stay_in_the_definition_and_never_get_stuck(int seed, int[] choices) =>
        WalkAsync(TestFiles.V2, seed, choices);

    [Property(MaxTest = 500)]
    public bool The_loader_never_throws(string? text)
    {
        var result = WorkflowYamlLoader.Load(text ?? "");
        return result.Succeeded || result.Errors.Count > 0;
    }

    /// <summary>
    /// Takes the actions a random condition evaluator allows, chosen by <paramref name="choices"/>. Every
    /// allowed action must succeed, every state must belong to the plan, an outcome must land on its target,
    /// and a case that has not ended must always have an allowed action.
    /// </summary>
    private static async Task<bool> WalkAsync(WorkflowPlan plan, int seed, int[] choices)
    {
        var runtime = new WorkflowRuntime(plan);
        var evaluator = new RandomEvaluator(seed);
        var snapshot = runtime.Start();
        foreach (var choice in choices.Concat(Enumerable.Repeat(seed, 5)))
        {
            evaluator.Round++;
            var actions = await runtime.GetActionsAsync(snapshot, evaluator);
            if (plan.IsEndState(snapshot.State))
            {
                return actions.Count == 0;
            }

            var allowed = actions.Where(a => a.IsAllowed).ToList();
            if (allowed.Count == 0)
            {
                return false;
            }

            // Prefer completing steps, so walks get deep into the process; case actions still happen.
            var outcomes = allowed.Where(a => a.Kind == ActionKind.Outcome).ToList();
            var pool = outcomes.Count > 0 && (uint)choice % 10 < 8 ? outcomes : allowed;
            var action = pool[(int)((uint)choice % (uint)pool.Count)];
            var result = action.Kind == ActionKind.Outcome
                ? await runtime.CompleteStepAsync(snapshot, action.Key, evaluator)
                : await runtime.ApplyCaseActionAsync(snapshot, action.Key, "a reason");
            if (!result.Succeeded || !plan.Contains(result.After.State)
                || (action.Kind == ActionKind.Outcome && result.After.State != action.Target))
            {
                return false;
            }

            snapshot = result.After;
        }

        return plan.IsEndState(snapshot.State)
            || (await runtime.GetActionsAsync(snapshot, evaluator)).Any(a => a.IsAllowed);
    }

    /// <summary>Answers each condition at random, the same way within one round.</summary>
    private sealed class RandomEvaluator(int seed) : ICaseConditionEvaluator
    {
        public int Round { get; set; }

        public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken)
        {
            var hash = HashCode.Combine(seed, Round, check.Outcome.Trigger, check.Condition.GuardName);
            return ValueTask.FromResult((hash & 3) == 0 ? ConditionResult.NotMet("randomly not met") : ConditionResult.Satisfied);
        }
    }
}
