using TIBS.Cases.Workflows.Definitions;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>The writer of a step's <c>tracks:</c> section, the mirror of the loader's.</summary>
public static partial class WorkflowYamlWriter
{
    private static YamlMappingNode Tracks(TracksDefinition t)
    {
        var node = new YamlMappingNode();
        Add(node, "for-each", t.ForEach);
        Add(node, "role", t.Role);
        Add(node, "due", t.Due);
        AddList(node, "reminders", t.Reminders, Reminder);
        Add(node, "start", t.Start);
        AddList(node, "states", t.States, TrackState);
        AddList(node, "ends", t.Ends, e => Flow(EndState(e)));
        AddList(node, "join", t.Join, j => Flow(new YamlMappingNode { { "when", Scalar(j.When) }, { "outcome", Scalar(j.Outcome) } }));
        return node;
    }

    private static YamlMappingNode TrackState(TrackStateDefinition s)
    {
        var node = new YamlMappingNode();
        Add(node, "key", s.Key);
        Add(node, "name", s.Name);
        Add(node, "description", s.Description);
        AddList(node, "outcomes", s.Outcomes, o => Flow(new YamlMappingNode { { "key", Scalar(o.Key) }, { "label", Scalar(o.Label) }, { "to", Scalar(o.To) } }));
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
        return node;
    }
}
