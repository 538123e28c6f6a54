using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Diagrams;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>The diagram shows a step's parallel tracks, their timers and join rules, and a step's acting timers, in words.</summary>
public sealed class DiagramTrackTests
{

    private static string Yaml() => TrackDefinition.Yaml().Replace(
        "role: broker\n        outcomes:\n          - { key: ask-partners",
        "role: broker\n        timers:\n          - { after: P10BD, action: escalate, to: coordinator }\n        outcomes:\n          - { key: ask-partners",
        StringComparison.Ordinal);

    [Fact]
    public void A_step_with_tracks_lists_its_track_states_timers_and_join_rules()
    {
        var plan = WorkflowDefinitions.Compile(TrackDefinition.Yaml());

        var notes = WorkflowDiagram.StepNotes(plan.Steps.Single(s => s.Key == "expressions"));

        Assert.Equal(
            [
                "One track per partner, by the partner-broker, due in 20 days",
                "Track states: Contacted, Interested; ends: Agreed, Declined, No answer",
                "Contacted, after 20 business days: no answer",
                "Join when tracks.agreed >= 1: A partner agreed",
                "Join when tracks.open == 0: Back to matching",
            ],
            notes);
        Assert.Empty(WorkflowDiagram.StepNotes(plan.Steps.Single(s => s.Key == "agreement")));
    }

    [Fact]
    public void The_mermaid_text_carries_the_notes_escaped_in_the_steps_box()
    {
        var plan = WorkflowDefinitions.Compile(TrackDefinition.Yaml());

        var mermaid = WorkflowDiagram.Mermaid(plan);

        var id = WorkflowDiagram.NodeId(plan, "expressions");
        Assert.Contains($"\t{id} : Join when tracks.agreed #62;= 1\u2236 A partner agreed\n", mermaid, StringComparison.Ordinal);
        Assert.Contains($"\t{id} : Contacted, after 20 business days\u2236 no answer\n", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void A_steps_acting_timer_is_shown_on_the_step()
    {
        var yaml = Yaml();
        Assert.Contains("action: escalate", yaml, StringComparison.Ordinal);
        var plan = WorkflowDefinitions.Compile(yaml);

        var notes = WorkflowDiagram.StepNotes(plan.Steps.Single(s => s.Key == "matching"));

        Assert.Equal(["After 10 business days: escalate to the coordinator"], notes);
    }

    [Fact]
    public void The_notes_under_a_steps_name_are_written_in_the_readers_language()
    {
        var plan = WorkflowDefinitions.Compile(TrackDefinition.Yaml());
        var (ui, culture) = (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture);
        IReadOnlyList<string> notes;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de");
            notes = WorkflowDiagram.StepNotes(plan.Steps.Single(s => s.Key == "expressions"));
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture) = (ui, culture);
        }

        Assert.Equal("Ein Strang je partner, bearbeitet von partner-broker, Frist: 20 Tage", notes[0]);
        Assert.Equal("Zustände des Strangs: Contacted, Interested; Enden: Agreed, Declined, No answer", notes[1]);
        Assert.Equal("Zusammenführung, wenn tracks.agreed >= 1: A partner agreed", notes[3]);
    }

    [Fact]
    public void A_diagram_drawn_again_is_the_same_and_each_reader_gets_it_in_their_own_language()
    {
        var plan = WorkflowDefinitions.Compile(TrackDefinition.Yaml());
        var (ui, culture) = (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture);
        string english, englishAgain, german, otherStep;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("en");
            english = WorkflowDiagram.Mermaid(plan, "expressions");
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de");
            german = WorkflowDiagram.Mermaid(plan, "expressions");
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("en");
            englishAgain = WorkflowDiagram.Mermaid(plan, "expressions");
            otherStep = WorkflowDiagram.Mermaid(plan, plan.StartStep.Key);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture) = (ui, culture);
        }

        Assert.Equal(english, englishAgain);
        Assert.Contains(WorkflowDiagram.EscapeLabel("One track per partner, by the partner-broker, due in 20 days"), english, StringComparison.Ordinal);
        Assert.DoesNotContain("Ein Strang", english, StringComparison.Ordinal);
        Assert.Contains(WorkflowDiagram.EscapeLabel("Ein Strang je partner, bearbeitet von partner-broker, Frist: 20 Tage"), german, StringComparison.Ordinal);
        Assert.EndsWith($"class {WorkflowDiagram.NodeId(plan, "expressions")} {WorkflowDiagram.CurrentClass}\n", english, StringComparison.Ordinal);
        Assert.EndsWith($"class {WorkflowDiagram.NodeId(plan, plan.StartStep.Key)} {WorkflowDiagram.CurrentClass}\n", otherStep, StringComparison.Ordinal);
    }
}
