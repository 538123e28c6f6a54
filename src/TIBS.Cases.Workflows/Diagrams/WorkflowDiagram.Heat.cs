using System.Text;
using Stateless.Graph;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;

namespace TIBS.Cases.Workflows.Diagrams;

/// <summary>A band of the heat drawn on a diagram: its CSS class, fill and text colours (text on fill is at least 4.5:1).</summary>
public sealed record HeatBand(string CssClass, string Fill, string Text);

public static partial class WorkflowDiagram
{
    /// <summary>Five bands from cool (fast) to hot (slow): a yellow-orange-red scale, dark text on the light bands, white on the dark.</summary>
    public static IReadOnlyList<HeatBand> HeatBands { get; } =
    [
        new("heat0", "#ffffcc", "#1a1a1a"),
        new("heat1", "#fed976", "#1a1a1a"),
        new("heat2", "#fd8d3c", "#1a1a1a"),
        new("heat3", "#e31a1c", "#ffffff"),
        new("heat4", "#800026", "#ffffff"),
    ];

    /// <summary>
    /// The Mermaid text of a plan with each step in <paramref name="bands"/> filled with the colour of its band
    /// (an index into <see cref="HeatBands"/>); steps without a band keep the default look.
    /// </summary>
    public static string Heat(WorkflowPlan plan, IReadOnlyDictionary<string, int> bands, DiagramOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(bands);
        var text = new StringBuilder(Mermaid(plan, null, options));
        var ids = NodeIds(MermaidGraph.Format(new WorkflowRuntime(plan).CreateMachine(new CaseSnapshot(plan.StartStep.Key), false).GetInfo()));
        for (var i = 0; i < HeatBands.Count; i++)
        {
            var band = HeatBands[i];
            var members = bands.Where(b => b.Value == i && plan.TryGetStep(b.Key, out _)).Select(b => ids.GetValueOrDefault(b.Key, b.Key)).Order(StringComparer.Ordinal).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            text.Append("\tclassDef ").Append(band.CssClass).Append(" fill:").Append(band.Fill).Append(",color:").Append(band.Text).Append(",stroke:#333333\n");
            text.Append("\tclass ").AppendJoin(',', members).Append(' ').Append(band.CssClass).Append('\n');
        }

        return text.ToString();
    }
}
