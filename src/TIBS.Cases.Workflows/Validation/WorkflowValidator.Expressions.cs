using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;

namespace TIBS.Cases.Workflows.Validation;

public static partial class WorkflowValidator
{
    private sealed partial class Run
    {
        /// <summary>Type-checks an expression; each problem at <paramref name="path"/> with the column in the expression.</summary>
        private void CheckExpression(string text, ExpressionScope scope, ExpressionValueKind expected, string path)
        {
            foreach (var problem in WorkflowExpressions.Engine.Check(text, scope, expected))
            {
                _errors.Add(new ValidationError(path, $"{problem.Message} (column {problem.Column} of the expression)") { ExpressionColumn = problem.Column });
            }
        }

        /// <summary>
        /// Decision tables: keys, names, hit policy, inputs (type-checked against the case's facts and every step's
        /// fields), outputs and their allowed values, cells, and then overlaps, rules that never apply, and gaps.
        /// </summary>
        private void CheckDecisions()
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var d = 0; d < doc.Decisions.Count; d++)
            {
                var decision = doc.Decisions[d];
                var path = $"decisions[{d}]";
                if (CheckKey(decision.Key, $"{path}.key", "The decision table") && !keys.TryAdd(decision.Key, path))
                {
                    Error($"{path}.key", $"The decision table key '{decision.Key}' is already used by {keys[decision.Key]}.");
                }

                if (string.IsNullOrWhiteSpace(decision.Name))
                {
                    Error($"{path}.name", $"Decision table '{decision.Key}' has no name.");
                }

                if (decision.HitPolicy is not (null or "unique" or "first"))
                {
                    Error($"{path}.hit-policy", $"The hit policy of '{decision.Key}' must be unique (at most one rule applies) or first (the first rule that applies wins), not '{decision.HitPolicy}'.");
                }

                if (decision.Inputs.Count == 0)
                {
                    Error($"{path}.inputs", $"Decision table '{decision.Key}' has no inputs.");
                }

                if (decision.Rules.Count == 0)
                {
                    Error($"{path}.rules", $"Decision table '{decision.Key}' has no rules.");
                }

                var problems = new List<(string Path, string Message)>();
                var table = DecisionTable.Compile(decision, path, problems);
                CheckDecisionInputs(decision, path);
                CheckDecisionOutputs(decision, path);
                foreach (var (at, message) in problems)
                {
                    Error(at, message);
                }

                if (table is not null && _errors.All(e => e.Path != path && !e.Path.StartsWith(path + ".", StringComparison.Ordinal)))
                {
                    foreach (var (at, message) in table.Analyse(path))
                    {
                        Error(at, message);
                    }
                }
            }
        }

        private void CheckDecisionInputs(DecisionDefinition decision, string path)
        {
            // Inputs read the case: its facts and every step's recorded fields (not another table, so tables never loop).
            var scope = ExpressionScopes.ForDecisions(doc);
            for (var i = 0; i < decision.Inputs.Count; i++)
            {
                var input = decision.Inputs[i];
                var inputPath = $"{path}.inputs[{i}]";
                if (string.IsNullOrWhiteSpace(input.Label))
                {
                    Error($"{inputPath}.label", $"Input {i + 1} of '{decision.Key}' has no label; the label names the input in problems and reasons.");
                }

                if (string.IsNullOrWhiteSpace(input.Expression))
                {
                    Error($"{inputPath}.expression", $"Input '{input.Label}' of '{decision.Key}' has no expression; write what it reads, e.g. steps.intake.employees.");
                }
                else if (DecisionTable.TryKind(input.Kind, out var kind))
                {
                    var expected = kind switch
                    {
                        DecisionKind.Number => ExpressionValueKind.Number,
                        DecisionKind.Date => ExpressionValueKind.Date,
                        DecisionKind.Boolean => ExpressionValueKind.Boolean,
                        _ => ExpressionValueKind.Text,
                    };
                    CheckExpression(input.Expression, scope, expected, $"{inputPath}.expression");
                }
            }
        }

        private void CheckDecisionOutputs(DecisionDefinition decision, string path)
        {
            var output = decision.Output;
            if (output?.Kind is not (null or "text" or "number" or "boolean"))
            {
                Error($"{path}.output.kind", $"The output of '{decision.Key}' must be text, number or boolean, not '{output.Kind}'.");
                return;
            }

            var kind = output?.Kind ?? "text";
            var allowed = output?.Values ?? [];
            bool Fits(string value) => kind switch
            {
                "number" => decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _),
                "boolean" => value is "yes" or "no" or "true" or "false",
                _ => allowed.Count == 0 || allowed.Contains(value, StringComparer.Ordinal),
            };
            string Expected() => kind switch
            {
                "number" => "a number",
                "boolean" => "yes or no",
                _ => $"one of the allowed values ({string.Join(", ", allowed)})",
            };

            for (var r = 0; r < decision.Rules.Count; r++)
            {
                var then = decision.Rules[r].Then;
                if (string.IsNullOrWhiteSpace(then))
                {
                    Error($"{path}.rules[{r}].then", $"Rule {r + 1} of '{decision.Key}' has no output ('then:').");
                }
                else if (!Fits(then))
                {
                    Error($"{path}.rules[{r}].then", $"Rule {r + 1} of '{decision.Key}' gives '{then}', which is not {Expected()}.");
                }
            }

            if (decision.Default is { } fallback && !Fits(fallback))
            {
                Error($"{path}.default", $"The default of '{decision.Key}' is '{fallback}', which is not {Expected()}.");
            }
        }
    }
}
