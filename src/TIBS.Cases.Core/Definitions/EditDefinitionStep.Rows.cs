using System.Globalization;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Definitions;

// The form's fields and outcomes (with their conditions) applied to the step, row by row.
public sealed partial class EditDefinitionStep
{
    /// <summary>
    /// A field row of the form. <paramref name="OriginalKey"/>: the key the field had when the form was opened (empty for
    /// a new field; what the form does not show, such as a taxonomy or table columns, is kept from it).
    /// <paramref name="Options"/>: one option a line, <c>value</c> or <c>value = label</c>. <paramref name="Position"/>:
    /// the place in the form (rows are ordered by it).
    /// </summary>
    public sealed record FieldRow(
        string? OriginalKey, string? Key, string? Label, string? Type, bool Required = false, string? Help = null,
        string? Options = null, string? Min = null, string? Max = null, string? Position = null, bool Remove = false)
    {
        public bool IsBlank => string.IsNullOrWhiteSpace(OriginalKey) && string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(Label)
            && string.IsNullOrWhiteSpace(Type) && string.IsNullOrWhiteSpace(Help) && string.IsNullOrWhiteSpace(Options)
            && string.IsNullOrWhiteSpace(Min) && string.IsNullOrWhiteSpace(Max);
    }

    /// <summary>An outcome row of the form; a row with every value empty is no outcome, <paramref name="Remove"/> drops it.</summary>
    public sealed record OutcomeRow(
        string? OriginalKey, string? Key, string? Label, string? To, bool RequiresReason = false, bool Remove = false,
        IReadOnlyList<ConditionRow>? Conditions = null)
    {
        public bool IsBlank => string.IsNullOrWhiteSpace(OriginalKey) && string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(Label)
            && string.IsNullOrWhiteSpace(To) && (Conditions ?? []).All(c => c.IsBlank);
    }

    /// <summary>
    /// A condition row of an outcome. <paramref name="Name"/>: a named condition of the catalogue (its
    /// <paramref name="Argument"/> is its number, field or moment; for <c>field-equals</c> the field, with
    /// <paramref name="Value"/>) or <c>expression</c>. An expression is built from <paramref name="Read"/> (a field of
    /// the form or a fact of the case), <paramref name="Operator"/> and <paramref name="Value"/>, unless
    /// <paramref name="Expression"/> was typed by hand ("Advanced": it differs from <paramref name="Composed"/>, the text
    /// the form last showed). <paramref name="Unmet"/>: the words shown when the expression does not hold.
    /// </summary>
    public sealed record ConditionRow(
        string? Name, string? Argument = null, string? Read = null, string? Operator = null, string? Value = null,
        string? Expression = null, string? Composed = null, string? Unmet = null, bool Remove = false)
    {
        public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Argument) && string.IsNullOrWhiteSpace(Read)
            && string.IsNullOrWhiteSpace(Value) && string.IsNullOrWhiteSpace(Expression) && string.IsNullOrWhiteSpace(Unmet);

        /// <summary>The row that shows <paramref name="condition"/> (a simple expression also in its parts).</summary>
        public static ConditionRow Of(ConditionRef condition)
        {
            ArgumentNullException.ThrowIfNull(condition);
            if (condition.Name == ConditionCatalog.Expression)
            {
                var parts = ExpressionBuilder.Parse(condition.Argument);
                return new ConditionRow(condition.Name, null, parts?.Variable, parts?.Operator, parts?.Value, condition.Argument, condition.Argument, condition.Unmet);
            }

            return condition.Arguments is { } arguments
                ? new ConditionRow(condition.Name, arguments.GetValueOrDefault("field"), Value: arguments.GetValueOrDefault("value"))
                : new ConditionRow(condition.Name, condition.Argument);
        }
    }

    /// <summary>The rows that show a field as the form opens it (at <paramref name="position"/>, 1 first).</summary>
    public static FieldRow RowOf(FieldDefinition field, int position)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new FieldRow(
            field.Key, field.Key, field.Label, field.Type, field.Required, field.Help,
            string.Join('\n', field.Options.Select(o => o.Label is null ? o.Value : $"{o.Value} = {o.Label}")),
            field.Min?.ToString(CultureInfo.InvariantCulture), field.Max?.ToString(CultureInfo.InvariantCulture), position.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The row that shows an outcome as the form opens it, with its conditions.</summary>
    public static OutcomeRow RowOf(OutcomeDefinition outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new OutcomeRow(outcome.Key, outcome.Key, outcome.Label, outcome.To, outcome.RequiresReason, false, [.. outcome.Conditions.Select(ConditionRow.Of)]);
    }

    /// <summary>The step with the form's fields and outcomes, and the expression each expression condition stands for.</summary>
    private static (StepDefinition Step, IReadOnlyDictionary<string, string> Expressions) ApplyRows(
        WorkflowDefinitionDocument document, StepDefinition original, StepDefinition step, Request request, Rows rows, List<FieldError> errors)
    {
        if (request.Fields is { } fieldRows)
        {
            var kept = new List<(int Position, int Row, FieldDefinition Field)>();
            for (var i = 0; i < fieldRows.Count; i++)
            {
                var row = fieldRows[i];
                if (row.Remove || row.IsBlank)
                {
                    continue;
                }

                var n = (i + 1).ToString(CultureInfo.InvariantCulture);
                var position = i + 1;
                if (!string.IsNullOrWhiteSpace(row.Position) && !int.TryParse(row.Position.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out position))
                {
                    errors.Add(new FieldError($"fields[{i}].position", Localized.Format("The position of field {0} must be a whole number (1 is first), not “{1}”.", n, row.Position.Trim())));
                    position = i + 1;
                }

                var basis = original.Form.FirstOrDefault(f => f.Key == row.OriginalKey?.Trim()) ?? new FieldDefinition();
                kept.Add((position, i, basis with
                {
                    Key = Text(errors, $"fields[{i}].key", Localized.Format("key of field {0} (lower case letters, digits and hyphens)", n), row.Key, required: true) ?? "",
                    Label = Text(errors, $"fields[{i}].label", Localized.Format("label of field {0}", n), row.Label, required: true) ?? "",
                    Type = Text(errors, $"fields[{i}].type", Localized.Format("type of field {0}", n), row.Type, required: true) ?? "",
                    Required = row.Required,
                    Help = Text(errors, $"fields[{i}].help", Localized.Format("help of field {0}", n), row.Help, required: false, MaxDescriptionLength),
                    Options = OptionsOf(row.Options),
                    Min = Number(errors, $"fields[{i}].min", Localized.Format("smallest value of field {0}", n), row.Min),
                    Max = Number(errors, $"fields[{i}].max", Localized.Format("largest value of field {0}", n), row.Max),
                }));
            }

            var ordered = kept.OrderBy(k => k.Position).ThenBy(k => k.Row).ToList();
            rows.Set("form", ordered.Select(k => k.Row));
            step = step with { Form = [.. ordered.Select(k => k.Field)] };
        }

        var expressions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.OutcomeRows is { } outcomeRows)
        {
            var scope = ExpressionScopes.AtOutcome(document, step);
            var outcomes = new List<OutcomeDefinition>();
            var kept = new List<int>();
            for (var i = 0; i < outcomeRows.Count; i++)
            {
                var row = outcomeRows[i];
                if (row.Remove || row.IsBlank)
                {
                    continue;
                }

                var n = (i + 1).ToString(CultureInfo.InvariantCulture);
                var conditions = new List<ConditionRef>();
                var conditionRows = rows.Of($"outcomes[{outcomes.Count.ToString(CultureInfo.InvariantCulture)}].conditions");
                var posted = row.Conditions ?? [];
                for (var j = 0; j < posted.Count; j++)
                {
                    if (!posted[j].Remove && !posted[j].IsBlank)
                    {
                        conditions.Add(ConditionOf(posted[j], $"outcomes[{i}].conditions[{j}]", Localized.Format("condition {0} of outcome {1}", j + 1, n), scope, errors, expressions));
                        conditionRows.Add(j);
                    }
                }

                outcomes.Add(new OutcomeDefinition
                {
                    Key = Text(errors, $"outcomes[{i}].key", Localized.Format("key of outcome {0} (lower case letters, digits and hyphens)", n), row.Key, required: true) ?? "",
                    Label = Text(errors, $"outcomes[{i}].label", Localized.Format("label of outcome {0} (the button people press)", n), row.Label, required: true) ?? "",
                    To = Text(errors, $"outcomes[{i}].to", Localized.Format("step or end that outcome {0} leads to", n), row.To, required: true) ?? "",
                    RequiresReason = row.RequiresReason,
                    Conditions = conditions,
                });
                kept.Add(i);
            }

            rows.Set("outcomes", kept);
            step = step with { Outcomes = outcomes };
        }

        return (step, expressions);
    }

    private static ConditionRef ConditionOf(
        ConditionRow row, string field, string what, ExpressionScope scope, List<FieldError> errors, Dictionary<string, string> expressions)
    {
        var name = row.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new FieldError($"{field}.name", Localized.Format("Choose the kind of {0}.", what)));
            return new ConditionRef();
        }

        if (name == ConditionCatalog.Expression)
        {
            var text = ExpressionOf(row, field, what, scope, errors);
            if (text is null)
            {
                errors.Add(new FieldError($"{field}.expression", Localized.Format("Build the expression of {0} from a value, an operator and a value, or type it under Advanced.", what)));
                return new ConditionRef { Name = name, Argument = "" };
            }

            expressions[$"{field}.expression"] = text;
            return new ConditionRef { Name = name, Argument = text, Unmet = Text(errors, $"{field}.unmet", Localized.Format("words shown when {0} is not met", what), row.Unmet, required: false) };
        }

        if (!ConditionCatalog.TryGet(name, out var descriptor))
        {
            return new ConditionRef { Name = name };
        }

        var argument = Text(errors, $"{field}.argument", Localized.Format("parameter of {0}", what), row.Argument, required: descriptor.Parameter != ConditionParameterKind.None);
        return descriptor.Parameter switch
        {
            ConditionParameterKind.None => new ConditionRef { Name = name },
            ConditionParameterKind.FieldValue => new ConditionRef
            {
                Name = name,
                Arguments = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["field"] = argument ?? "",
                    ["value"] = Text(errors, $"{field}.value", Localized.Format("value of {0}", what), row.Value, required: true) ?? "",
                },
            },
            _ => new ConditionRef { Name = name, Argument = argument ?? "" },
        };
    }

    /// <summary>The expression typed under Advanced (when changed by hand), else the one built from the parts, else the typed one.</summary>
    private static string? ExpressionOf(ConditionRow row, string field, string what, ExpressionScope scope, List<FieldError> errors)
    {
        var typed = string.IsNullOrWhiteSpace(row.Expression) ? null : row.Expression.Trim();
        if (typed is not null && typed != row.Composed?.Trim())
        {
            return typed;
        }

        var read = row.Read?.Trim();
        if (string.IsNullOrEmpty(read) || string.IsNullOrWhiteSpace(row.Operator))
        {
            return typed;
        }

        if (!scope.Variables.TryGetValue(read, out var kind))
        {
            errors.Add(new FieldError($"{field}.read", Localized.Format("{0}: “{1}” is not a field of this step's form or a fact of the case.", what, read)));
            return typed;
        }

        var (built, problem) = ExpressionBuilder.Compose(read, row.Operator.Trim(), row.Value, kind);
        if (problem is not null)
        {
            errors.Add(new FieldError($"{field}.value", $"{what}: {problem}"));
        }

        return built ?? typed;
    }

    /// <summary>Refuses removing (or renaming) a field that something still reads, naming each place.</summary>
    private static void CheckRemovedFields(WorkflowDefinitionDocument changed, StepDefinition original, StepDefinition edited, Request request, List<FieldError> errors)
    {
        if (request.Fields is not { } fieldRows)
        {
            return;
        }

        foreach (var gone in original.Form.Where(f => edited.Form.All(e => e.Key != f.Key)))
        {
            var uses = DefinitionReferences.FieldUses(changed, edited.Key, gone.Key);
            if (uses.Count == 0)
            {
                continue;
            }

            var row = fieldRows.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.OriginalKey?.Trim() == gone.Key);
            var renamed = row.r is { Remove: false };
            var field = row.r is null ? "fields" : $"fields[{row.i.ToString(CultureInfo.InvariantCulture)}].{(renamed ? "key" : "remove")}";
            errors.Add(new FieldError(field, (renamed, uses.Count == 1) switch
            {
                (true, true) => Localized.Format("The field “{0}” ({1}) cannot be renamed: {2} uses it. Change or remove that first.", gone.Label, gone.Key, uses[0]),
                (true, false) => Localized.Format("The field “{0}” ({1}) cannot be renamed: {2} use it. Change or remove those first.", gone.Label, gone.Key, string.Join("; ", uses)),
                (false, true) => Localized.Format("The field “{0}” ({1}) cannot be removed: {2} uses it. Change or remove that first.", gone.Label, gone.Key, uses[0]),
                (false, false) => Localized.Format("The field “{0}” ({1}) cannot be removed: {2} use it. Change or remove those first.", gone.Label, gone.Key, string.Join("; ", uses)),
            }));
        }
    }

    /// <summary>The result with the targets of outcomes and what conditions can read in <paramref name="step"/>.</summary>
    private static Result Choices(Result result, WorkflowDefinitionDocument document, StepDefinition step)
    {
        var steps = document.Stages.SelectMany(s => s.Steps).ToList();
        var readable = new List<Choice>();
        readable.AddRange(step.Form.Where(f => ExpressionScopes.KindOf(f.Type, f.Multiple) is not null)
            .Select(f => new Choice($"form.{ExpressionScopes.Name(f.Key)}", Localized.Format("This step's field “{0}”", f.Label))));
        readable.AddRange(ExpressionScopes.CaseFacts.Select(f => new Choice(f.Name, f.Meaning)));
        readable.AddRange(document.Decisions.Select(d => new Choice($"decision.{ExpressionScopes.Name(d.Key)}", Localized.Format("The result of the decision table “{0}”", d.Name))));
        readable.AddRange(steps.Where(s => s.Key != step.Key).SelectMany(s => s.Form
            .Where(f => ExpressionScopes.KindOf(f.Type, f.Multiple) is not null)
            .Select(f => new Choice($"steps.{ExpressionScopes.Name(s.Key)}.{ExpressionScopes.Name(f.Key)}", Localized.Format("The field “{0}” of step “{1}”", f.Label, s.Name)))));
        return result with
        {
            Targets = [.. steps.Select(s => new Choice(s.Key, Localized.Format("Step “{0}”", s.Name))), .. document.EndStates.Select(e => new Choice(e.Key, Localized.Format("End: {0}", e.Name)))],
            Readable = readable,
        };
    }

    private static List<ChoiceOption> OptionsOf(string? text) =>
        [.. (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var at = line.IndexOf(" = ", StringComparison.Ordinal);
            return at < 0 ? new ChoiceOption { Value = line } : new ChoiceOption { Value = line[..at].Trim(), Label = line[(at + 3)..].Trim() };
        })];

    private static decimal? Number(List<FieldError> errors, string field, string label, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (decimal.TryParse(value.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        errors.Add(new FieldError(field, Localized.Format("The {0} must be a number (for example 0 or 2.5), not “{1}”.", label, value.Trim())));
        return null;
    }

    private static string? Text(List<FieldError> errors, string field, string label, string? value, bool required, int max = MaxValueLength)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is null && required)
        {
            errors.Add(new FieldError(field, Localized.Format("Enter the {0}.", label)));
        }
        else if (trimmed is not null && trimmed.Length > max)
        {
            errors.Add(new FieldError(field, Localized.Format("The {0} is too long: at most {1} characters.", label, max)));
        }

        return trimmed;
    }

    /// <summary>For each list of the step (timers, form, outcomes, an outcome's conditions), the form row of each item written.</summary>
    private sealed class Rows
    {
        private readonly Dictionary<string, List<int>> _lists = new(StringComparer.Ordinal);

        public List<int> Of(string list)
        {
            if (!_lists.TryGetValue(list, out var rows))
            {
                _lists[list] = rows = [];
            }

            return rows;
        }

        public void Set(string list, IEnumerable<int> rows)
        {
            var of = Of(list);
            of.Clear();
            of.AddRange(rows);
        }

        public int? Row(string list, string index)
        {
            var i = int.Parse(index, CultureInfo.InvariantCulture);
            return _lists.TryGetValue(list, out var rows) && i < rows.Count ? rows[i] : null;
        }
    }

}
