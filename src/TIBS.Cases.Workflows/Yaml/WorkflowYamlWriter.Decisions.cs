using TIBS.Cases.Workflows.Definitions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Yaml;

public static partial class WorkflowYamlWriter
{
    private static YamlMappingNode Decision(DecisionDefinition d)
    {
        var node = new YamlMappingNode();
        Add(node, "key", d.Key);
        Add(node, "name", d.Name);
        Add(node, "description", d.Description);
        Add(node, "hit-policy", d.HitPolicy);
        AddList(node, "inputs", d.Inputs, i => Flow(new YamlMappingNode { { "label", Scalar(i.Label) }, { "expression", Quoted(i.Expression) }, { "kind", Scalar(i.Kind) } }));
        if (d.Output is { } output)
        {
            var outputNode = new YamlMappingNode();
            Add(outputNode, "kind", output.Kind);
            if (output.Values.Count > 0)
            {
                outputNode.Add("values", FlowList(output.Values, Scalar));
            }

            node.Add("output", Flow(outputNode));
        }

        AddList(node, "rules", d.Rules, r => Flow(new YamlMappingNode { { "when", FlowList(r.When, Quoted) }, { "then", Scalar(r.Then) } }));
        Add(node, "default", d.Default);
        return node;
    }

    private static YamlSequenceNode FlowList(IReadOnlyList<string> items, Func<string, YamlScalarNode> write) =>
        new(items.Select(i => (YamlNode)write(i))) { Style = SequenceStyle.Flow };

    /// <summary>Expressions and table cells are always written in double quotes: they hold characters YAML gives meaning to.</summary>
    private static YamlScalarNode Quoted(string value) => new(value) { Style = value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted };
}
