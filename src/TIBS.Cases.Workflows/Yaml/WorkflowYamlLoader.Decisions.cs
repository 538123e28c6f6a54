using TIBS.Cases.Workflows.Definitions;
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
        var m = c.Map(node, path, "a decision table", DecisionKeys);
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
        var m = c.Map(node, path, "an input of a decision table", DecisionInputKeys);
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
        var m = c.Map(node, path, "the output of a decision table", DecisionOutputKeys);
        return m is null ? null : new DecisionOutput { Kind = m.OptionalString("kind"), Values = m.List("values", ReadText) };
    }

    private static DecisionRule? ReadDecisionRule(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, "a rule of a decision table", DecisionRuleKeys);
        return m is null ? null : new DecisionRule { When = m.List("when", ReadText), Then = m.String("then") };
    }

    private static string? ReadText(Context c, YamlNode node, string path) => c.Scalar(node, path)?.Trim() ?? (node is YamlScalarNode ? "" : null);

    /// <summary>
    /// Records where the text of an expression starts (after its opening quote), so that a problem the expression
    /// checker finds at a column of the expression points at that column in the file.
    /// </summary>
    private static void RecordExpression(Context c, string path, YamlScalarNode node)
    {
        var quoted = node.Style is YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted;
        c.Positions[path] = new SourcePosition((int)Math.Max(1, node.Start.Line), (int)Math.Max(1, node.Start.Column) + (quoted ? 1 : 0));
    }
}
