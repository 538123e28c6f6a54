using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.Workflows.Bpmn;

/// <summary>
/// Writes a version of a definition as BPMN 2.0 XML with diagram interchange (shapes and edges with bounds), so that any
/// BPMN viewer can draw it. The mapping: one pool with a lane per role; a start event; a user task per step (in its
/// role's lane); an exclusive gateway after a step with several outcomes, one sequence flow per outcome (named by its
/// label, its conditions as documentation); an end event per end state; a boundary timer event per reminder,
/// escalation and timer (non-interrupting, except a timer that takes an outcome); a group per stage. The export is
/// for reading: the definition's YAML stays the truth and BPMN is never imported back.
/// </summary>
public static partial class BpmnExport
{
    public const string ModelNamespace = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public const string DiNamespace = "http://www.omg.org/spec/BPMN/20100524/DI";
    public const string DcNamespace = "http://www.omg.org/spec/DD/20100524/DC";
    public const string DdiNamespace = "http://www.omg.org/spec/DD/20100524/DI";

    private static readonly XNamespace Bpmn = ModelNamespace;
    private static readonly XNamespace BpmnDi = DiNamespace;
    private static readonly XNamespace Dc = DcNamespace;
    private static readonly XNamespace Ddi = DdiNamespace;
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private const int LaneHeight = 180;
    private const int Column = 240;
    private const int PoolLeft = 40;
    private const int LaneLeft = PoolLeft + 30;
    private const int FirstColumn = LaneLeft + 140;
    private const int TaskWidth = 120;
    private const int TaskHeight = 80;
    private const int GatewaySize = 50;
    private const int EventSize = 36;

    private sealed record Box(double X, double Y, double W, double H)
    {
        public (double X, double Y) Right => (X + W, Y + (H / 2));

        public (double X, double Y) Left => (X, Y + (H / 2));

        public (double X, double Y) Bottom => (X + (W / 2), Y + H);
    }

    /// <summary>The BPMN 2.0 XML of <paramref name="document"/> (a valid definition), UTF-8, indented.</summary>
    public static string ToXml(WorkflowDefinitionDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var builder = new Builder(document);
        var xml = builder.Build();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            xml.Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An XML id (NCName) from a prefix and a definition key.</summary>
    internal static string Id(string prefix, string key)
    {
        var chars = key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return prefix + "_" + new string(chars);
    }

    private sealed class Builder(WorkflowDefinitionDocument d)
    {
        private readonly XElement process = new(Bpmn + "process", new XAttribute("id", Id("Process", d.Key)), new XAttribute("name", d.Name), new XAttribute("isExecutable", "false"));
        private readonly XElement plane = new(BpmnDi + "BPMNPlane", new XAttribute("id", "Plane_1"), new XAttribute("bpmnElement", "Collaboration_1"));
        private readonly List<XElement> categories = [];
        private readonly Dictionary<string, Box> boxes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> laneNodes = new(StringComparer.Ordinal);
        private readonly List<StepDefinition> steps = [.. d.Stages.SelectMany(s => s.Steps)];
        private readonly List<string> roles = [.. d.Stages.SelectMany(s => s.Steps).Select(s => s.Role).Distinct(StringComparer.Ordinal)];
        private int flowCount;

        private double PoolHeight => Math.Max(roles.Count * LaneHeight, (d.EndStates.Count * 80) + 40);

        private double LaneHeightOf => PoolHeight / Math.Max(1, roles.Count);

        private double PoolWidth => FirstColumn - PoolLeft + ((steps.Count + 1) * Column);

        public XDocument Build()
        {
            if (!string.IsNullOrWhiteSpace(d.Description))
            {
                process.Add(new XElement(Bpmn + "documentation", d.Description));
            }

            var laneSet = new XElement(Bpmn + "laneSet", new XAttribute("id", "LaneSet_1"));
            process.Add(laneSet);
            Layout();
            AddStart();
            foreach (var step in steps)
            {
                AddStep(step);
            }

            AddEnds();
            foreach (var step in steps)
            {
                AddOutcomes(step);
                AddTimers(step);
            }

            AddStages();
            AddLanes(laneSet);
            var collaboration = new XElement(Bpmn + "collaboration", new XAttribute("id", "Collaboration_1"),
                new XElement(Bpmn + "participant", new XAttribute("id", "Participant_1"), new XAttribute("name", d.Name), new XAttribute("processRef", process.Attribute("id")!.Value)));
            plane.AddFirst(Shape("Participant_1", new Box(PoolLeft, 40, PoolWidth, PoolHeight), ("isHorizontal", "true")));
            var definitions = new XElement(Bpmn + "definitions",
                new XAttribute(XNamespace.Xmlns + "bpmn", Bpmn),
                new XAttribute(XNamespace.Xmlns + "bpmndi", BpmnDi),
                new XAttribute(XNamespace.Xmlns + "dc", Dc),
                new XAttribute(XNamespace.Xmlns + "di", Ddi),
                new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
                new XAttribute("id", Id("Definitions", d.Key)),
                new XAttribute("targetNamespace", "https://tibs.example/workflows/" + Uri.EscapeDataString(d.Key)),
                new XAttribute("exporter", "TIBS.Cases"),
                new XAttribute("exporterVersion", d.Version.ToString(CultureInfo.InvariantCulture)),
                categories, collaboration, process,
                new XElement(BpmnDi + "BPMNDiagram", new XAttribute("id", "Diagram_1"), new XAttribute("name", $"{d.Name}, version {d.Version}"), plane));
            return new XDocument(new XDeclaration("1.0", "UTF-8", null), definitions);
        }

        private void Layout()
        {
            for (var i = 0; i < steps.Count; i++)
            {
                var lane = roles.IndexOf(steps[i].Role);
                var y = 40 + (lane * LaneHeightOf) + ((LaneHeightOf - TaskHeight) / 2);
                boxes[Id("Task", steps[i].Key)] = new Box(FirstColumn + (i * Column), y, TaskWidth, TaskHeight);
            }
        }

        private double LaneOf(double y) => Math.Clamp(Math.Floor((y - 40) / LaneHeightOf), 0, roles.Count - 1);

        private void Place(string id, XElement node, Box box)
        {
            process.Add(node);
            boxes[id] = box;
            plane.Add(Shape(id, box));
            if (roles.Count > 0)
            {
                var lane = roles[(int)LaneOf(box.Y + (box.H / 2))];
                laneNodes.TryAdd(lane, []);
                laneNodes[lane].Add(id);
            }
        }

        private void AddStart()
        {
            var first = d.Start ?? steps.FirstOrDefault()?.Key;
            if (first is null)
            {
                return;
            }

            var target = boxes[Id("Task", first)];
            Place("StartEvent_1", new XElement(Bpmn + "startEvent", new XAttribute("id", "StartEvent_1"), new XAttribute("name", "Case opened")),
                new Box(LaneLeft + 40, target.Y + ((TaskHeight - EventSize) / 2), EventSize, EventSize));
            Flow("StartEvent_1", Id("Task", first), null, null);
        }

        private void AddStep(StepDefinition step)
        {
            var id = Id("Task", step.Key);
            var box = boxes[id];
            var task = new XElement(Bpmn + (step.Tracks is null ? "userTask" : "subProcess"), new XAttribute("id", id), new XAttribute("name", step.Name));
            var notes = new List<string>();
            if (!string.IsNullOrWhiteSpace(step.Description))
            {
                notes.Add(step.Description);
            }

            notes.Add("Done by: " + step.Role + (step.Due is { } due ? "; due " + due : "") + ".");
            if (step.Form.Count > 0)
            {
                notes.Add("Form: " + string.Join(", ", step.Form.Select(f => f.Label + (f.Required ? " (required)" : ""))) + ".");
            }

            task.Add(new XElement(Bpmn + "documentation", string.Join("\n", notes)));
            if (step.Tracks is { } tracks)
            {
                AddTracks(task, step, tracks);
            }

            Place(id, task, box);
            if (step.Tracks is not null)
            {
                plane.Elements().Last().Add(new XAttribute("isExpanded", "false"));
            }

            if (step.Outcomes.Count > 1)
            {
                var gateway = Id("Gateway", step.Key);
                Place(gateway, new XElement(Bpmn + "exclusiveGateway", new XAttribute("id", gateway), new XAttribute("name", "Outcome of " + step.Name)),
                    new Box(box.X + TaskWidth + 45, box.Y + ((TaskHeight - GatewaySize) / 2), GatewaySize, GatewaySize));
                Flow(id, gateway, null, null);
            }

        }

        private void AddEnds()
        {
            var x = FirstColumn + (steps.Count * Column) + 20;
            for (var i = 0; i < d.EndStates.Count; i++)
            {
                var end = d.EndStates[i];
                var id = Id("End", end.Key);
                var node = new XElement(Bpmn + "endEvent", new XAttribute("id", id), new XAttribute("name", end.Name));
                node.Add(new XElement(Bpmn + "documentation", (end.Kind == "success" ? "Ends well" : "Ends without success") + (end.Description is { } text ? ": " + text : ".")));
                var y = 40 + 30 + (i * (PoolHeight - 60) / Math.Max(1, d.EndStates.Count));
                Place(id, node, new Box(x, y, EventSize, EventSize));
            }
        }

        private void AddOutcomes(StepDefinition step)
        {
            var from = step.Outcomes.Count > 1 ? Id("Gateway", step.Key) : Id("Task", step.Key);
            foreach (var outcome in step.Outcomes)
            {
                var conditions = outcome.Conditions.Count == 0 ? null
                    : "Allowed when: " + string.Join("; ", outcome.Conditions.Select(c => ConditionCatalog.Describe(c, step.Form))) + ".";
                Flow(from, Target(outcome.To), outcome.Label, conditions, Id("Flow", step.Key + "." + outcome.Key));
            }
        }

        private string Target(string key) => boxes.ContainsKey(Id("Task", key)) ? Id("Task", key) : Id("End", key);

        private void AddTimers(StepDefinition step)
        {
            var task = boxes[Id("Task", step.Key)];
            var timers = new List<(string After, string Name, bool Interrupting, string? To)>();
            timers.AddRange(step.Reminders.Select(r => (r.After, "Reminder" + (r.To is { } to ? " to " + to : ""), false, (string?)null)));
            if (step.Escalation is { } e)
            {
                timers.Add((e.After, "Escalation to " + e.To, false, null));
            }

            timers.AddRange(step.Timers.Select(t => (t.After, TimerName(t), t.Action == "outcome",
                t.Action == "outcome" ? step.Outcomes.FirstOrDefault(o => o.Key == t.Outcome)?.To : null)));
            for (var i = 0; i < timers.Count; i++)
            {
                var (after, name, interrupting, to) = timers[i];
                var id = Id("Timer", step.Key + "." + (i + 1).ToString(CultureInfo.InvariantCulture));
                var boundary = new XElement(Bpmn + "boundaryEvent", new XAttribute("id", id), new XAttribute("name", $"{name} after {after}"),
                    new XAttribute("attachedToRef", Id("Task", step.Key)), new XAttribute("cancelActivity", interrupting ? "true" : "false"),
                    new XElement(Bpmn + "timerEventDefinition", new XAttribute("id", id + "_definition"),
                        new XElement(Bpmn + "timeDuration", new XAttribute(Xsi + "type", "bpmn:tFormalExpression"), after)));
                var box = new Box(task.X + 6 + (i * 28 % (TaskWidth - EventSize)), task.Y + TaskHeight - (EventSize / 2), EventSize, EventSize);
                process.Add(boundary);
                boxes[id] = box;
                plane.Add(Shape(id, box));
                if (to is not null)
                {
                    Flow(id, Target(to), "When time is up", null);
                }
            }
        }

        internal static string TimerName(TimerDefinition t) => t.Action switch
        {
            "remind" => "Reminder" + (t.To is { } to ? " to " + to : ""),
            "escalate" => "Escalation to " + t.To,
            "reassign" => "Reassign to " + t.To,
            "outcome" => "Outcome " + t.Outcome,
            "hold" => "Put on hold",
            _ => "Timer " + t.Action,
        };

        private void AddStages()
        {
            var index = 0;
            foreach (var stage in d.Stages.Where(s => s.Steps.Count > 0))
            {
                index++;
                var category = "Category_" + index.ToString(CultureInfo.InvariantCulture);
                var value = Id("Stage", stage.Key);
                categories.Add(new XElement(Bpmn + "category", new XAttribute("id", category),
                    new XElement(Bpmn + "categoryValue", new XAttribute("id", value), new XAttribute("value", stage.Name))));
                var group = Id("Group", stage.Key);
                process.Add(new XElement(Bpmn + "group", new XAttribute("id", group), new XAttribute("categoryValueRef", value)));
                var first = boxes[Id("Task", stage.Steps[0].Key)];
                var last = boxes[Id("Task", stage.Steps[^1].Key)];
                plane.Add(Shape(group, new Box(first.X - 30, 40 + 8, last.X + Column - 30 - (first.X - 30) - 10, PoolHeight - 16)));
            }
        }

        private void AddLanes(XElement laneSet)
        {
            for (var i = 0; i < roles.Count; i++)
            {
                var id = Id("Lane", roles[i]);
                var lane = new XElement(Bpmn + "lane", new XAttribute("id", id), new XAttribute("name", roles[i]));
                foreach (var node in laneNodes.GetValueOrDefault(roles[i]) ?? [])
                {
                    lane.Add(new XElement(Bpmn + "flowNodeRef", node));
                }

                laneSet.Add(lane);
                plane.Add(Shape(id, new Box(LaneLeft, 40 + (i * LaneHeightOf), PoolWidth - (LaneLeft - PoolLeft), LaneHeightOf), ("isHorizontal", "true")));
            }
        }

        private void Flow(string source, string target, string? name, string? documentation, string? id = null)
        {
            id ??= "Flow_" + (++flowCount).ToString(CultureInfo.InvariantCulture);
            var flow = new XElement(Bpmn + "sequenceFlow", new XAttribute("id", id), new XAttribute("sourceRef", source), new XAttribute("targetRef", target));
            if (name is not null)
            {
                flow.Add(new XAttribute("name", name));
            }

            if (documentation is not null)
            {
                flow.Add(new XElement(Bpmn + "documentation", documentation));
            }

            process.Add(flow);
            var a = boxes[source];
            var b = boxes[target];
            var points = new List<(double X, double Y)>();
            if (b.X > a.X + a.W)
            {
                var (sx, sy) = source.StartsWith("Timer_", StringComparison.Ordinal) ? a.Bottom : a.Right;
                var (tx, ty) = b.Left;
                var mid = (sx + tx) / 2;
                points.AddRange(sy == ty ? [(sx, sy), (tx, ty)] : [(sx, sy), (mid, sy), (mid, ty), (tx, ty)]);
            }
            else
            {
                // A way back (or down the same column): under both shapes.
                var (sx, sy) = a.Bottom;
                var (tx, ty) = b.Bottom;
                var below = Math.Max(sy, ty) + 20 + (flowCount % 3 * 6);
                points.AddRange([(sx, sy), (sx, below), (tx, below), (tx, ty)]);
            }

            var edge = new XElement(BpmnDi + "BPMNEdge", new XAttribute("id", id + "_di"), new XAttribute("bpmnElement", id));
            foreach (var (x, y) in points)
            {
                edge.Add(new XElement(Ddi + "waypoint", new XAttribute("x", Number(x)), new XAttribute("y", Number(y))));
            }

            plane.Add(edge);
        }

        private static XElement Shape(string id, Box box, params (string Name, string Value)[] attributes)
        {
            var shape = new XElement(BpmnDi + "BPMNShape", new XAttribute("id", id + "_di"), new XAttribute("bpmnElement", id));
            foreach (var (name, value) in attributes)
            {
                shape.Add(new XAttribute(name, value));
            }

            shape.Add(new XElement(Dc + "Bounds", new XAttribute("x", Number(box.X)), new XAttribute("y", Number(box.Y)),
                new XAttribute("width", Number(box.W)), new XAttribute("height", Number(box.H))));
            return shape;
        }

        private static string Number(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
    }
}
