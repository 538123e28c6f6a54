using TIBS.Cases.Workflows.Conditions;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// A condition evaluator for tests: every condition is met unless its guard name (e.g.
/// <c>min-agreed-partners: 1</c>) was marked unmet, in which case it answers with the given reason.
/// </summary>
internal sealed class FakeEvaluator : ICaseConditionEvaluator
{
    private readonly Dictionary<string, string> _unmet = new(StringComparer.Ordinal);

    public List<ConditionCheck> Checks { get; } = [];

    public FakeEvaluator Unmet(string guardName, string reason)
    {
        _unmet[guardName] = reason;
        return this;
    }

    public ValueTask<ConditionResult> EvaluateAsync(ConditionCheck check, CancellationToken cancellationToken)
    {
        Checks.Add(check);
        return ValueTask.FromResult(_unmet.TryGetValue(check.Condition.GuardName, out var reason)
            ? ConditionResult.NotMet(reason)
            : ConditionResult.Satisfied);
    }
}
