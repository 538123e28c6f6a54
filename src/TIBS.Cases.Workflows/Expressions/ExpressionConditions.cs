using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Expressions;

/// <summary>
/// Evaluates the expressions of a plan (outcome conditions, joins) on a case's values, deciding first the decision
/// tables an expression reads (<c>decision.&lt;key&gt;</c>). Never throws: a failure is a reason in words.
/// </summary>
internal static class ExpressionConditions
{
    /// <summary>The value of <paramref name="text"/> for a case; decision tables it reads are decided with the same values.</summary>
    public static ExpressionEvaluation Evaluate(WorkflowPlan plan, string text, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(values);
        Dictionary<string, object?>? withDecisions = null;
        foreach (var path in WorkflowExpressions.PathsOf(text ?? ""))
        {
            if (!path.StartsWith("decision.", StringComparison.Ordinal) || !plan.Decisions.TryGetValue(path["decision.".Length..], out var table))
            {
                continue;
            }

            var decided = table.Evaluate(values);
            if (!decided.Succeeded)
            {
                return decided;
            }

            withDecisions ??= new Dictionary<string, object?>(values, StringComparer.Ordinal);
            withDecisions[path] = decided.Value;
        }

        return WorkflowExpressions.Engine.Evaluate(text ?? "", withDecisions ?? values);
    }

    /// <summary>Whether an <c>expression</c> condition holds for a case, with the reason when it does not.</summary>
    public static ConditionResult Judge(WorkflowPlan plan, PlanCondition condition, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var text = condition.Expression ?? "";
        var result = Evaluate(plan, text, values);
        return result switch
        {
            { Succeeded: false } => ConditionResult.NotMet(Localized.Format("The rule {0} cannot be decided: {1}", text, result.FailureReason)),
            { IsTrue: true } => ConditionResult.Satisfied,
            _ => ConditionResult.NotMet(condition.Unmet ?? Localized.Format("The rule {0} does not hold for this case.", text)),
        };
    }
}
