// Longer than 400 lines because it mirrors the YAML document shape one reader per section (stages, steps, forms, outcomes, actions, check-ins), each reporting wrong shapes and unknown keys with line and column; splitting it would scatter the one list of allowed keys per section.
using System.Globalization;
using System.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>
/// Reads a workflow definition from YAML. Keys are kebab-case (<c>end-states</c>, <c>case-actions</c>,
/// <c>check-ins</c>, <c>requires-reason</c>). Never throws on bad input: malformed YAML, wrong shapes and
/// unknown keys come back as <see cref="LoadError"/>s with line and column. Whether the content makes
/// sense (targets, roles, durations, …) is the job of <see cref="Validation.WorkflowValidator"/>.
/// </summary>
public static partial class WorkflowYamlLoader
{
    private static readonly string[] DocumentKeys = ["$schema", "key", "name", "version", "description", "start", "stages", "end-states", "case-actions", "check-ins", "decisions"];
    private static readonly string[] StageKeys = ["key", "name", "description", "steps"];
    private static readonly string[] StepKeys = ["key", "name", "role", "description", "due", "reminders", "escalation", "contributors", "form", "outcomes", "timers", "tracks"];
    private static readonly string[] TimerKeys = ["after", "action", "to", "outcome", "reason"];
    private static readonly string[] ReminderKeys = ["after", "to"];
    private static readonly string[] EscalationKeys = ["after", "to"];
    private static readonly string[] ContributorKeys = ["role", "task", "due"];
    private static readonly string[] FieldKeys = ["key", "label", "type", "required", "help", "options", "taxonomy", "multiple", "min", "max", "maxLength", "columns"];
    private static readonly string[] OptionKeys = ["value", "label"];
    private static readonly string[] OutcomeKeys = ["key", "label", "to", "conditions", "requires-reason"];
    private static readonly string[] EndStateKeys = ["key", "name", "kind", "description"];
    private static readonly string[] CaseActionKeys = ["key", "label", "kind", "to", "roles", "requires-reason"];
    private static readonly string[] CheckInKeys = ["key", "name", "step", "every", "for", "opens", "role", "form"];

    /// <summary>The largest definition file accepted, in bytes (UTF-8).</summary>
    public const int MaxBytes = 512 * 1024;

    /// <summary>The deepest nesting of lists and 'key: value' blocks accepted (the shipped definitions need 9).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most values (scalars, lists and blocks together, an alias counted as the copy it stands for) accepted in one definition.</summary>
    public const int MaxNodes = 20_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a definition from a stream of UTF-8 bytes; reads no more than <see cref="MaxBytes"/> and one byte.</summary>
    public static WorkflowLoadResult Load(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return Load(buffer.AsSpan(0, length), cancellationToken);
    }

    /// <summary>Reads a definition from UTF-8 bytes: invalid UTF-8 is a problem with its line and column, never replaced.</summary>
    public static WorkflowLoadResult Load(ReadOnlySpan<byte> utf8, CancellationToken cancellationToken = default)
    {
        if (utf8.Length > MaxBytes)
        {
            return Failed(new LoadError("", new SourcePosition(1, 1), TooLarge()));
        }

        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        if (DefinitionText.FindInvalidUtf8(utf8) is { } bad)
        {
            return Failed(new LoadError("", bad.Position,
                Localized.Format("The file is not valid UTF-8: the byte 0x{0:X2} cannot be read as text. Save the file with the UTF-8 encoding.", bad.Value)));
        }

        return LoadText(StrictUtf8.GetString(utf8), cancellationToken);
    }

    /// <summary>
    /// Reads a definition from text. Text that came through a lossy decoder (it holds U+FFFD, the replacement
    /// character) or that holds a broken surrogate pair is refused with its position.
    /// </summary>
    public static WorkflowLoadResult Load(string yaml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var bytes = Encoding.UTF8.GetByteCount(yaml);
        if (bytes > MaxBytes)
        {
            return Failed(new LoadError("", new SourcePosition(1, 1), TooLarge()));
        }

        if (DefinitionText.FindUnreadable(yaml) is { } bad)
        {
            return Failed(new LoadError("", bad, Localized.Text("The text holds a character that could not be read (U+FFFD or a broken surrogate): the file was probably not saved as UTF-8. Save it with the UTF-8 encoding.")));
        }

        return LoadText(yaml, cancellationToken);
    }

    private static string TooLarge() =>
        Localized.Format("The definition is larger than {0} KB, the most a workflow definition may be.", MaxBytes / 1024);

    private static WorkflowLoadResult LoadText(string yaml, CancellationToken cancellationToken)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        var parser = new LimitedParser(new Parser(reader), cancellationToken);
        try
        {
            stream.Load(parser);
        }
        catch (DefinitionLimitException ex)
        {
            return Failed(new LoadError("", At(ex.Start), ex.Message));
        }
        catch (YamlException ex)
        {
            return Failed(new LoadError("", At(ex.Start), Localized.Format("The YAML is malformed: {0}", YamlMessages.Describe(ex))));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a loader of user files reports every failure instead of throwing
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The parser failed in a way it does not describe: point at the end of what it could still read.
            return Failed(new LoadError("", At(parser.LastGood), Localized.Format("The YAML is malformed: {0} ({1})", YamlMessages.Unparseable, ex.GetType().Name)));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return Failed(new LoadError("", new SourcePosition(1, 1), Localized.Text("The file is empty; a workflow definition starts with 'key:', 'name:' and 'version:'.")));
        }

        var context = new Context { Text = yaml };
        if (stream.Documents.Count > 1)
        {
            context.Error(stream.Documents[1].RootNode, "", Localized.Text("The file holds more than one YAML document (separated by '---'); put one definition per file."));
        }

        WorkflowDefinitionDocument? document;
        try
        {
            document = ReadDocument(context, stream.Documents[0].RootNode);
        }
#pragma warning disable CA1031 // whatever a reader of user files did not foresee becomes a problem, not a crash
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return Failed(new LoadError("", new SourcePosition(1, 1), Localized.Format("The definition could not be read ({0}: {1}).", ex.GetType().Name, ex.Message)));
        }

        var map = new SourceMap(context.Positions) { ExpressionColumns = context.ExpressionColumns };
        return context.Errors.Count == 0 && document is not null
            ? new WorkflowLoadResult(document, [], map)
            : new WorkflowLoadResult(null, context.Errors, map);
    }

    private static SourcePosition At(Mark mark) => new((int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    private static WorkflowLoadResult Failed(LoadError error) => new(null, [error], SourceMap.Empty);

    private static WorkflowDefinitionDocument? ReadDocument(Context c, YamlNode root)
    {
        var m = c.Map(root, "", Localized.Text("the workflow definition"), DocumentKeys);
        if (m is null)
        {
            return null;
        }

        return new WorkflowDefinitionDocument
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Version = m.Int("version") ?? 0,
            Description = m.OptionalString("description"),
            Start = m.OptionalString("start"),
            Stages = m.List("stages", ReadStage),
            EndStates = m.List("end-states", ReadEndState),
            CaseActions = m.List("case-actions", ReadCaseAction),
            CheckIns = m.List("check-ins", ReadCheckIn),
            Decisions = m.List("decisions", ReadDecision),
        };
    }

    private static StageDefinition? ReadStage(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a stage"), StageKeys);
        return m is null ? null : new StageDefinition
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Description = m.OptionalString("description"),
            Steps = m.List("steps", ReadStep),
        };
    }

    private static StepDefinition? ReadStep(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a step"), StepKeys);
        return m is null ? null : new StepDefinition
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Role = m.String("role"),
            Description = m.OptionalString("description"),
            Due = m.OptionalString("due"),
            Reminders = m.List("reminders", ReadReminder),
            Escalation = m.Object("escalation", ReadEscalation),
            Contributors = m.List("contributors", ReadContributor),
            Form = m.List("form", ReadField),
            Outcomes = m.List("outcomes", ReadOutcome),
            Timers = m.List("timers", ReadTimer),
            Tracks = m.Object("tracks", ReadTracks),
        };
    }

    private static TimerDefinition? ReadTimer(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a timer ('after:', 'action:' and, by action, 'to:', 'outcome:' or 'reason:')"), TimerKeys);
        return m is null ? null : new TimerDefinition
        {
            After = m.String("after"),
            Action = m.String("action"),
            To = m.OptionalString("to"),
            Outcome = m.OptionalString("outcome"),
            Reason = m.OptionalString("reason"),
        };
    }

    private static ReminderDefinition? ReadReminder(Context c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return new ReminderDefinition { After = c.Scalar(node, path) ?? "" };
        }

        var m = c.Map(node, path, Localized.Text("a reminder (a duration such as P7D, or 'after:' and 'to:')"), ReminderKeys);
        return m is null ? null : new ReminderDefinition { After = m.String("after"), To = m.OptionalString("to") };
    }

    private static EscalationDefinition? ReadEscalation(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("an escalation ('after:' and 'to:')"), EscalationKeys);
        return m is null ? null : new EscalationDefinition { After = m.String("after"), To = m.String("to") };
    }

    private static ContributorDefinition? ReadContributor(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a contributor ('role:', 'task:', 'due:')"), ContributorKeys);
        return m is null ? null : new ContributorDefinition { Role = m.String("role"), Task = m.String("task"), Due = m.OptionalString("due") };
    }

    private static FieldDefinition? ReadField(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a form field"), FieldKeys);
        return m is null ? null : new FieldDefinition
        {
            Key = m.String("key"),
            Label = m.String("label"),
            Type = m.String("type"),
            Required = m.Bool("required") ?? false,
            Help = m.OptionalString("help"),
            Options = m.List("options", ReadOption),
            Taxonomy = m.OptionalString("taxonomy"),
            Multiple = m.Bool("multiple") ?? false,
            Min = m.Decimal("min"),
            Max = m.Decimal("max"),
            MaxLength = m.Int("maxLength"),
            Columns = m.List("columns", ReadField),
        };
    }

    private static ChoiceOption? ReadOption(Context c, YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            return new ChoiceOption { Value = c.Scalar(node, path) ?? "" };
        }

        var m = c.Map(node, path, Localized.Text("an option (a value, or 'value:' and 'label:')"), OptionKeys);
        return m is null ? null : new ChoiceOption { Value = m.String("value"), Label = m.OptionalString("label") };
    }

    private static OutcomeDefinition? ReadOutcome(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("an outcome"), OutcomeKeys);
        return m is null ? null : new OutcomeDefinition
        {
            Key = m.String("key"),
            Label = m.String("label"),
            To = m.String("to"),
            Conditions = m.List("conditions", ReadCondition),
            RequiresReason = m.Bool("requires-reason") ?? false,
        };
    }

    private static bool IsUnmet(KeyValuePair<YamlNode, YamlNode> pair) => pair.Key is YamlScalarNode { Value: "unmet" };

    private static ConditionRef? ReadCondition(Context c, YamlNode node, string path)
    {
        c.Record(path, node);
        switch (node)
        {
            case YamlScalarNode scalar:
                return new ConditionRef { Name = scalar.Value?.Trim() ?? "" };
            case YamlMappingNode mapping when mapping.Children.Count == 2 && mapping.Children.Any(IsUnmet):
                var unmetNode = mapping.Children.First(IsUnmet).Value;
                var unmet = c.Scalar(unmetNode, $"{path}.unmet")?.Trim();
                var (conditionKey, conditionValue) = mapping.Children.First(p => !IsUnmet(p));
                var condition = ReadCondition(c, new YamlMappingNode { { conditionKey, conditionValue } }, path);
                c.Record(path, node);
                if (condition is not null && condition.Name != Conditions.ConditionCatalog.Expression)
                {
                    c.Error(unmetNode, path, Localized.Format("'unmet:' is written beside an expression ('- {{ expression: \"...\", unmet: ... }}'); '{0}' says why it is not met by itself.", condition.Name));
                }

                return condition is null ? null : condition with { Unmet = string.IsNullOrEmpty(unmet) ? null : unmet };
            case YamlMappingNode mapping when mapping.Children.Count == 1:
                var (keyNode, valueNode) = mapping.Children.First();
                var name = (keyNode as YamlScalarNode)?.Value?.Trim() ?? "";
                switch (valueNode)
                {
                    case YamlScalarNode value when name == Conditions.ConditionCatalog.Expression:
                        RecordExpression(c, $"{path}.{name}", value);
                        return new ConditionRef { Name = name, Argument = IsNull(value) ? null : value.Value?.Trim() };
                    case YamlScalarNode value:
                        return new ConditionRef { Name = name, Argument = IsNull(value) ? null : value.Value?.Trim() };
                    case YamlMappingNode arguments:
                        var dictionary = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        foreach (var (argKey, argValue) in arguments.Children)
                        {
                            var argName = (argKey as YamlScalarNode)?.Value ?? "";
                            var text = c.Scalar(argValue, $"{path}.{name}.{argName}");
                            if (text is not null && !dictionary.TryAdd(argName, text))
                            {
                                c.Error(argKey, path, Localized.Format("'{0}' is given twice.", argName));
                            }
                        }

                        return new ConditionRef { Name = name, Arguments = dictionary };
                    default:
                        c.Error(valueNode, path, Localized.Format("The parameter of '{0}' must be a single value or 'field:'/'value:' pairs, not a list.", name));
                        return null;
                }

            default:
                c.Error(node, path, Localized.Text("A condition is a name ('- form-complete') or a name with its parameter ('- min-agreed-partners: 1')."));
                return null;
        }
    }

    private static EndStateDefinition? ReadEndState(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("an end state"), EndStateKeys);
        return m is null ? null : new EndStateDefinition
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Kind = m.String("kind"),
            Description = m.OptionalString("description"),
        };
    }

    private static CaseActionDefinition? ReadCaseAction(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a case action"), CaseActionKeys);
        return m is null ? null : new CaseActionDefinition
        {
            Key = m.String("key"),
            Label = m.String("label"),
            Kind = m.String("kind"),
            To = m.OptionalString("to"),
            Roles = m.List("roles", (cc, n, p) => cc.Scalar(n, p)),
            RequiresReason = m.Bool("requires-reason") ?? false,
        };
    }

    private static CheckInDefinition? ReadCheckIn(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a check-in"), CheckInKeys);
        return m is null ? null : new CheckInDefinition
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Step = m.String("step"),
            Every = m.String("every"),
            For = m.String("for"),
            Opens = m.OptionalString("opens"),
            Role = m.OptionalString("role"),
            Form = m.List("form", ReadField),
        };
    }

    private static bool IsNull(YamlScalarNode node) =>
        node.Style == YamlDotNet.Core.ScalarStyle.Plain && node.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private sealed class Context
    {
        public List<LoadError> Errors { get; } = [];

        public Dictionary<string, SourcePosition> Positions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int[]> ExpressionColumns { get; } = new(StringComparer.Ordinal);

        public string Text { get; init; } = "";

        public void Record(string path, YamlNode node) => Positions.TryAdd(path, Position(node));

        public void Error(YamlNode node, string path, string message) => Errors.Add(new LoadError(path, Position(node), message));

        private static SourcePosition Position(YamlNode node) =>
            new((int)Math.Max(1, node.Start.Line), (int)Math.Max(1, node.Start.Column));

        public MapView? Map(YamlNode node, string path, string what, string[] allowed)
        {
            Record(path, node);
            if (node is not YamlMappingNode mapping)
            {
                Error(node, path, Localized.Format("Expected {0} written as 'key: value' lines{1}.", what, Found(node)));
                return null;
            }

            var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    Error(keyNode, path, Localized.Text("A key must be a plain name."));
                    continue;
                }

                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    var hint = Suggest.Closest(key, allowed);
                    var kebab = KebabCase(key);
                    if (hint is null && kebab != key && allowed.Contains(kebab, StringComparer.Ordinal))
                    {
                        hint = kebab;
                    }

                    var allowedHere = string.Join(", ", allowed.Where(a => a != "$schema"));
                    Error(keyNode, Join(path, key), hint is null
                        ? Localized.Format("Unknown key '{0}' in {1}. Keys are written in kebab-case; allowed here: {2}.", key, what, allowedHere)
                        : Localized.Format("Unknown key '{0}' in {1} (did you mean '{2}'?). Keys are written in kebab-case; allowed here: {3}.", key, what, hint, allowedHere));
                    continue;
                }

                values[key] = valueNode;
                Record(Join(path, key), valueNode);
            }

            return new MapView(this, path, values);
        }

        public string? Scalar(YamlNode node, string path)
        {
            Record(path, node);
            if (node is YamlScalarNode scalar)
            {
                return IsNull(scalar) ? null : scalar.Value;
            }

            Error(node, path, Localized.Format("Expected a single value{0}.", Found(node)));
            return null;
        }

        private static string Found(YamlNode node) => node switch
        {
            YamlSequenceNode => Localized.Text(", but found a list"),
            YamlMappingNode => Localized.Text(", but found 'key: value' pairs"),
            YamlScalarNode { Value: var v } => Localized.Format(", but found '{0}'", v),
            _ => "",
        };

        private static string KebabCase(string key) =>
            string.Concat(key.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()))
                .Replace('_', '-');
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private sealed class MapView(Context context, string path, Dictionary<string, YamlNode> values)
    {
        public string String(string key) => OptionalString(key) ?? "";

        public string? OptionalString(string key) =>
            values.TryGetValue(key, out var node) ? context.Scalar(node, Join(path, key))?.Trim() : null;

        public int? Int(string key)
        {
            var text = OptionalString(key);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            context.Error(values[key], Join(path, key), Localized.Format("'{0}' must be a whole number, not '{1}'.", key, text));
            return null;
        }

        public decimal? Decimal(string key)
        {
            var text = OptionalString(key);
            if (text is null)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            context.Error(values[key], Join(path, key), Localized.Format("'{0}' must be a number, not '{1}'.", key, text));
            return null;
        }

        public bool? Bool(string key)
        {
            var text = OptionalString(key);
            switch (text?.ToLowerInvariant())
            {
                case null:
                    return null;
                case "true" or "yes":
                    return true;
                case "false" or "no":
                    return false;
                default:
                    context.Error(values[key], Join(path, key), Localized.Format("'{0}' must be true or false, not '{1}'.", key, text));
                    return null;
            }
        }

        public T? Object<T>(string key, Func<Context, YamlNode, string, T?> read)
            where T : class =>
            values.TryGetValue(key, out var node) && !(node is YamlScalarNode scalar && IsNull(scalar))
                ? read(context, node, Join(path, key))
                : null;

        public IReadOnlyList<T> List<T>(string key, Func<Context, YamlNode, string, T?> read)
        {
            if (!values.TryGetValue(key, out var node) || (node is YamlScalarNode scalar && IsNull(scalar)))
            {
                return [];
            }

            var listPath = Join(path, key);
            if (node is not YamlSequenceNode sequence)
            {
                context.Error(node, listPath, Localized.Format("'{0}' must be a list (lines starting with '- ').", key));
                return [];
            }

            var items = new List<T>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var item = read(context, sequence.Children[i], $"{listPath}[{i}]");
                if (item is not null)
                {
                    items.Add(item);
                }
            }

            return items;
        }
    }
}
