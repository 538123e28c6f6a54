using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Forms;

/// <summary>
/// Evaluates the conditions that depend only on the step's form values (<c>form-complete</c>,
/// <c>field-equals</c>, <c>field-filled</c>, <c>attachment</c>), with reasons in words. Conditions on case
/// data (partners, check-ins) return null: they are for Core's evaluator.
/// </summary>
internal static class FormConditions
{
    /// <summary>The result for a form condition, or null when the condition is not about the form.</summary>
    /// <param name="step">The step whose form the values belong to.</param>
    /// <param name="condition">The condition of one of the step's outcomes.</param>
    /// <param name="values">The validated values of the step's form (see <see cref="FormValidator"/>).</param>
    public static ConditionResult? Evaluate(PlanStep step, PlanCondition condition, IReadOnlyDictionary<string, FieldValue> values)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(values);
        string Label(string? key) => step.Field(key ?? "")?.Label ?? key ?? "";
        switch (condition.Name)
        {
            case ConditionCatalog.FormComplete:
                var missing = step.Fields.Where(f => f.Required && !values.ContainsKey(f.Key)).Select(f => f.Label).ToList();
                return missing.Count == 0 ? ConditionResult.Satisfied : ConditionResult.NotMet(Localized.Format("Still to fill in: {0}.", string.Join(", ", missing)));
            case ConditionCatalog.FieldFilled:
                return values.ContainsKey(condition.Field ?? "")
                    ? ConditionResult.Satisfied
                    : ConditionResult.NotMet(Localized.Format("'{0}' is not filled in yet.", Label(condition.Field)));
            case ConditionCatalog.Attachment:
                return values.TryGetValue(condition.Field ?? "", out var file) && file is FileValue { Files.Count: > 0 }
                    ? ConditionResult.Satisfied
                    : ConditionResult.NotMet(Localized.Format("No file is attached in '{0}' yet.", Label(condition.Field)));
            case ConditionCatalog.FieldEquals:
                var field = step.Field(condition.Field ?? "");
                var expected = condition.Value ?? "";
                var expectedText = field?.Options.FirstOrDefault(o => o.Value == expected)?.Label ?? expected;
                if (!values.TryGetValue(condition.Field ?? "", out var value))
                {
                    return ConditionResult.NotMet(Localized.Format("'{0}' is not filled in yet (it must be '{1}').", Label(condition.Field), expectedText));
                }

                if (value.IsEqualTo(expected))
                {
                    return ConditionResult.Satisfied;
                }

                var actual = value is ChoiceValue choice ? field?.Options.FirstOrDefault(o => o.Value == choice.Value)?.Label ?? choice.Value : value.ToText();
                return ConditionResult.NotMet(Localized.Format("'{0}' is '{1}', not '{2}'.", Label(condition.Field), actual, expectedText));
            default:
                return null;
        }
    }
}
