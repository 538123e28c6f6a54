// Longer than 400 lines because it is one pass over a whole definition that reports every problem with its path: the checks of stages, steps, forms, outcomes, reachability and migrations share the collected keys and paths of that pass.
using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Forms;
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
            CheckKey(doc.Key, "key", "The workflow");
            if (string.IsNullOrWhiteSpace(doc.Name))
            {
                Error("name", "The workflow has no name.");
            }

            if (doc.Version < 1)
            {
                Error("version", "The version must be a whole number of at least 1.");
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
                Error(path, $"This part of the definition could not be checked ({ex.GetType().Name}: {ex.Message}); simplify it or report the problem.");
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
                    Error(path, $"This text contains {DefinitionTexts.Describe(ch)}; names, labels and keys must be one line of visible characters.");
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
                Error("end-states", "The workflow has no end states; add at least one (e.g. completed, of kind success).");
            }

            for (var i = 0; i < doc.EndStates.Count; i++)
            {
                var end = doc.EndStates[i];
                var path = $"end-states[{i}]";
                if (CheckKey(end.Key, $"{path}.key", "The end state") && !_endStatePaths.TryAdd(end.Key, path))
                {
                    Error($"{path}.key", $"The end state key '{end.Key}' is already used by {_endStatePaths[end.Key]}; end state keys must be unique.");
                }

                if (string.IsNullOrWhiteSpace(end.Name))
                {
                    Error($"{path}.name", $"End state '{end.Key}' has no name.");
                }

                if (string.IsNullOrWhiteSpace(end.Kind))
                {
                    Error($"{path}.kind", $"End state '{end.Key}' has no kind; use success or failure.");
                }
                else if (!WorkflowNames.TryParseEndStateKind(end.Kind, out _))
                {
                    Error($"{path}.kind", $"'{end.Kind}' is not a kind of end state; use success or failure.");
                }
            }

            if (doc.EndStates.Count > 0 && doc.EndStates.All(e => e.Kind != "success"))
            {
                Error("end-states", "No end state is of kind success, so no case could ever succeed.");
            }
        }

        private void CollectSteps()
        {
            if (doc.Stages.Count == 0)
            {
                Error("stages", "The workflow has no stages; add at least one stage with steps.");
            }

            var stagePaths = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < doc.Stages.Count; i++)
            {
                var stage = doc.Stages[i];
                var path = $"stages[{i}]";
                if (CheckKey(stage.Key, $"{path}.key", "The stage") && !stagePaths.TryAdd(stage.Key, path))
                {
                    Error($"{path}.key", $"The stage key '{stage.Key}' is already used by {stagePaths[stage.Key]}; stage keys must be unique.");
                }

                if (string.IsNullOrWhiteSpace(stage.Name))
                {
                    Error($"{path}.name", $"Stage '{stage.Key}' has no name.");
                }

                if (stage.Steps.Count == 0)
                {
                    Error($"{path}.steps", $"Stage '{stage.Key}' has no steps.");
                }

                for (var j = 0; j < stage.Steps.Count; j++)
                {
                    var step = stage.Steps[j];
                    var stepPath = $"{path}.steps[{j}]";
                    if (!CheckKey(step.Key, $"{stepPath}.key", "The step"))
                    {
                        continue;
                    }

                    if (_endStatePaths.TryGetValue(step.Key, out var endPath))
                    {
                        Error($"{stepPath}.key", $"The step key '{step.Key}' is also the key of an end state ({endPath}); a case could not tell them apart.");
                    }
                    else if (!_stepPaths.TryAdd(step.Key, stepPath))
                    {
                        Error($"{stepPath}.key", $"The step key '{step.Key}' is already used by {_stepPaths[step.Key]}; step keys must be unique in the whole workflow.");
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
                if (CheckKey(checkIn.Key, $"{path}.key", "The check-in") && !keys.TryAdd(checkIn.Key, path))
                {
                    Error($"{path}.key", $"The check-in key '{checkIn.Key}' is already used by {keys[checkIn.Key]}.");
                }

                if (string.IsNullOrWhiteSpace(checkIn.Name))
                {
                    Error($"{path}.name", $"Check-in '{checkIn.Key}' has no name.");
                }

                if (string.IsNullOrWhiteSpace(checkIn.Step))
                {
                    Error($"{path}.step", $"Check-in '{checkIn.Key}' does not say during which step it runs; add 'step:'.");
                }
                else if (_steps.ContainsKey(checkIn.Step))
                {
                    withCheckIns.Add(checkIn.Step);
                }
                else
                {
                    Error($"{path}.step", $"Check-in '{checkIn.Key}' is bound to '{checkIn.Step}', which is not a step of this workflow{Hint(checkIn.Step, _steps.Keys)}.");
                }

                var every = CalendarDaysOnly(CheckDuration(checkIn.Every, $"{path}.every", $"'every' of check-in '{checkIn.Key}'", required: true), $"{path}.every", $"'every' of check-in '{checkIn.Key}'");
                var total = CalendarDaysOnly(CheckDuration(checkIn.For, $"{path}.for", $"'for' of check-in '{checkIn.Key}'", required: true), $"{path}.for", $"'for' of check-in '{checkIn.Key}'");
                if (every is { } e && total is { } t && e.CompareFrom(DateTimeOffset.UnixEpoch, t) > 0)
                {
                    Error($"{path}.for", $"Check-ins every {e.ToWords()} for {t.ToWords()} would never happen: 'for' must be at least as long as 'every'.");
                }

                if (checkIn.Opens is not null
                    && CalendarDaysOnly(CheckDuration(checkIn.Opens, $"{path}.opens", $"'opens' of check-in '{checkIn.Key}'", required: true), $"{path}.opens", $"'opens' of check-in '{checkIn.Key}'") is { } opens
                    && every is { } period && opens.CompareFrom(DateTimeOffset.UnixEpoch, period) > 0)
                {
                    Error($"{path}.opens", $"Check-in '{checkIn.Key}' would open {opens.ToWords()} before it is due, but check-ins come every {period.ToWords()}: " +
                                           "'opens' may be at most as long as 'every', so that a check-in opens after the one before it is due.");
                }

                if (checkIn.Role is not null)
                {
                    CheckRole(checkIn.Role, $"{path}.role", $"Check-in '{checkIn.Key}'");
                }

                if (checkIn.Form.Count == 0)
                {
                    Error($"{path}.form", $"Check-in '{checkIn.Key}' has an empty form; add the fields recorded at each check-in.");
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
            var what = $"Step '{step.Key}'";
            if (string.IsNullOrWhiteSpace(step.Name))
            {
                Error($"{path}.name", $"{what} has no name.");
            }

            CheckRole(step.Role, $"{path}.role", what);
            CheckDuration(step.Due, $"{path}.due", $"The due time of step '{step.Key}'", required: false);
            for (var r = 0; r < step.Reminders.Count; r++)
            {
                var reminder = step.Reminders[r];
                CheckDuration(reminder.After, $"{path}.reminders[{r}].after", $"Reminder {r + 1} of step '{step.Key}'", required: true);
                if (reminder.To is not null)
                {
                    CheckRole(reminder.To, $"{path}.reminders[{r}].to", $"Reminder {r + 1} of step '{step.Key}'");
                }
            }

            if (step.Escalation is { } escalation)
            {
                var escalateAfter = CheckDuration(escalation.After, $"{path}.escalation.after", $"The escalation of step '{step.Key}'", required: true);
                CheckRole(escalation.To, $"{path}.escalation.to", $"The escalation of step '{step.Key}'");
                for (var r = 0; r < step.Reminders.Count && escalateAfter is { } limit; r++)
                {
                    if (IsoDuration.TryParse(step.Reminders[r].After, out var remindAfter) && !remindAfter.IsZero && !remindAfter.IsAlwaysBefore(limit))
                    {
                        Error($"{path}.reminders[{r}].after",
                            $"Reminder {r + 1} of step '{step.Key}' comes after {remindAfter.ToWords()}, not before the escalation after {limit.ToWords()}; " +
                            "reminders must come before the step is escalated (a reminder after the due date, as an overdue notice, is fine).");
                    }
                }
            }

            for (var c = 0; c < step.Contributors.Count; c++)
            {
                var contributor = step.Contributors[c];
                var contributorPath = $"{path}.contributors[{c}]";
                CheckRole(contributor.Role, $"{contributorPath}.role", $"Contributor {c + 1} of step '{step.Key}'");
                if (string.IsNullOrWhiteSpace(contributor.Task))
                {
                    Error($"{contributorPath}.task", $"Contributor {c + 1} of step '{step.Key}' has no task; say what they must do.");
                }

                CheckDuration(contributor.Due, $"{contributorPath}.due", $"The due time of contributor {c + 1} of step '{step.Key}'", required: false);
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
                var noun = nested ? "column" : "field";
                if (CheckKey(field.Key, $"{fieldPath}.key", nested ? "The column" : "The field") && !keys.TryAdd(field.Key, fieldPath))
                {
                    Error($"{fieldPath}.key", $"The {noun} key '{field.Key}' is already used by {keys[field.Key]}; {noun} keys must be unique in a form.");
                }

                var what = $"{(nested ? "Column" : "Field")} '{field.Key}'";
                if (string.IsNullOrWhiteSpace(field.Label))
                {
                    Error($"{fieldPath}.label", $"{what} has no label; the label is what people see on the form.");
                }

                FieldType? type = null;
                if (string.IsNullOrWhiteSpace(field.Type))
                {
                    Error($"{fieldPath}.type", $"{what} has no type; use one of: {string.Join(", ", WorkflowNames.FieldTypes)}.");
                }
                else if (WorkflowNames.TryParseFieldType(field.Type, out var parsed))
                {
                    type = parsed;
                }
                else
                {
                    Error($"{fieldPath}.type", $"'{field.Type}' is not a field type{Hint(field.Type, WorkflowNames.FieldTypes)}. Use one of: {string.Join(", ", WorkflowNames.FieldTypes)}.");
                }

                var isChoice = type is FieldType.Choice or FieldType.MultiChoice;
                if (isChoice && field.Options.Count == 0)
                {
                    Error($"{fieldPath}.options", $"Choice field '{field.Key}' has no options; list them under 'options:'.");
                }
                else if (type is not null && !isChoice && field.Options.Count > 0)
                {
                    Error($"{fieldPath}.options", $"{what} is a {field.Type} field; 'options' only apply to choice and multi-choice fields.");
                }

                var optionValues = new HashSet<string>(StringComparer.Ordinal);
                for (var o = 0; o < field.Options.Count; o++)
                {
                    var value = field.Options[o].Value;
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        Error($"{fieldPath}.options[{o}]", $"Option {o + 1} of '{field.Key}' has no value.");
                    }
                    else if (!optionValues.Add(value))
                    {
                        Error($"{fieldPath}.options[{o}]", $"The option '{value}' appears twice in '{field.Key}'.");
                    }
                }

                if (type == FieldType.Taxonomy)
                {
                    if (string.IsNullOrWhiteSpace(field.Taxonomy))
                    {
                        Error($"{fieldPath}.taxonomy", $"Taxonomy field '{field.Key}' needs 'taxonomy:', one of: {string.Join(", ", WorkflowNames.Taxonomies)}.");
                    }
                    else if (!WorkflowNames.Taxonomies.Contains(field.Taxonomy))
                    {
                        Error($"{fieldPath}.taxonomy", $"'{field.Taxonomy}' is not a taxonomy{Hint(field.Taxonomy, WorkflowNames.Taxonomies)}; use one of: {string.Join(", ", WorkflowNames.Taxonomies)}.");
                    }
                }
                else if (type is not null && field.Taxonomy is not null)
                {
                    Error($"{fieldPath}.taxonomy", $"{what} is a {field.Type} field; 'taxonomy' only applies to taxonomy fields.");
                }

                if (field.Multiple && type is not null and not (FieldType.Taxonomy or FieldType.Company or FieldType.File))
                {
                    Error($"{fieldPath}.multiple", $"{what} is a {field.Type} field; 'multiple' only applies to taxonomy, company and file fields (use multi-choice for several options).");
                }

                if ((field.Min is not null || field.Max is not null) && type is not null and not FieldType.Number)
                {
                    Error($"{fieldPath}.{(field.Min is not null ? "min" : "max")}", $"{what} is a {field.Type} field; 'min' and 'max' only apply to number fields.");
                }
                else if (field.Min > field.Max)
                {
                    Error($"{fieldPath}.min", $"{what}: 'min' ({field.Min}) is larger than 'max' ({field.Max}), so no value could be entered.");
                }

                if (field.MaxLength is { } maxLength)
                {
                    if (type is not null && !FieldLimits.HoldsText(type.Value))
                    {
                        Error($"{fieldPath}.maxLength", $"{what} is a {field.Type} field; 'maxLength' only applies to text, textarea, email, phone and url fields.");
                    }
                    else if (maxLength is < 1 or > FieldLimits.MaxDeclarableLength)
                    {
                        Error($"{fieldPath}.maxLength", string.Create(CultureInfo.InvariantCulture,
                            $"{what}: 'maxLength' must be a whole number from 1 to {FieldLimits.MaxDeclarableLength}, not {maxLength}."));
                    }
                }

                if (type == FieldType.Table)
                {
                    if (nested)
                    {
                        Error($"{fieldPath}.type", $"{what}: a table cannot contain another table.");
                    }
                    else if (field.Columns.Count == 0)
                    {
                        Error($"{fieldPath}.columns", $"Table field '{field.Key}' has no columns; list them under 'columns:'.");
                    }
                }
                else if (type is not null && field.Columns.Count > 0)
                {
                    Error($"{fieldPath}.columns", $"{what} is a {field.Type} field; 'columns' only apply to table fields.");
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
                Error($"{path}.outcomes", $"Step '{step.Key}' has no outcomes, so a case in it could never move on; add at least one.");
                return;
            }

            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var k = 0; k < step.Outcomes.Count; k++)
            {
                var outcome = step.Outcomes[k];
                var outcomePath = $"{path}.outcomes[{k}]";
                if (CheckKey(outcome.Key, $"{outcomePath}.key", "The outcome") && !keys.TryAdd(outcome.Key, outcomePath))
                {
                    Error($"{outcomePath}.key", $"The outcome key '{outcome.Key}' is already used by {keys[outcome.Key]}; outcome keys must be unique within a step.");
                }

                if (string.IsNullOrWhiteSpace(outcome.Label))
                {
                    Error($"{outcomePath}.label", $"Outcome '{outcome.Key}' of step '{step.Key}' has no label; the label is the button people press.");
                }

                if (string.IsNullOrWhiteSpace(outcome.To))
                {
                    Error($"{outcomePath}.to", $"Outcome '{outcome.Key}' of step '{step.Key}' does not say where it leads; add 'to:' with a step or end state key.");
                }
                else if (!_steps.ContainsKey(outcome.To) && !_endStatePaths.ContainsKey(outcome.To))
                {
                    Error($"{outcomePath}.to", $"Outcome '{outcome.Key}' of step '{step.Key}' leads to '{outcome.To}', which is neither a step nor an end state{Hint(outcome.To, _steps.Keys.Concat(_endStatePaths.Keys))}.");
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
                        Error(conditionPath, $"The condition '{guard}' is listed twice in outcome '{outcome.Key}'.");
                    }

                    if (problems.Count == 0 && condition.Name == ConditionCatalog.FieldEquals)
                    {
                        var field = condition.Arguments!["field"];
                        var value = condition.Arguments["value"];
                        if (equals.TryGetValue(field, out var other) && other.Value != value)
                        {
                            Error(conditionPath, $"Outcome '{outcome.Key}' can never be allowed: '{field}' cannot be both '{other.Value}' and '{value}'.");
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

                    var places = $"('{a.To}' and '{b.To}')";
                    const string Fix = "Make them exclude each other, e.g. with field-equals on the same field and different values.";
                    string? message = null;
                    if (sets[i].Count == 0 && sets[j].Count == 0)
                    {
                        message = $"Outcomes '{a.Key}' and '{b.Key}' of step '{step.Key}' both have no conditions but lead to different places {places}, so both would always be allowed. {Fix}";
                    }
                    else if (sets[i].SetEquals(sets[j]))
                    {
                        message = $"Outcomes '{a.Key}' and '{b.Key}' of step '{step.Key}' have the same conditions but lead to different places {places}. {Fix}";
                    }
                    else if (sets[i].IsSubsetOf(sets[j]) || sets[j].IsSubsetOf(sets[i]))
                    {
                        var (weak, strong) = sets[i].IsSubsetOf(sets[j]) ? (a, b) : (b, a);
                        message = $"Whenever outcome '{strong.Key}' of step '{step.Key}' is allowed, outcome '{weak.Key}' is allowed too (its conditions are a part of the other's), yet they lead to different places {places}. {Fix}";
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

                Error("start", $"The start step '{doc.Start}' is not a step of this workflow{Hint(doc.Start, _steps.Keys)}.");
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
                if (CheckKey(action.Key, $"{path}.key", "The case action") && !keys.TryAdd(action.Key, path))
                {
                    Error($"{path}.key", $"The case action key '{action.Key}' is already used by {keys[action.Key]}.");
                }

                if (string.IsNullOrWhiteSpace(action.Label))
                {
                    Error($"{path}.label", $"Case action '{action.Key}' has no label; the label is the button people press.");
                }

                if (!WorkflowNames.TryParseCaseActionKind(action.Kind, out var kind))
                {
                    Error($"{path}.kind", string.IsNullOrWhiteSpace(action.Kind)
                        ? $"Case action '{action.Key}' has no kind; use one of: {string.Join(", ", WorkflowNames.CaseActionKinds)}."
                        : $"'{action.Kind}' is not a kind of case action{Hint(action.Kind, WorkflowNames.CaseActionKinds)}; use one of: {string.Join(", ", WorkflowNames.CaseActionKinds)}.");
                }
                else if (!kinds.TryAdd(kind, path))
                {
                    Error($"{path}.kind", $"There is already a {action.Kind} action ({kinds[kind]}); each kind may appear once.");
                }
                else if (kind == CaseActionKind.Withdraw)
                {
                    if (string.IsNullOrWhiteSpace(action.To))
                    {
                        Error($"{path}.to", $"The withdraw action '{action.Key}' needs 'to:' with the end state withdrawn cases go to.");
                    }
                    else if (_steps.ContainsKey(action.To))
                    {
                        Error($"{path}.to", $"'{action.To}' is a step; withdrawing ends a case, so 'to' must be an end state.");
                    }
                    else if (!_endStatePaths.ContainsKey(action.To))
                    {
                        Error($"{path}.to", $"The withdraw action leads to '{action.To}', which is not an end state{Hint(action.To, _endStatePaths.Keys)}.");
                    }
                }
                else if (action.To is not null)
                {
                    Error($"{path}.to", $"Case action '{action.Key}' is a {action.Kind} action; 'to' only applies to withdraw actions.");
                }

                if (action.Roles.Count == 0)
                {
                    Error($"{path}.roles", $"Case action '{action.Key}' names no roles; say who may use it under 'roles:'.");
                }

                for (var r = 0; r < action.Roles.Count; r++)
                {
                    CheckRole(action.Roles[r], $"{path}.roles[{r}]", $"Case action '{action.Key}'");
                }
            }

            if (kinds.TryGetValue(CaseActionKind.Hold, out var holdPath) && !kinds.ContainsKey(CaseActionKind.Resume))
            {
                Error(holdPath, "Cases put on hold could never be resumed: add a case action of kind resume.");
            }

            if (kinds.TryGetValue(CaseActionKind.Resume, out var resumePath) && !kinds.ContainsKey(CaseActionKind.Hold))
            {
                Error(resumePath, "A resume action without a hold action could never be used: add a case action of kind hold or remove it.");
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
                    Error(path, $"Step '{key}' can never be reached: no sequence of outcomes leads to it from the start step '{start}'.");
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
                Error(_stepPaths[key], $"From step '{key}' no sequence of outcomes leads to an end state, so cases there could never finish.");
            }

            var targets = _steps.Values.SelectMany(Next)
                .Concat(doc.CaseActions.Where(a => a.Kind == "withdraw" && a.To is not null).Select(a => a.To!))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var (key, path) in _endStatePaths.Where(p => !targets.Contains(p.Key)))
            {
                Error(path, $"End state '{key}' is never reached: no outcome or case action leads to it.");
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
                    Error($"{path}.key", $"'{key}' and '{ids[id]}' differ only by hyphens and would be drawn as the same box in diagrams; rename one.");
                }
            }
        }

        private bool CheckKey(string? key, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                Error(path, $"{what} has no key.");
                return false;
            }

            if (!IsValidKey(key))
            {
                var suggestion = Regex.Replace(key.Trim().ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
                Error(path, $"'{key}' is not a valid key: use lowercase letters, digits and single hyphens, starting with a letter" +
                            (IsValidKey(suggestion) ? $" (e.g. '{suggestion}')." : "."));
                return false;
            }

            return true;
        }

        private void CheckRole(string? role, string path, string what)
        {
            if (string.IsNullOrWhiteSpace(role))
            {
                Error(path, $"{what} has no role; use one of: {string.Join(", ", WorkflowNames.Roles)}.");
            }
            else if (!WorkflowNames.TryParseRole(role, out _))
            {
                Error(path, $"'{role}' is not a role{Hint(role, WorkflowNames.Roles)}; use one of: {string.Join(", ", WorkflowNames.Roles)}.");
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
                Error(path, $"{what} has no duration (examples: P5D = 5 days, P3M = 3 months).");
                return null;
            }

            if (!IsoDuration.TryParse(text, out var duration, out var problem))
            {
                Error(path, $"{what}: {problem}");
                return null;
            }

            if (duration.IsZero)
            {
                Error(path, $"{what}: '{text}' is zero; a duration must be longer than that.");
                return null;
            }

            return duration;
        }

        private static string Hint(string value, IEnumerable<string> candidates) =>
            Suggest.Closest(value, candidates) is { } hint ? $" (did you mean '{hint}'?)" : "";
    }
}
