using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TIBS.Cases.Workflows.Definitions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>
/// Writes a definition document back to YAML in the same kebab-case format the loader reads (used to
/// export drafts), and computes the content hash of a document.
/// </summary>
public static partial class WorkflowYamlWriter
{
    /// <summary>The comment that lets YAML editors find the JSON schema of a file in <c>workflows/&lt;key&gt;/</c>.</summary>
    public const string SchemaComment = "# yaml-language-server: $schema=../workflow.schema.json";

    /// <summary>Serializes the document. Empty lists, false flags and missing values are left out.</summary>
    /// <param name="document">The document to write.</param>
    /// <param name="includeSchemaComment">Whether to start with <see cref="SchemaComment"/>.</param>
    public static string ToYaml(WorkflowDefinitionDocument document, bool includeSchemaComment = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        var stream = new YamlStream(new YamlDocument(Document(document)));
        var builder = new StringBuilder();
        if (includeSchemaComment)
        {
            builder.Append(SchemaComment).Append('\n');
        }

        using (var writer = new StringWriter(builder, CultureInfo.InvariantCulture) { NewLine = "\n" })
        {
            stream.Save(writer, assignAnchors: false);
        }

        var text = builder.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        // YamlDotNet ends a document with "...": not needed for a single document.
        if (text.EndsWith("...\n", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return text;
    }

    /// <summary>
    /// SHA-256 (lowercase hex) of the normalized content: the document written back to YAML without
    /// comments, so formatting, comments and key order in the source file do not change the hash.
    /// </summary>
    public static string ContentHash(WorkflowDefinitionDocument document)
    {
        var bytes = Encoding.UTF8.GetBytes(ToYaml(document, includeSchemaComment: false));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static YamlMappingNode Document(WorkflowDefinitionDocument d)
    {
        var node = new YamlMappingNode();
        Add(node, "key", d.Key);
        Add(node, "name", d.Name);
        node.Add("version", new YamlScalarNode(d.Version.ToString(CultureInfo.InvariantCulture)));
        Add(node, "description", d.Description);
        Add(node, "start", d.Start);
        AddList(node, "stages", d.Stages, Stage);
        AddList(node, "end-states", d.EndStates, EndState);
        AddList(node, "case-actions", d.CaseActions, CaseAction);
        AddList(node, "check-ins", d.CheckIns, CheckIn);
        AddList(node, "decisions", d.Decisions, Decision);
        return node;
    }

    private static YamlMappingNode Stage(StageDefinition s)
    {
        var node = new YamlMappingNode();
        Add(node, "key", s.Key);
        Add(node, "name", s.Name);
        Add(node, "description", s.Description);
        AddList(node, "steps", s.Steps, Step);
        return node;
    }

    private static YamlMappingNode Step(StepDefinition s)
    {
        var node = new YamlMappingNode();
        Add(node, "key", s.Key);
        Add(node, "name", s.Name);
        Add(node, "role", s.Role);
        Add(node, "description", s.Description);
        Add(node, "due", s.Due);
        AddList(node, "reminders", s.Reminders, Reminder);
        if (s.Escalation is { } e)
        {
            node.Add("escalation", Flow(new YamlMappingNode { { "after", Scalar(e.After) }, { "to", Scalar(e.To) } }));
        }

        AddList(node, "contributors", s.Contributors, c =>
        {
            var contributor = new YamlMappingNode();
            Add(contributor, "role", c.Role);
            Add(contributor, "task", c.Task);
            Add(contributor, "due", c.Due);
            return contributor;
        });
        AddList(node, "form", s.Form, Field);
        AddList(node, "outcomes", s.Outcomes, Outcome);
        AddList(node, "timers", s.Timers, t =>
        {
            var timer = new YamlMappingNode();
            Add(timer, "after", t.After);
            Add(timer, "action", t.Action);
            Add(timer, "to", t.To);
            Add(timer, "outcome", t.Outcome);
            Add(timer, "reason", t.Reason);
            return Flow(timer);
        });

        if (s.Tracks is { } tracks)
        {
            node.Add("tracks", Tracks(tracks));
        }

        return node;
    }

    private static YamlNode Reminder(ReminderDefinition r) => r.To is null
        ? Scalar(r.After)
        : Flow(new YamlMappingNode { { "after", Scalar(r.After) }, { "to", Scalar(r.To) } });

    private static YamlMappingNode Field(FieldDefinition f)
    {
        var node = new YamlMappingNode();
        Add(node, "key", f.Key);
        Add(node, "label", f.Label);
        Add(node, "type", f.Type);
        if (f.Required)
        {
            node.Add("required", "true");
        }

        Add(node, "help", f.Help);
        AddList(node, "options", f.Options, o => o.Label is null
            ? Scalar(o.Value)
            : Flow(new YamlMappingNode { { "value", Scalar(o.Value) }, { "label", Scalar(o.Label) } }));
        Add(node, "taxonomy", f.Taxonomy);
        if (f.Multiple)
        {
            node.Add("multiple", "true");
        }

        Add(node, "min", f.Min?.ToString(CultureInfo.InvariantCulture));
        Add(node, "max", f.Max?.ToString(CultureInfo.InvariantCulture));
        Add(node, "maxLength", f.MaxLength?.ToString(CultureInfo.InvariantCulture));
        AddList(node, "columns", f.Columns, Field);
        return node;
    }

    private static YamlMappingNode Outcome(OutcomeDefinition o)
    {
        var node = new YamlMappingNode();
        Add(node, "key", o.Key);
        Add(node, "label", o.Label);
        Add(node, "to", o.To);
        AddList(node, "conditions", o.Conditions, Condition);
        if (o.RequiresReason)
        {
            node.Add("requires-reason", "true");
        }

        return node;
    }

    private static YamlNode Condition(ConditionRef c)
    {
        if (c.Arguments is not null)
        {
            var arguments = new YamlMappingNode();
            foreach (var (key, value) in c.Arguments.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                arguments.Add(key, Scalar(value));
            }

            return new YamlMappingNode { { c.Name, Flow(arguments) } };
        }

        if (c.Unmet is not null)
        {
            return Flow(new YamlMappingNode { { c.Name, Quoted(c.Argument ?? "") }, { "unmet", Scalar(c.Unmet) } });
        }

        return c.Argument is null ? Scalar(c.Name)
            : new YamlMappingNode { { c.Name, c.Name == Conditions.ConditionCatalog.Expression ? Quoted(c.Argument) : Scalar(c.Argument) } };
    }

    private static YamlMappingNode EndState(EndStateDefinition e)
    {
        var node = new YamlMappingNode();
        Add(node, "key", e.Key);
        Add(node, "name", e.Name);
        Add(node, "kind", e.Kind);
        Add(node, "description", e.Description);
        return node;
    }

    private static YamlMappingNode CaseAction(CaseActionDefinition a)
    {
        var node = new YamlMappingNode();
        Add(node, "key", a.Key);
        Add(node, "label", a.Label);
        Add(node, "kind", a.Kind);
        Add(node, "to", a.To);
        if (a.Roles.Count > 0)
        {
            node.Add("roles", new YamlSequenceNode(a.Roles.Select(r => (YamlNode)Scalar(r))) { Style = SequenceStyle.Flow });
        }

        if (a.RequiresReason)
        {
            node.Add("requires-reason", "true");
        }

        return node;
    }

    private static YamlMappingNode CheckIn(CheckInDefinition c)
    {
        var node = new YamlMappingNode();
        Add(node, "key", c.Key);
        Add(node, "name", c.Name);
        Add(node, "step", c.Step);
        Add(node, "every", c.Every);
        Add(node, "for", c.For);
        Add(node, "opens", c.Opens);
        Add(node, "role", c.Role);
        AddList(node, "form", c.Form, Field);
        return node;
    }

    private static void Add(YamlMappingNode node, string key, string? value)
    {
        if (value is not null)
        {
            node.Add(key, Scalar(value));
        }
    }

    private static void AddList<T>(YamlMappingNode node, string key, IReadOnlyList<T> items, Func<T, YamlNode> write)
    {
        if (items.Count > 0)
        {
            node.Add(key, new YamlSequenceNode(items.Select(write)));
        }
    }

    private static YamlScalarNode Scalar(string value)
    {
        var node = new YamlScalarNode(value);
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            node.Style = ScalarStyle.Literal;
        }
        else if (NeedsQuotes(value))
        {
            node.Style = ScalarStyle.DoubleQuoted;
        }

        return node;
    }

    // Values that other YAML readers would turn into booleans or nulls, or that look like numbers, are
    // quoted so the file means the same in any editor; our loader reads them as text either way.
    private static bool NeedsQuotes(string value) =>
        value.Length == 0
        || value.ToLowerInvariant() is "yes" or "no" or "true" or "false" or "on" or "off" or "y" or "n" or "null" or "~";

    private static YamlMappingNode Flow(YamlMappingNode node)
    {
        node.Style = MappingStyle.Flow;
        return node;
    }
}
