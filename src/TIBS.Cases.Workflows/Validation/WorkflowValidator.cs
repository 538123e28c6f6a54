// Longer than 400 lines because it is one pass over a whole definition that reports every problem with its path: the checks of stages, steps, forms, outcomes, reachability and migrations share the collected keys and paths of that pass.
using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Validation;

/// <summary>One problem of a definition: where (<c>stages[1].steps[2].outcomes[0].to</c>) and what, in words.</summary>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary>Where the path was written in the YAML file, when known.</summary>
    public SourcePosition? Position { get; init; }

    /// <summary>For a problem inside an expression: its 1-based column in the expression's text.</summary>
    public int? ExpressionColumn { get; init; }

    /// <summary>An error stops publishing; a warning (a missing translation) is reported and publishing goes on.</summary>
    public ValidationSeverity Severity { get; init; } = ValidationSeverity.Error;

    /// <summary>The file <see cref="Position"/> is in when it is not the definition itself (a translation sidecar).</summary>
    public string? File { get; init; }

    /// <summary><c>path: message</c>, the form the command line prints.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>How serious a <see cref="ValidationError"/> is.</summary>
public enum ValidationSeverity
{
    Error,
    Warning,
}

/// <summary>
/// Checks a definition document and reports every problem (never only the first). See the README of
/// this project for the rules, including the rule for outcomes that could be allowed together.
/// </summary>
public static partial class WorkflowValidator
{
    [GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    /// <summary>True when <paramref name="key"/> is lowercase letters, digits and single hyphens, starting with a letter.</summary>
    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    /// <summary>Validates a document; an empty list means it is valid.</summary>
    public static IReadOnlyList<ValidationError> Validate(WorkflowDefinitionDocument document) => Validate(document, CancellationToken.None);

    /// <summary>Validates a document, stopping with <see cref="OperationCanceledException"/> between its parts when cancelled.</summary>
    public static IReadOnlyList<ValidationError> Validate(WorkflowDefinitionDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new Run(document, cancellationToken).Execute();
    }

    /// <summary>Adds source positions from a loaded file to validation errors.</summary>
    public static IReadOnlyList<ValidationError> WithPositions(IReadOnlyList<ValidationError> errors, SourceMap map)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(map);
        return [.. errors.Select(e => e with
        {
            Position = e.Position ?? (e.ExpressionColumn is { } column ? map.LocateInExpression(e.Path, column) : map.Locate(e.Path)) ?? new SourcePosition(1, 1),
        })];
    }

    private sealed partial class Run(WorkflowDefinitionDocument doc, CancellationToken cancellationToken)
    {
        private readonly List<ValidationError> _errors = [];
        private readonly Dictionary<string, string> _stepPaths = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StepDefinition> _steps = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _endStatePaths = new(StringComparer.Ordinal);

        private void Error(string path, string message) => _errors.Add(new ValidationError(path, message));

        public IReadOnlyList<ValidationError> Execute()
        {
            CheckKey(doc.Key, "key", Localized.Text("The workflow"));
            if (string.IsNullOrWhiteSpace(doc.Name))
            {
                Error("name", Localized.Text("The workflow has no name."));
            }

            if (doc.Version < 1)
            {
                Error("version", Localized.Text("The version must be a whole number of at least 1."));
            }

            Guard("", CheckSingleLineTexts);
            Guard("end-states", CheckEndStates);
            Guard("stages", CollectSteps);
            var stepsWithCheckIns = Guard("check-ins", CheckCheckIns) ?? [];
            Guard("stages", () => CheckStages(stepsWithCheckIns));
            var start = Guard("start", CheckStart);
            Guard("case-actions", CheckCaseActions);
            Guard("stages", () => CheckReachability(start));
            Guard("stages", CheckDiagramNames);
            Guard("decisions", CheckDecisions);
            return _errors;
        }

        private void Guard(string path, Action check) => Guard<object?>(path, () =>
        {
            check();
            return null;
        });

        /// <summary>
        /// Runs one part of the check; should it ever fail on an input nobody foresaw, the failure becomes a problem
        /// at <paramref name="path"/> instead of escaping, and the other parts still run.
        /// </summary>
        private T? Guard<T>(string path, Func<T> check)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return check();
            }
#pragma warning disable CA1031 // a checker of user files reports every failure as a problem instead of throwing
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Error(path, Localized.Format("This part of the definition could not be checked ({0}: {1}); simplify it or report the problem.", ex.GetType().Name, ex.Message));
                return default;
            }
        }

        /// <summary>
        /// Names, labels, keys and condition values are shown on one line (lists, forms, diagrams): line breaks and other
        /// control characters in them are refused. Descriptions and help texts may span lines.
        /// </summary>
        private void CheckSingleLineTexts()
        {
            void Line(string? text, string path)
            {
                if (DefinitionTexts.FindLineBreaker(text) is { } ch)
                {
                    Error(path, Localized.Format("This text contains {0}; names, labels and keys must be one line of visible characters.", DefinitionTexts.Describe(ch)));
                }
            }

            Line(doc.Key, "key");
            Line(doc.Name, "name");
            Line(doc.Start, "start");
            for (var e = 0; e < doc.EndStates.Count; e++)
            {
                Line(doc.EndStates[e].Key, $"end-states[{e}].key");
                Line(doc.EndStates[e].Name, $"end-states[{e}].name");
                Line(doc.EndStates[e].Kind, $"end-states[{e}].kind");
            }

            for (var i = 0; i < doc.Stages.Count; i++)
            {
                var stage = doc.Stages[i];
                Line(stage.Key, $"stages[{i}].key");
                Line(stage.Name, $"stages[{i}].name");
                for (var j = 0; j < stage.Steps.Count; j++)
                {
                    var step = stage.Steps[j];
                    var path = $"stages[{i}].steps[{j}]";
                    Line(step.Key, $"{path}.key");
                    Line(step.Name, $"{path}.name");
                    Line(step.Role, $"{path}.role");
                    for (var c = 0; c < step.Contributors.Count; c++)
                    {
                        Line(step.Contributors[c].Task, $"{path}.contributors[{c}].task");
                    }

                    SingleLineFields(step.Form, $"{path}.form", Line);
                    for (var o = 0; o < step.Outcomes.Count; o++)
                    {
                        var outcome = step.Outcomes[o];
                        Line(outcome.Key, $"{path}.outcomes[{o}].key");
                        Line(outcome.Label, $"{path}.outcomes[{o}].label");
                        Line(outcome.To, $"{path}.outcomes[{o}].to");
                        for (var k = 0; k < outcome.Conditions.Count; k++)
                        {
                            var condition = outcome.Conditions[k];
                            var conditionPath = $"{path}.outcomes[{o}].conditions[{k}]";
                            Line(condition.Name, conditionPath);
                            Line(condition.Argument, conditionPath);
                            foreach (var (name, value) in condition.Arguments ?? new SortedDictionary<string, string>())
                            {
                                Line(name, conditionPath);
                                Line(value, conditionPath);
                            }
                        }
                    }
                }
            }

            for (var a = 0; a < doc.CaseActions.Count; a++)
            {
                var action = doc.CaseActions[a];
                Line(action.Key, $"case-actions[{a}].key");
                Line(action.Label, $"case-actions[{a}].label");
                Line(action.To, $"case-actions[{a}].to");
            }

            for (var c = 0; c < doc.CheckIns.Count; c++)
            {
                var checkIn = doc.CheckIns[c];
                Line(checkIn.Key, $"check-ins[{c}].key");
                Line(checkIn.Name, $"check-ins[{c}].name");
                SingleLineFields(checkIn.Form, $"check-ins[{c}].form", Line);
            }
        }

        private static void SingleLineFields(IReadOnlyList<FieldDefinition> fields, string path, Action<string?, string> line)
        {
            for (var f = 0; f < fields.Count; f++)
            {
                var field = fields[f];
                line(field.Key, $"{path}[{f}].key");
                line(field.Label, $"{path}[{f}].label");
                for (var o = 0; o < field.Options.Count; o++)
                {
                    line(field.Options[o].Value, $"{path}[{f}].options[{o}]");
                    line(field.Options[o].Label, $"{path}[{f}].options[{o}]");
                }

                SingleLineFields(field.Columns, $"{path}[{f}].columns", line);
            }
        }

        private void CheckEndStates()
        {
            if (doc.EndStates.Count == 0)
            {
                Error("end-states", Localized.Text("The workflow has no end states; add at least one (e.g. completed, of kind success)."));
            }

            for (var i = 0; i < doc.EndStates.Count; i++)
            {
                var end = doc.EndStates[i];
                var path = $"end-states[{i}]";
                if (CheckKey(end.Key, $"{path}.key", Localized.Text("The end state")) && !_endStatePaths.TryAdd(end.Key, path))
                {
                    Error($"{path}.key", Localized.Format("The end state key '{0}' is already used by {1}; end state keys must be unique.", end.Key, _endStatePaths[end.Key]));
                }

                if (string.IsNullOrWhiteSpace(end.Name))
                {
                    Error($"{path}.name", Localized.Format("End state '{0}' has no name.", end.Key));
                }

                if (string.IsNullOrWhiteSpace(end.Kind))
                {
                    Error($"{path}.kind", Localized.Format("End state '{0}' has no kind; use success or failure.", end.Key));
                }
                else if (!WorkflowNames.TryParseEndStateKind(end.Kind, out _))
                {
                    Error($"{path}.kind", Localized.Format("'{0}' is not a kind of end state; use success or failure.", end.Kind));
                }
            }

            if (doc.EndStates.Count > 0 && doc.EndStates.All(e => e.Kind != "success"))
            {
                Error("end-states", Localized.Text("No end state is of kind success, so no case could ever succeed."));
            }
        }

        private void CollectSteps()
        {
            if (doc.Stages.Count == 0)
            {
                Error("stages", Localized.Text("The workflow has no stages; add at least one stage with steps."));
            }

            var stagePaths = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < doc.Stages.Count; i++)
            {
                var stage = doc.Stages[i];
                var path = $"stages[{i}]";
                if (CheckKey(stage.Key, $"{path}.key", Localized.Text("The stage")) && !stagePaths.TryAdd(stage.Key, path))
                {
                    Error($"{path}.key", Localized.Format("The stage key '{0}' is already used by {1}; stage keys must be unique.", stage.Key, stagePaths[stage.Key]));
                }

                if (string.IsNullOrWhiteSpace(stage.Name))
                {
                    Error($"{path}.name", Localized.Format("Stage '{0}' has no name.", stage.Key));
                }

                if (stage.Steps.Count == 0)
                {
                    Error($"{path}.steps", Localized.Format("Stage '{0}' has no steps.", stage.Key));
                }

                for (var j = 0; j < stage.Steps.Count; j++)
                {
                    var step = stage.Steps[j];
                    var stepPath = $"{path}.steps[{j}]";
                    if (!CheckKey(step.Key, $"{stepPath}.key", Localized.Text("The step")))
                    {
                        continue;
                    }

                    if (_endStatePaths.TryGetValue(step.Key, out var endPath))
                    {
                        Error($"{stepPath}.key", Localized.Format("The step key '{0}' is also the key of an end state ({1}); a case could not tell them apart.", step.Key, endPath));
                    }
                    else if (!_stepPaths.TryAdd(step.Key, stepPath))
                    {
                        Error($"{stepPath}.key", Localized.Format("The step key '{0}' is already used by {1}; step keys must be unique in the whole workflow.", step.Key, _stepPaths[step.Key]));
                    }
                    else
                    {
                        _steps[step.Key] = step;
                    }
                }
            }
        }

        private HashSet<string> CheckCheckIns()
        {
            var withCheckIns = new HashSet<string>(StringComparer.Ordinal);
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < doc.CheckIns.Count; i++)
            {
                var checkIn = doc.CheckIns[i];
                var path = $"check-ins[{i}]";
                if (CheckKey(checkIn.Key, $"{path}.key", Localized.Text("The check-in")) && !keys.TryAdd(checkIn.Key, path))
                {
                    Error($"{path}.key", Localized.Format("The check-in key '{0}' is already used by {1}.", checkIn.Key, keys[checkIn.Key]));
                }

                if (string.IsNullOrWhiteSpace(checkIn.Name))
                {
                    Error($"{path}.name", Localized.Format("Check-in '{0}' has no name.", checkIn.Key));
                }

                if (string.IsNullOrWhiteSpace(checkIn.Step))
                {
                    Error($"{path}.step", Localized.Format("Check-in '{0}' does not say during which step it runs; add 'step:'.", checkIn.Key));
                }
                else if (_steps.ContainsKey(checkIn.Step))
                {
                    withCheckIns.Add(checkIn.Step);
                }
                else
                {
                    Error($"{path}.step", Localized.Format("Check-in '{0}' is bound to '{1}', which is not a step of this workflow{2}.", checkIn.Key, checkIn.Step, Hint(checkIn.Step, _steps.Keys)));
                }

                var every = CalendarDaysOnly(CheckDuration(checkIn.Every, $"{path}.every", Localized.Format("'every' of check-in '{0}'", checkIn.Key), required: true), $"{path}.every", Localized.Format("'every' of check-in '{0}'", checkIn.Key));
                var total = CalendarDaysOnly(CheckDuration(checkIn.For, $"{path}.for", Localized.Format("'for' of check-in '{0}'", checkIn.Key), required: true), $"{path}.for", Localized.Format("'for' of check-in '{0}'", checkIn.Key));
                if (every is { } e && total is { } t && e.CompareFrom(DateTimeOffset.UnixEpoch, t) > 0)
                {
                    Error($"{path}.for", Localized.Format("Check-ins every {0} for {1} would never happen: 'for' must be at least as long as 'every'.", e.ToWords(), t.ToWords()));
                }

                if (checkIn.Opens is not null
                    && CalendarDaysOnly(CheckDuration(checkIn.Opens, $"{path}.opens", Localized.Format("'opens' of check-in '{0}'", checkIn.Key), required: true), $"{path}.opens", Localized.Format("'opens' of check-in '{0}'", checkIn.Key)) is { } opens
                    && every is { } period && opens.CompareFrom(DateTimeOffset.UnixEpoch, period) > 0)
                {
                    Error($"{path}.opens", Localized.Format("Check-in '{0}' would open {1} before it is due, but check-ins come every {2}: 'opens' may be at most as long as 'every', so that a check-in opens after the one before it is due.", checkIn.Key, opens.ToWords(), period.ToWords()));
                }

                if (checkIn.Role is not null)
                {
                    CheckRole(checkIn.Role, $"{path}.role", $"Check-in '{checkIn.Key}'");
                }

                if (checkIn.Form.Count == 0)
                {
                    Error($"{path}.form", Localized.Format("Check-in '{0}' has an empty form; add the fields recorded at each check-in.", checkIn.Key));
                }

                CheckFields(checkIn.Form, $"{path}.form", nested: false);
            }

            return withCheckIns;
        }

        private void CheckStages(HashSet<string> stepsWithCheckIns)
        {
            for (var i = 0; i < doc.Stages.Count; i++)
            {
                for (var j = 0; j < doc.Stages[i].Steps.Count; j++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    CheckStep(doc.Stages[i].Steps[j], $"stages[{i}].steps[{j}]", stepsWithCheckIns.Contains(doc.Stages[i].Steps[j].Key));
                }
            }
        }

        private void CheckStep(StepDefinition step, string path, bool hasCheckIn)
        {
            var what = Localized.Format("Step '{0}'", step.Key);
            if (string.IsNullOrWhiteSpace(step.Name))
            {
                Error($"{path}.name", Localized.Format("{0} has no name.", what));
            }

            CheckRole(step.Role, $"{path}.role", what);
            CheckDuration(step.Due, $"{path}.due", Localized.Format("The due time of step '{0}'", step.Key), required: false);
            for (var r = 0; r < step.Reminders.Count; r++)
            {
                var reminder = step.Reminders[r];
                CheckDuration(reminder.After, $"{path}.reminders[{r}].after", Localized.Format("Reminder {0} of step '{1}'", r + 1, step.Key), required: true);
                if (reminder.To is not null)
                {
                    CheckRole(reminder.To, $"{path}.reminders[{r}].to", Localized.Format("Reminder {0} of step '{1}'", r + 1, step.Key));
                }
            }

            if (step.Escalation is { } escalation)
            {
                var escalateAfter = CheckDuration(escalation.After, $"{path}.escalation.after", Localized.Format("The escalation of step '{0}'", step.Key), required: true);
                CheckRole(escalation.To, $"{path}.escalation.to", Localized.Format("The escalation of step '{0}'", step.Key));
                for (var r = 0; r < step.Reminders.Count && escalateAfter is { } limit; r++)
                {
                    if (IsoDuration.TryParse(step.Reminders[r].After, out var remindAfter) && !remindAfter.IsZero && !remindAfter.IsAlwaysBefore(limit))
                    {
                        Error($"{path}.reminders[{r}].after",
                            Localized.Format("Reminder {0} of step '{1}' comes after {2}, not before the escalation after {3}; reminders must come before the step is escalated (a reminder after the due date, as an overdue notice, is fine).", r + 1, step.Key, remindAfter.ToWords(), limit.ToWords()));
                    }
                }
            }

            for (var c = 0; c < step.Contributors.Count; c++)
            {
                var contributor = step.Contributors[c];
                var contributorPath = $"{path}.contributors[{c}]";
                CheckRole(contributor.Role, $"{contributorPath}.role", Localized.Format("Contributor {0} of step '{1}'", c + 1, step.Key));
                if (string.IsNullOrWhiteSpace(contributor.Task))
                {
                    Error($"{contributorPath}.task", Localized.Format("Contributor {0} of step '{1}' has no task; say what they must do.", c + 1, step.Key));
                }

                CheckDuration(contributor.Due, $"{contributorPath}.due", Localized.Format("The due time of contributor {0} of step '{1}'", c + 1, step.Key), required: false);
            }

            CheckFields(step.Form, $"{path}.form", nested: false);
            CheckOutcomes(step, path, hasCheckIn);
            CheckTimers(step, path);

            if (step.Tracks is { } tracks)
            {
                CheckTracks(step, tracks, $"{path}.tracks");
            }
        }

        private void CheckFields(IReadOnlyList<FieldDefinition> fields, string path, bool nested)
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                var field = fields[i];
                var fieldPath = $"{path}[{i}]";
                if (CheckKey(field.Key, $"{fieldPath}.key", nested ? Localized.Text("The column") : Localized.Text("The field")) && !keys.TryAdd(field.Key, fieldPath))
                {
                    Error($"{fieldPath}.key", nested
                        ? Localized.Format("The column key '{0}' is already used by {1}; column keys must be unique in a form.", field.Key, keys[field.Key])
                        : Localized.Format("The field key '{0}' is already used by {1}; field keys must be unique in a form.", field.Key, keys[field.Key]));
                }

                var what = nested ? Localized.Format("Column '{0}'", field.Key) : Localized.Format("Field '{0}'", field.Key);
                if (string.IsNullOrWhiteSpace(field.Label))
                {
                    Error($"{fieldPath}.label", Localized.Format("{0} has no label; the label is what people see on the form.", what));
                }

                FieldType? type = null;
                if (string.IsNullOrWhiteSpace(field.Type))
                {
                    Error($"{fieldPath}.type", Localized.Format("{0} has no type; use one of: {1}.", what, string.Join(", ", WorkflowNames.FieldTypes)));
                }
                else if (WorkflowNames.TryParseFieldType(field.Type, out var parsed))
                {
                    type = parsed;
                }
                else
                {
                    Error($"{fieldPath}.type", Localized.Format("'{0}' is not a field type{1}. Use one of: {2}.", field.Type, Hint(field.Type, WorkflowNames.FieldTypes), string.Join(", ", WorkflowNames.FieldTypes)));
                }

                var isChoice = type is FieldType.Choice or FieldType.MultiChoice;
                if (isChoice && field.Options.Count == 0)
                {
                    Error($"{fieldPath}.options", Localized.Format("Choice field '{0}' has no options; list them under 'options:'.", field.Key));
                }
                else if (type is not null && !isChoice && field.Options.Count > 0)
                {
                    Error($"{fieldPath}.options", Localized.Format("{0} is a {1} field; 'options' only apply to choice and multi-choice fields.", what, field.Type));
                }

                var optionValues = new HashSet<string>(StringComparer.Ordinal);
                for (var o = 0; o < field.Options.Count; o++)
                {
                    var value = field.Options[o].Value;
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        Error($"{fieldPath}.options[{o}]", Localized.Format("Option {0} of '{1}' has no value.", o + 1, field.Key));
                    }
                    else if (!optionValues.Add(value))
                    {
                        Error($"{fieldPath}.options[{o}]", Localized.Format("The option '{0}' appears twice in '{1}'.", value, field.Key));
                    }
                }

                if (type == FieldType.Taxonomy)
                {
                    if (string.IsNullOrWhiteSpace(field.Taxonomy))
                    {
                        Error($"{fieldPath}.taxonomy", Localized.Format("Taxonomy field '{0}' needs 'taxonomy:', one of: {1}.", field.Key, string.Join(", ", WorkflowNames.Taxonomies)));
                    }
                    else if (!WorkflowNames.Taxonomies.Contains(field.Taxonomy))
                    {
                        Error($"{fieldPath}.taxonomy", Localized.Format("'{0}' is not a taxonomy{1}; use one of: {2}.", field.Taxonomy, Hint(field.Taxonomy, WorkflowNames.Taxonomies), string.Join(", ", WorkflowNames.Taxonomies)));
                    }
                }
                else if (type is not null && field.Taxonomy is not null)
                {
                    Error($"{fieldPath}.taxonomy", Localized.Format("{0} is a {1} field; 'taxonomy' only applies to taxonomy fields.", what, field.Type));
                }

                if (field.Multiple && type is not null and not (FieldType.Taxonomy or FieldType.Company or FieldType.File))
                {
                    Error($"{fieldPath}.multiple", Localized.Format("{0} is a {1} field; 'multiple' only applies to taxonomy, company and file fields (use multi-choice for several options).", what, field.Type));
                }

                if ((field.Min is not null || field.Max is not null) && type is not null and not FieldType.Number)
                {
                    Error($"{fieldPath}.{(field.Min is not null ? "min" : "max")}", Localized.Format("{0} is a {1} field; 'min' and 'max' only apply to number fields.", what, field.Type));
                }
                else if (field.Min > field.Max)
                {
                    Error($"{fieldPath}.min", Localized.Format("{0}: 'min' ({1}) is larger than 'max' ({2}), so no value could be entered.", what, field.Min, field.Max));
                }

                if (field.MaxLength is { } maxLength)
                {
                    if (type is not null && !FieldLimits.HoldsText(type.Value))
                    {
                        Error($"{fieldPath}.maxLength", Localized.Format("{0} is a {1} field; 'maxLength' only applies to text, textarea, email, phone and url fields.", what, field.Type));
                    }
                    else if (maxLength is < 1 or > FieldLimits.MaxDeclarableLength)
                    {
                        Error($"{fieldPath}.maxLength", Localized.Format("{0}: 'maxLength' must be a whole number from 1 to {1}, not {2}.", what, FieldLimits.MaxDeclarableLength, maxLength));
                    }
                }

                if (type == FieldType.Table)
                {
                    if (nested)
                    {
                        Error($"{fieldPath}.type", Localized.Format("{0}: a table cannot contain another table.", what));
                    }
                    else if (field.Columns.Count == 0)
                    {
                        Error($"{fieldPath}.columns", Localized.Format("Table field '{0}' has no columns; list them under 'columns:'.", field.Key));
                    }
                }
                else if (type is not null && field.Columns.Count > 0)
                {
                    Error($"{fieldPath}.columns", Localized.Format("{0} is a {1} field; 'columns' only apply to table fields.", what, field.Type));
                }

                if (field.Columns.Count > 0 && !nested)
                {
                    CheckFields(field.Columns, $"{fieldPath}.columns", nested: true);
                }
            }
        }

        private void CheckOutcomes(StepDefinition step, string path, bool hasCheckIn)
        {
            if (step.Outcomes.Count == 0)
            {
                Error($"{path}.outcomes", Localized.Format("Step '{0}' has no outcomes, so a case in it could never move on; add at least one.", step.Key));
                return;
            }

            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var k = 0; k < step.Outcomes.Count; k++)
            {
                var outcome = step.Outcomes[k];
                var outcomePath = $"{path}.outcomes[{k}]";
                if (CheckKey(outcome.Key, $"{outcomePath}.key", Localized.Text("The outcome")) && !keys.TryAdd(outcome.Key, outcomePath))
                {
                    Error($"{outcomePath}.key", Localized.Format("The outcome key '{0}' is already used by {1}; outcome keys must be unique within a step.", outcome.Key, keys[outcome.Key]));
                }

                if (string.IsNullOrWhiteSpace(outcome.Label))
                {
                    Error($"{outcomePath}.label", Localized.Format("Outcome '{0}' of step '{1}' has no label; the label is the button people press.", outcome.Key, step.Key));
                }

                if (string.IsNullOrWhiteSpace(outcome.To))
                {
                    Error($"{outcomePath}.to", Localized.Format("Outcome '{0}' of step '{1}' does not say where it leads; add 'to:' with a step or end state key.", outcome.Key, step.Key));
                }
                else if (!_steps.ContainsKey(outcome.To) && !_endStatePaths.ContainsKey(outcome.To))
                {
                    Error($"{outcomePath}.to", Localized.Format("Outcome '{0}' of step '{1}' leads to '{2}', which is neither a step nor an end state{3}.", outcome.Key, step.Key, outcome.To, Hint(outcome.To, _steps.Keys.Concat(_endStatePaths.Keys))));
                }

                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                var equals = new Dictionary<string, (string Value, int Index)>(StringComparer.Ordinal);
                for (var m = 0; m < outcome.Conditions.Count; m++)
                {
                    var condition = outcome.Conditions[m];
                    var conditionPath = $"{outcomePath}.conditions[{m}]";
                    var problems = ConditionCatalog.Check(condition, step.Form, hasCheckIn);
                    foreach (var problem in problems)
                    {
                        Error(conditionPath, problem);
                    }

                    if (problems.Count == 0 && condition.Name == ConditionCatalog.Expression)
                    {
                        CheckExpression(condition.Argument!, ExpressionScopes.AtOutcome(doc, step), ExpressionValueKind.Boolean, $"{conditionPath}.{ConditionCatalog.Expression}");
                    }

                    var guard = ConditionCatalog.GuardName(condition);
                    if (!seen.TryAdd(guard, m))
                    {
                        Error(conditionPath, Localized.Format("The condition '{0}' is listed twice in outcome '{1}'.", guard, outcome.Key));
                    }

                    if (problems.Count == 0 && condition.Name == ConditionCatalog.FieldEquals)
                    {
                        var field = condition.Arguments!["field"];
                        var value = condition.Arguments["value"];
                        if (equals.TryGetValue(field, out var other) && other.Value != value)
                        {
                            Error(conditionPath, Localized.Format("Outcome '{0}' can never be allowed: '{1}' cannot be both '{2}' and '{3}'.", outcome.Key, field, other.Value, value));
                        }

                        equals.TryAdd(field, (value, m));
                    }
                }
            }

            CheckAmbiguity(step, path);
        }

        // Two outcomes of one step that lead to different places must not be allowed together for the
        // same facts. They are flagged when one's set of conditions contains the other's (both empty,
        // identical, or a subset: whenever the stronger is allowed, so is the weaker), unless a
        // field-equals on the same field with different values tells them apart.
        private void CheckAmbiguity(StepDefinition step, string path)
        {
            var sets = step.Outcomes.Select(o => o.Conditions.Select(ConditionCatalog.GuardName).ToHashSet(StringComparer.Ordinal)).ToList();
            for (var j = 1; j < step.Outcomes.Count; j++)
            {
                for (var i = 0; i < j; i++)
                {
                    var a = step.Outcomes[i];
                    var b = step.Outcomes[j];
                    if (a.To == b.To || string.IsNullOrEmpty(a.To) || string.IsNullOrEmpty(b.To) || Exclusive(a, b) || IsJoinOutcome(step, a) || IsJoinOutcome(step, b))
                    {
                        continue;
                    }

                    var fix = Localized.Text("Make them exclude each other, e.g. with field-equals on the same field and different values.");
                    string? message = null;
                    if (sets[i].Count == 0 && sets[j].Count == 0)
                    {
                        message = Localized.Format("Outcomes '{0}' and '{1}' of step '{2}' both have no conditions but lead to different places ('{3}' and '{4}'), so both would always be allowed. {5}", a.Key, b.Key, step.Key, a.To, b.To, fix);
                    }
                    else if (sets[i].SetEquals(sets[j]))
                    {
                        message = Localized.Format("Outcomes '{0}' and '{1}' of step '{2}' have the same conditions but lead to different places ('{3}' and '{4}'). {5}", a.Key, b.Key, step.Key, a.To, b.To, fix);
                    }
                    else if (sets[i].IsSubsetOf(sets[j]) || sets[j].IsSubsetOf(sets[i]))
                    {
                        var (weak, strong) = sets[i].IsSubsetOf(sets[j]) ? (a, b) : (b, a);
                        message = Localized.Format("Whenever outcome '{0}' of step '{1}' is allowed, outcome '{2}' is allowed too (its conditions are a part of the other's), yet they lead to different places ('{3}' and '{4}'). {5}", strong.Key, step.Key, weak.Key, a.To, b.To, fix);
                    }

                    if (message is not null)
                    {
                        Error($"{path}.outcomes[{j}]", message);
                    }
                }
            }
        }

        private static bool Exclusive(OutcomeDefinition a, OutcomeDefinition b)
        {
            static IEnumerable<(string Field, string Value)> Equals(OutcomeDefinition o) =>
                o.Conditions
                    .Where(c => c.Name == ConditionCatalog.FieldEquals && c.Arguments is not null
                                && c.Arguments.ContainsKey("field") && c.Arguments.ContainsKey("value"))
                    .Select(c => (c.Arguments!["field"], c.Arguments["value"]));

            return Equals(a).Any(x => Equals(b).Any(y => x.Field == y.Field && x.Value != y.Value));
        }

        private string? CheckStart()
        {
            if (doc.Start is not null)
            {
                if (_steps.ContainsKey(doc.Start))
                {
                    return doc.Start;
                }

                Error("start", Localized.Format("The start step '{0}' is not a step of this workflow{1}.", doc.Start, Hint(doc.Start, _steps.Keys)));
                return null;
            }

            var first = doc.Stages.FirstOrDefault()?.Steps.FirstOrDefault()?.Key;
            return first is not null && _steps.ContainsKey(first) ? first : null;
        }

        private void CheckCaseActions()
        {
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            var kinds = new Dictionary<CaseActionKind, string>();
            for (var i = 0; i < doc.CaseActions.Count; i++)
            {
                var action = doc.CaseActions[i];
                var path = $"case-actions[{i}]";
                if (CheckKey(action.Key, $"{path}.key", Localized.Text("The case action")) && !keys.TryAdd(action.Key, path))
                {
                    Error($"{path}.key", Localized.Format("The case action key '{0}' is already used by {1}.", action.Key, keys[action.Key]));
                }

                if (string.IsNullOrWhiteSpace(action.Label))
                {
                    Error($"{path}.label", Localized.Format("Case action '{0}' has no label; the label is the button people press.", action.Key));
                }

                if (!WorkflowNames.TryParseCaseActionKind(action.Kind, out var kind))
                {
                    Error($"{path}.kind", string.IsNullOrWhiteSpace(action.Kind)
                        ? Localized.Format("Case action '{0}' has no kind; use one of: {1}.", action.Key, string.Join(", ", WorkflowNames.CaseActionKinds))
                        : Localized.Format("'{0}' is not a kind of case action{1}; use one of: {2}.", action.Kind, Hint(action.Kind, WorkflowNames.CaseActionKinds), string.Join(", ", WorkflowNames.CaseActionKinds)));
                }
                else if (!kinds.TryAdd(kind, path))
                {
                    Error($"{path}.kind", Localized.Format("There is already a {0} action ({1}); each kind may appear once.", action.Kind, kinds[kind]));
                }
                else if (kind == CaseActionKind.Withdraw)
                {
                    if (string.IsNullOrWhiteSpace(action.To))
                    {
                        Error($"{path}.to", Localized.Format("The withdraw action '{0}' needs 'to:' with the end state withdrawn cases go to.", action.Key));
                    }
                    else if (_steps.ContainsKey(action.To))
                    {
                        Error($"{path}.to", Localized.Format("'{0}' is a step; withdrawing ends a case, so 'to' must be an end state.", action.To));
                    }
                    else if (!_endStatePaths.ContainsKey(action.To))
                    {
                        Error($"{path}.to", Localized.Format("The withdraw action leads to '{0}', which is not an end state{1}.", action.To, Hint(action.To, _endStatePaths.Keys)));
                    }
                }
                else if (action.To is not null)
                {
                    Error($"{path}.to", Localized.Format("Case action '{0}' is a {1} action; 'to' only applies to withdraw actions.", action.Key, action.Kind));
                }

                if (action.Roles.Count == 0)
                {
                    Error($"{path}.roles", Localized.Format("Case action '{0}' names no roles; say who may use it under 'roles:'.", action.Key));
                }

                for (var r = 0; r < action.Roles.Count; r++)
                {
                    CheckRole(action.Roles[r], $"{path}.roles[{r}]", Localized.Format("Case action '{0}'", action.Key));
                }
            }

            if (kinds.TryGetValue(CaseActionKind.Hold, out var holdPath) && !kinds.ContainsKey(CaseActionKind.Resume))
            {
                Error(holdPath, Localized.Text("Cases put on hold could never be resumed: add a case action of kind resume."));
            }

            if (kinds.TryGetValue(CaseActionKind.Resume, out var resumePath) && !kinds.ContainsKey(CaseActionKind.Hold))
            {
                Error(resumePath, Localized.Text("A resume action without a hold action could never be used: add a case action of kind hold or remove it."));
            }
        }

        private void CheckReachability(string? start)
        {
            IEnumerable<string> Next(StepDefinition step) => step.Outcomes.Select(o => o.To).Where(t => !string.IsNullOrEmpty(t));

            if (start is not null)
            {
                var reached = new HashSet<string>(StringComparer.Ordinal) { start };
                var queue = new Queue<string>([start]);
                while (queue.Count > 0)
                {
                    foreach (var next in Next(_steps[queue.Dequeue()]).Where(_steps.ContainsKey))
                    {
                        if (reached.Add(next))
                        {
                            queue.Enqueue(next);
                        }
                    }
                }

                foreach (var (key, path) in _stepPaths.Where(p => !reached.Contains(p.Key)))
                {
                    Error(path, Localized.Format("Step '{0}' can never be reached: no sequence of outcomes leads to it from the start step '{1}'.", key, start));
                }
            }

            var finishing = new HashSet<string>(StringComparer.Ordinal);
            bool changed;
            do
            {
                changed = false;
                foreach (var (key, step) in _steps)
                {
                    if (!finishing.Contains(key) && Next(step).Any(t => _endStatePaths.ContainsKey(t) || finishing.Contains(t)))
                    {
                        finishing.Add(key);
                        changed = true;
                    }
                }
            }
            while (changed);

            foreach (var (key, step) in _steps.Where(p => p.Value.Outcomes.Count > 0 && !finishing.Contains(p.Key)))
            {
                Error(_stepPaths[key], Localized.Format("From step '{0}' no sequence of outcomes leads to an end state, so cases there could never finish.", key));
            }

            var targets = _steps.Values.SelectMany(Next)
                .Concat(doc.CaseActions.Where(a => a.Kind == "withdraw" && a.To is not null).Select(a => a.To!))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var (key, path) in _endStatePaths.Where(p => !targets.Contains(p.Key)))
            {
                Error(path, Localized.Format("End state '{0}' is never reached: no outcome or case action leads to it.", key));
            }
        }

        private void CheckDiagramNames()
        {
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, path) in _stepPaths.Concat(_endStatePaths))
            {
                var id = new string([.. key.Where(char.IsLetterOrDigit)]);
                if (!ids.TryAdd(id, key))
                {
                    Error($"{path}.key", Localized.Format("'{0}' and '{1}' differ only by hyphens and would be drawn as the same box in diagrams; rename one.", key, ids[id]));
                }
            }
        }

        private bool CheckKey(string? key, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                Error(path, Localized.Format("{0} has no key.", what));
                return false;
            }

            if (!IsValidKey(key))
            {
                var suggestion = Regex.Replace(key.Trim().ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
                Error(path, IsValidKey(suggestion)
                    ? Localized.Format("'{0}' is not a valid key: use lowercase letters, digits and single hyphens, starting with a letter (e.g. '{1}').", key, suggestion)
                    : Localized.Format("'{0}' is not a valid key: use lowercase letters, digits and single hyphens, starting with a letter.", key));
                return false;
            }

            return true;
        }

        private void CheckRole(string? role, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(role))
            {
                Error(path, Localized.Format("{0} has no role; use one of: {1}.", what, string.Join(", ", WorkflowNames.Roles)));
            }
            else if (!WorkflowNames.TryParseRole(role, out _))
            {
                Error(path, Localized.Format("'{0}' is not a role{1}; use one of: {2}.", role, Hint(role, WorkflowNames.Roles), string.Join(", ", WorkflowNames.Roles)));
            }
        }

        private IsoDuration? CheckDuration(string? text, string path, string what, bool required)
        {
            if (text is null && !required)
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                Error(path, Localized.Format("{0} has no duration (examples: P5D = 5 days, P3M = 3 months).", what));
                return null;
            }

            if (!IsoDuration.TryParse(text, out var duration, out var problem))
            {
                Error(path, $"{what}: {problem}");
                return null;
            }

            if (duration.IsZero)
            {
                Error(path, Localized.Format("{0}: '{1}' is zero; a duration must be longer than that.", what, text));
                return null;
            }

            return duration;
        }

        private static string Hint(string value, IEnumerable<string> candidates) =>
            Suggest.Closest(value, candidates) is { } hint ? Localized.Format(" (did you mean '{0}'?)", hint) : "";
    }
}
