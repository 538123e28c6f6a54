using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Localization;

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
                _errors.Add(new ValidationError(path, Localized.Format("{0} (column {1} of the expression)", problem.Message, problem.Column)) { ExpressionColumn = problem.Column });
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
                if (CheckKey(decision.Key, $"{path}.key", Localized.Text("The decision table")) && !keys.TryAdd(decision.Key, path))
                {
                    Error($"{path}.key", Localized.Format("The decision table key '{0}' is already used by {1}.", decision.Key, keys[decision.Key]));
                }

                if (string.IsNullOrWhiteSpace(decision.Name))
                {
                    Error($"{path}.name", Localized.Format("Decision table '{0}' has no name.", decision.Key));
                }

                if (decision.HitPolicy is not (null or "unique" or "first"))
                {
                    Error($"{path}.hit-policy", Localized.Format("The hit policy of '{0}' must be unique (at most one rule applies) or first (the first rule that applies wins), not '{1}'.", decision.Key, decision.HitPolicy));
                }

                if (decision.Inputs.Count == 0)
                {
                    Error($"{path}.inputs", Localized.Format("Decision table '{0}' has no inputs.", decision.Key));
                }

                if (decision.Rules.Count == 0)
                {
                    Error($"{path}.rules", Localized.Format("Decision table '{0}' has no rules.", decision.Key));
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
                    Error($"{inputPath}.label", Localized.Format("Input {0} of '{1}' has no label; the label names the input in problems and reasons.", i + 1, decision.Key));
                }

                if (string.IsNullOrWhiteSpace(input.Expression))
                {
                    Error($"{inputPath}.expression", Localized.Format("Input '{0}' of '{1}' has no expression; write what it reads, e.g. steps.intake.employees.", input.Label, decision.Key));
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
                Error($"{path}.output.kind", Localized.Format("The output of '{0}' must be text, number or boolean, not '{1}'.", decision.Key, output.Kind));
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
                "number" => Localized.Text("a number"),
                "boolean" => Localized.Text("yes or no"),
                _ => Localized.Format("one of the allowed values ({0})", string.Join(", ", allowed)),
            };

            for (var r = 0; r < decision.Rules.Count; r++)
            {
                var then = decision.Rules[r].Then;
                if (string.IsNullOrWhiteSpace(then))
                {
                    Error($"{path}.rules[{r}].then", Localized.Format("Rule {0} of '{1}' has no output ('then:').", r + 1, decision.Key));
                }
                else if (!Fits(then))
                {
                    Error($"{path}.rules[{r}].then", Localized.Format("Rule {0} of '{1}' gives '{2}', which is not {3}.", r + 1, decision.Key, then, Expected()));
                }
            }

            if (decision.Default is { } fallback && !Fits(fallback))
            {
                Error($"{path}.default", Localized.Format("The default of '{0}' is '{1}', which is not {2}.", decision.Key, fallback, Expected()));
            }
        }
    }
}
