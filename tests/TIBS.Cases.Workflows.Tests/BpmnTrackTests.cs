using System.Xml.Linq;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Bpmn;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>A step with parallel tracks is exported as a multi-instance (parallel) sub-process.</summary>
public sealed class BpmnTrackTests
{
    private static readonly XNamespace Model = BpmnExport.ModelNamespace;
    private static readonly XNamespace Di = BpmnExport.DiNamespace;

    private static XDocument Export() => XDocument.Parse(BpmnExport.ToXml(WorkflowDefinitions.Check(TrackDefinition.Yaml()).Document!));

    [Fact]
    public void A_step_with_tracks_is_a_parallel_multi_instance_sub_process_with_the_track_states_inside()
    {
        var process = Export().Root!.Element(Model + "process")!;

        var sub = Assert.Single(process.Elements(Model + "subProcess"));
        Assert.Equal("Expressions of interest", (string)sub.Attribute("name")!);
        Assert.Equal(["Matching", "Agreement"], process.Elements(Model + "userTask").Select(t => (string)t.Attribute("name")!));
        var loop = sub.Element(Model + "multiInstanceLoopCharacteristics")!;
        Assert.Equal("false", (string)loop.Attribute("isSequential")!);
        Assert.Equal("(tracks.agreed >= 1) || (tracks.open == 0)", (string)loop.Element(Model + "completionCondition")!);
        Assert.Contains("when tracks.agreed >= 1: A partner agreed", (string)sub.Element(Model + "documentation")!, StringComparison.Ordinal);

        Assert.Equal(["Contacted", "Interested"], sub.Elements(Model + "userTask").Select(t => (string)t.Attribute("name")!));
        Assert.Equal(["Agreed", "Declined", "No answer"], sub.Elements(Model + "endEvent").Select(t => (string)t.Attribute("name")!));
        Assert.Single(sub.Elements(Model + "startEvent"));
        var ids = sub.Elements().Select(e => (string?)e.Attribute("id")).Where(i => i is not null).ToHashSet();
        Assert.All(sub.Elements(Model + "sequenceFlow"), f =>
        {
            Assert.Contains((string)f.Attribute("sourceRef")!, ids);
            Assert.Contains((string)f.Attribute("targetRef")!, ids);
        });
        Assert.Equal(4, sub.Elements(Model + "sequenceFlow").Count(f => f.Attribute("name") is not null && (string)f.Attribute("name")! != "When time is up"));
    }

    [Fact]
    public void A_track_timer_is_an_interrupting_boundary_timer_leading_to_its_end()
    {
        var sub = Export().Root!.Element(Model + "process")!.Element(Model + "subProcess")!;

        var timer = Assert.Single(sub.Elements(Model + "boundaryEvent"));
        Assert.Equal("true", (string)timer.Attribute("cancelActivity")!);
        Assert.Equal("P20BD", (string)timer.Descendants(Model + "timeDuration").Single());
        var contacted = sub.Elements(Model + "userTask").Single(t => (string)t.Attribute("name")! == "Contacted");
        Assert.Equal((string)contacted.Attribute("id")!, (string)timer.Attribute("attachedToRef")!);
        var flow = sub.Elements(Model + "sequenceFlow").Single(f => (string)f.Attribute("sourceRef")! == (string)timer.Attribute("id")!);
        var target = sub.Elements(Model + "endEvent").Single(e => (string)e.Attribute("id")! == (string)flow.Attribute("targetRef")!);
        Assert.Equal("No answer", (string)target.Attribute("name")!);
    }

    [Fact]
    public void The_sub_process_is_drawn_collapsed_in_the_steps_place()
    {
        var xml = Export();
        var sub = xml.Root!.Element(Model + "process")!.Element(Model + "subProcess")!;

        var shape = xml.Descendants(Di + "BPMNShape").Single(s => (string)s.Attribute("bpmnElement")! == (string)sub.Attribute("id")!);
        Assert.Equal("false", (string)shape.Attribute("isExpanded")!);
        Assert.Equal("documentation", sub.Elements().First().Name.LocalName);
    }
}
