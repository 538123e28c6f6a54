using System.Globalization;
using System.Xml.Linq;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Bpmn;

public static partial class BpmnExport
{
    /// <summary>
    /// The parallel tracks of a step as the content of its multi-instance (parallel) sub-process: a start event, a user
    /// task per track state, an end event per track end, a sequence flow per outcome, a boundary timer event per track
    /// timer (interrupting when it moves the track), and the join rules as the completion condition and in words.
    /// Drawn collapsed: viewers show the step's box with the parallel marker; the content is there for reading.
    /// </summary>
    internal static void AddTracks(XElement subProcess, StepDefinition step, TracksDefinition tracks)
    {
        var prefix = step.Key + ".";
        string Node(string key) => tracks.Ends.Any(e => e.Key == key) ? Id("TrackEnd", prefix + key) : Id("TrackTask", prefix + key);
        var flows = 0;
        XElement Flow(string source, string target, string? name)
        {
            var flow = new XElement(Bpmn + "sequenceFlow", new XAttribute("id", Id("TrackFlow", prefix + (++flows).ToString(CultureInfo.InvariantCulture))),
                new XAttribute("sourceRef", source), new XAttribute("targetRef", target));
            if (name is not null)
            {
                flow.Add(new XAttribute("name", name));
            }

            return flow;
        }

        var joins = tracks.Join.Select(j => $"when {j.When}: {step.Outcomes.FirstOrDefault(o => o.Key == j.Outcome)?.Label ?? j.Outcome}").ToList();
        subProcess.Add(new XElement(Bpmn + "multiInstanceLoopCharacteristics", new XAttribute("isSequential", "false"),
            new XElement(Bpmn + "completionCondition", new XAttribute(Xsi + "type", "bpmn:tFormalExpression"), string.Join(" || ", tracks.Join.Select(j => "(" + j.When + ")")))));
        var start = Id("TrackStart", prefix + "start");
        subProcess.Add(new XElement(Bpmn + "startEvent", new XAttribute("id", start), new XAttribute("name", "Track started")));
        if (tracks.Start is { } first)
        {
            subProcess.Add(Flow(start, Node(first), null));
        }

        foreach (var state in tracks.States)
        {
            var task = new XElement(Bpmn + "userTask", new XAttribute("id", Node(state.Key)), new XAttribute("name", state.Name));
            if (state.Description is { } description)
            {
                task.Add(new XElement(Bpmn + "documentation", description));
            }

            subProcess.Add(task);
            subProcess.Add(state.Outcomes.Select(o => Flow(Node(state.Key), Node(o.To), o.Label)));
            for (var i = 0; i < state.Timers.Count; i++)
            {
                var timer = state.Timers[i];
                var moves = timer.Action == "outcome" && timer.Outcome is { } key ? state.Outcomes.FirstOrDefault(o => o.Key == key)?.To ?? key : null;
                var id = Id("TrackTimer", prefix + state.Key + "." + (i + 1).ToString(CultureInfo.InvariantCulture));
                subProcess.Add(new XElement(Bpmn + "boundaryEvent", new XAttribute("id", id), new XAttribute("name", $"{Builder.TimerName(timer)} after {timer.After}"),
                    new XAttribute("attachedToRef", Node(state.Key)), new XAttribute("cancelActivity", moves is null ? "false" : "true"),
                    new XElement(Bpmn + "timerEventDefinition", new XAttribute("id", id + "_definition"),
                        new XElement(Bpmn + "timeDuration", new XAttribute(Xsi + "type", "bpmn:tFormalExpression"), timer.After))));
                if (moves is not null && (tracks.States.Any(s => s.Key == moves) || tracks.Ends.Any(e => e.Key == moves)))
                {
                    subProcess.Add(Flow(id, Node(moves), "When time is up"));
                }
            }
        }

        foreach (var end in tracks.Ends)
        {
            subProcess.Add(new XElement(Bpmn + "endEvent", new XAttribute("id", Node(end.Key)), new XAttribute("name", end.Name),
                new XElement(Bpmn + "documentation", end.Kind == "success" ? "The track ends well." : "The track ends without success.")));
        }

        // Documentation must come first in an activity: the join rules in words go in front of what is there.
        var documentation = subProcess.Element(Bpmn + "documentation");
        var text = $"One track per {tracks.ForEach}, run in parallel, by the {tracks.Role}{(tracks.Due is { } due ? "; due " + due : "")}. "
            + "The step goes on by the first join rule that holds (open tracks are then cancelled): " + string.Join("; ", joins) + ".";
        if (documentation is null)
        {
            subProcess.AddFirst(new XElement(Bpmn + "documentation", text));
        }
        else
        {
            documentation.Value += "\n" + text;
        }
    }
}
