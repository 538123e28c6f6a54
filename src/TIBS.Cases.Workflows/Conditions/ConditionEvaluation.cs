using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Conditions;

/// <summary>What is being asked: is <see cref="Condition"/> of <see cref="Outcome"/> met for the case now?</summary>
public sealed record ConditionCheck(WorkflowPlan Plan, PlanStep Step, PlanOutcome Outcome, PlanCondition Condition);

/// <summary>The answer of an evaluator; when not met, <see cref="UnmetReason"/> says why in words.</summary>
public readonly record struct ConditionResult(bool Met, string? UnmetReason)
{
    public static ConditionResult Satisfied => new(true, null);

    /// <summary>Not met, with the reason shown to the user (e.g. "No partner has agreed yet").</summary>
    public static ConditionResult NotMet(string reason) => new(false, reason);
}

/// <summary>
/// Decides whether conditions hold for one case (implemented in Core against real case data, usually
/// one instance per case and request). Called before the state machine is built, so it may do I/O.
/// </summary>
public interface ICaseConditionEvaluator
{
    ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken);
}

/// <summary>Ready-made evaluators, mostly for tests and tools.</summary>
internal static class ConditionEvaluators
{
    /// <summary>Every condition is met (useful for diagrams and dry runs).</summary>
    public static ICaseConditionEvaluator AlwaysMet { get; } = From(_ => ConditionResult.Satisfied);

    /// <summary>Wraps a synchronous function.</summary>
    public static ICaseConditionEvaluator From(Func<ConditionCheck, ConditionResult> evaluate) => new Sync(evaluate);

    /// <summary>Wraps an asynchronous function.</summary>
    public static ICaseConditionEvaluator From(Func<ConditionCheck, CancellationToken, ValueTask<ConditionResult>> evaluate) => new Async(evaluate);

    private sealed class Sync(Func<ConditionCheck, ConditionResult> evaluate) : ICaseConditionEvaluator
    {
        public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken) =>
            ValueTask.FromResult(evaluate(check));
    }

    private sealed class Async(Func<ConditionCheck, CancellationToken, ValueTask<ConditionResult>> evaluate) : ICaseConditionEvaluator
    {
        public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken) =>
            evaluate(check, cancellationToken);
    }
}
