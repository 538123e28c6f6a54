using System.Xml.Linq;
using TIBS.Cases.Workflows.Bpmn;

namespace TIBS.Cases.Workflows.Tests;

public sealed class BpmnExportTests
{
    private static readonly XNamespace Model = BpmnExport.ModelNamespace;
    private static readonly XNamespace Di = BpmnExport.DiNamespace;

    [Theory]
    [InlineData("joint-smart-strategy/v1.yaml")]
    [InlineData("joint-smart-strategy/v4.yaml")]
    [InlineData("strategy-audit/v1.yaml")]
    public void A_shipped_version_exports_as_bpmn_with_a_task_per_step_and_a_flow_per_outcome(string file)
    {
        var document = WorkflowDefinitions.Check(TestFiles.ReadWorkflow(file)).Document!;

        var xml = XDocument.Parse(BpmnExport.ToXml(document));

        Assert.Equal(Model + "definitions", xml.Root!.Name);
        var process = xml.Root.Element(Model + "process")!;
        var steps = document.Stages.SelectMany(s => s.Steps).ToList();
        var tasks = process.Elements(Model + "userTask").ToList();
        Assert.Equal(steps.Select(s => s.Name), tasks.Select(t => (string)t.Attribute("name")!));
        var flows = process.Elements(Model + "sequenceFlow").ToDictionary(f => (string)f.Attribute("id")!);
        foreach (var step in steps)
        {
            foreach (var outcome in step.Outcomes)
            {
                var flow = flows[BpmnExport.Id("Flow", step.Key + "." + outcome.Key)];
                Assert.Equal(outcome.Label, (string)flow.Attribute("name")!);
                Assert.EndsWith("_" + outcome.To, (string)flow.Attribute("targetRef")!, StringComparison.Ordinal);
            }
        }

        Assert.Equal(document.EndStates.Count, process.Elements(Model + "endEvent").Count());
        Assert.Single(process.Elements(Model + "startEvent"));
        var lanes = process.Element(Model + "laneSet")!.Elements(Model + "lane").Select(l => (string)l.Attribute("name")!);
        Assert.Equal(steps.Select(s => s.Role).Distinct().Order(), lanes.Order());

        // Every flow joins two nodes of the process, and every element is drawn: a shape with bounds or an edge with waypoints.
        var ids = process.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToHashSet();
        Assert.All(flows.Values, f => Assert.True(ids.Contains((string)f.Attribute("sourceRef")!) && ids.Contains((string)f.Attribute("targetRef")!)));
        var drawn = xml.Descendants(Di + "BPMNShape").Where(s => s.Elements().Any(b => b.Name.LocalName == "Bounds"))
            .Concat(xml.Descendants(Di + "BPMNEdge").Where(e => e.Elements().Count() >= 2))
            .Select(s => (string)s.Attribute("bpmnElement")!).ToHashSet();
        var nodes = process.Elements().Where(e => e.Name.LocalName is not ("laneSet" or "documentation")).Select(e => (string)e.Attribute("id")!);
        Assert.All(nodes, id => Assert.Contains(id, drawn));
    }

    [Fact]
    public void Reminders_and_escalations_are_non_interrupting_timers_on_their_task_and_conditions_are_documented()
    {
        var document = WorkflowDefinitions.Check(TestFiles.ReadWorkflow("joint-smart-strategy/v4.yaml")).Document!;
        var step = document.Stages.SelectMany(s => s.Steps).First(s => s.Reminders.Count > 0 && s.Escalation is not null);
        var conditioned = document.Stages.SelectMany(s => s.Steps).SelectMany(s => s.Outcomes.Select(o => (Step: s, Outcome: o))).First(p => p.Outcome.Conditions.Count > 0 && p.Step.Outcomes.Count > 1);

        var process = XDocument.Parse(BpmnExport.ToXml(document)).Root!.Element(Model + "process")!;

        var timers = process.Elements(Model + "boundaryEvent").Where(b => (string)b.Attribute("attachedToRef")! == BpmnExport.Id("Task", step.Key)).ToList();
        Assert.Equal(step.Reminders.Count + 1, timers.Count);
        Assert.All(timers, t => Assert.Equal("false", (string)t.Attribute("cancelActivity")!));
        Assert.Contains(timers, t => t.Descendants(Model + "timeDuration").Single().Value == step.Escalation!.After);
        var flow = process.Elements(Model + "sequenceFlow").Single(f => (string)f.Attribute("id")! == BpmnExport.Id("Flow", conditioned.Step.Key + "." + conditioned.Outcome.Key));
        Assert.StartsWith("Allowed when: ", flow.Element(Model + "documentation")!.Value, StringComparison.Ordinal);
        Assert.Single(process.Elements(Model + "exclusiveGateway"), g => (string)g.Attribute("id")! == BpmnExport.Id("Gateway", conditioned.Step.Key));
    }
}
