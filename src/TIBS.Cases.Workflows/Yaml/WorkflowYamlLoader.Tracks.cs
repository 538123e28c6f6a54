using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Localization;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Yaml;

/// <summary>The reader of a step's <c>tracks:</c> section (parallel partner tracks).</summary>
public static partial class WorkflowYamlLoader
{
    private static readonly string[] TracksKeys = ["for-each", "role", "due", "reminders", "start", "states", "ends", "join"];
    private static readonly string[] TrackStateKeys = ["key", "name", "description", "outcomes", "timers"];
    private static readonly string[] TrackOutcomeKeys = ["key", "label", "to"];
    private static readonly string[] TrackTimerKeys = ["after", "action", "to", "outcome", "reason"];
    private static readonly string[] TrackJoinKeys = ["when", "outcome"];

    private static TracksDefinition? ReadTracks(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("the tracks of a step"), TracksKeys);
        return m is null ? null : new TracksDefinition
        {
            ForEach = m.String("for-each"),
            Role = m.String("role"),
            Due = m.OptionalString("due"),
            Reminders = m.List("reminders", ReadReminder),
            Start = m.OptionalString("start"),
            States = m.List("states", ReadTrackState),
            Ends = m.List("ends", ReadEndState),
            Join = m.List("join", ReadTrackJoin),
        };
    }

    private static TrackStateDefinition? ReadTrackState(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a track state"), TrackStateKeys);
        return m is null ? null : new TrackStateDefinition
        {
            Key = m.String("key"),
            Name = m.String("name"),
            Description = m.OptionalString("description"),
            Outcomes = m.List("outcomes", ReadTrackOutcome),
            Timers = m.List("timers", ReadTrackTimer),
        };
    }

    private static OutcomeDefinition? ReadTrackOutcome(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("an outcome of a track state ('key:', 'label:', 'to:')"), TrackOutcomeKeys);
        return m is null ? null : new OutcomeDefinition { Key = m.String("key"), Label = m.String("label"), To = m.String("to") };
    }

    private static TimerDefinition? ReadTrackTimer(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a timer ('after:', 'action:' and what it acts with)"), TrackTimerKeys);
        return m is null ? null : new TimerDefinition
        {
            After = m.String("after"),
            Action = m.String("action"),
            To = m.OptionalString("to"),
            Outcome = m.OptionalString("outcome"),
            Reason = m.OptionalString("reason"),
        };
    }

    private static TrackJoinDefinition? ReadTrackJoin(Context c, YamlNode node, string path)
    {
        var m = c.Map(node, path, Localized.Text("a join rule ('when:' and 'outcome:')"), TrackJoinKeys);
        return m is null ? null : new TrackJoinDefinition { When = m.String("when"), Outcome = m.String("outcome") };
    }
}
