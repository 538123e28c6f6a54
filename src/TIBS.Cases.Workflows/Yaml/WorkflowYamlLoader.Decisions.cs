using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Yaml;

public static partial class WorkflowYamlLoader
{
    private static readonly string[] DecisionKeys = ["key", "name", "description", "hit-policy", "inputs", "output", "rules", "default"];
    private static readonly string[] DecisionInputKeys = ["label", "expression", "kind"];
    private static readonly string[] DecisionOutputKeys = ["kind", "values"];
    private static readonly string[] DecisionRuleKeys = ["when", "then"];

    private static DecisionDefinition? ReadDecision(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a decision table"), DecisionKeys);
        return m is null ? null : new DecisionDefinition
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Description = m.OptionalString("description"),
            HitPolicy = m.OptionalString("hit-policy"),
            Inputs = m.List("inputs", ReadDecisionInput),
            Output = m.Object("output", ReadDecisionOutput),
            Rules = m.List("rules", ReadDecisionRule),
            Default = m.OptionalString("default"),
        };
    }

    private static DecisionInput? ReadDecisionInput(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("an input of a decision table"), DecisionInputKeys);
        if (m is null)
        {
            return null;
        }

        if (node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode("expression"), out var expression) && expression is YamlScalarNode scalar)
        {
            RecordExpression(c, $"{path}.expression", scalar);
        }

        return new DecisionInput { Label = m.String("label"), Expression = m.String("expression"), Kind = m.String("kind") };
    }

    private static DecisionOutput? ReadDecisionOutput(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("the output of a decision table"), DecisionOutputKeys);
        return m is null ? null : new DecisionOutput { Kind = m.OptionalString("kind"), Values = m.List("values", ReadText) };
    }

    private static DecisionRule? ReadDecisionRule(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a rule of a decision table"), DecisionRuleKeys);
        return m is null ? null : new DecisionRule { When = m.List("when", ReadText), Then = m.String("then") };
    }

    private static string? ReadText(Context c, YamlNode node, string path) => c.Scalar(node, path)?.Trim() ?? (node is YamlScalarNode ? "" : null);

    /// <summary>
    /// Records where the text of an expression starts and, for one written on one line, the file column of each of its
    /// characters (escapes such as \" take two columns for one character), so that a problem the expression checker
    /// finds at a column of the expression points at that column in the file.
    /// </summary>
    private static void RecordExpression(Context c, string path, YamlScalarNode node)
    {
        var line = (int)Math.Max(1, node.Start.Line);
        var column = (int)Math.Max(1, node.Start.Column);
        var style = node.Style;
        var quoted = style is YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted;
        c.Positions[path] = new SourcePosition(line, column + (quoted ? 1 : 0));
        if (style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded || node.Value is null)
        {
            return;
        }

        var raw = LineOf(c.Text, line);
        var columns = new List<int>();
        var i = column - 1 + (quoted ? 1 : 0);
        while (i < raw.Length && columns.Count < node.Value.Length)
        {
            columns.Add(i + 1);
            i += (style, raw[i]) switch
            {
                (YamlDotNet.Core.ScalarStyle.DoubleQuoted, '\\') when i + 1 < raw.Length => raw[i + 1] switch { 'x' => 4, 'u' => 6, 'U' => 10, _ => 2 },
                (YamlDotNet.Core.ScalarStyle.SingleQuoted, '\'') when i + 1 < raw.Length && raw[i + 1] == '\'' => 2,
                _ => 1,
            };
        }

        c.ExpressionColumns[path] = [.. columns];
    }

    private static string LineOf(string text, int line)
    {
        var start = 0;
        for (var n = 1; n < line && start >= 0; n++)
        {
            start = text.IndexOf('\n', start);
            start = start < 0 ? -1 : start + 1;
        }

        if (start < 0)
        {
            return "";
        }

        var end = text.IndexOf('\n', start);
        return (end < 0 ? text[start..] : text[start..end]).TrimEnd('\r');
    }
}
