using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Diagrams;

namespace TIBS.Cases.Workflows.Tests;

public sealed class DiagramTests
{
    [Fact]
    public void The_diagram_shows_stages_and_outcomes_with_their_conditions_in_words()
    {
        var mermaid = WorkflowDiagram.Mermaid(TestFiles.V1);

        Assert.StartsWith("stateDiagram-v2", mermaid, StringComparison.Ordinal);
        Assert.Contains("state stagepartnersearch {", mermaid, StringComparison.Ordinal);
        Assert.Contains("expressionsofinterest --> jointstrategy : Partner found [All required fields of the form are filled in] [Result is 'At least one partner is interested'] [At least 1 contacted partner has expressed interest] [At least 1 interested or agreed partner comes from a country other than the lead company's]", mermaid, StringComparison.Ordinal);
        Assert.Contains("signedagreement --> followupcheckins : Agreement signed [All required fields of the form are filled in] [A file is attached in 'Signed agreement'] [At least 1 interested or agreed partner comes from a country other than the lead company's]", mermaid, StringComparison.Ordinal);
        Assert.Contains("stagefollowup --> withdrawn : Withdraw the case", mermaid, StringComparison.Ordinal);
        Assert.Contains("[*] --> intake", mermaid, StringComparison.Ordinal);
        Assert.Contains("stagepartnersearch : Partner search", mermaid, StringComparison.Ordinal);

        // Mermaid refuses a second colon on a line: labels must not have one after the " : " separator.
        Assert.All(mermaid.Split('\n').Where(l => l.Contains(" : ", StringComparison.Ordinal)),
            l => Assert.DoesNotContain(':', l[(l.IndexOf(" : ", StringComparison.Ordinal) + 3)..]));
        Assert.DoesNotContain("Function", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("classDef current", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_outcome_of_the_plan_is_drawn()
    {
        var mermaid = WorkflowDiagram.Mermaid(TestFiles.V2);

        Assert.All(TestFiles.V2.Steps.SelectMany(s => s.Outcomes), o => Assert.Contains($" : {WorkflowDiagram.EscapeLabel(o.Label)}", mermaid, StringComparison.Ordinal));
    }

    [Fact]
    public void No_condition_syntax_or_trigger_key_is_shown_on_an_edge()
    {
        var plan = TestFiles.V2;
        var edges = WorkflowDiagram.Mermaid(plan).Split('\n').Where(l => l.Contains("-->", StringComparison.Ordinal) && l.Contains(" : ", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(edges);
        foreach (var condition in ConditionCatalog.All)
        {
            Assert.All(edges, e => Assert.DoesNotContain(condition.Name + "\u2236", e, StringComparison.Ordinal));
        }

        Assert.All(plan.Steps.SelectMany(s => s.Outcomes), o => Assert.DoesNotContain(o.Trigger.Replace(":", "\u2236", StringComparison.Ordinal), string.Join('\n', edges), StringComparison.Ordinal));
        Assert.Contains(edges, e => e.Contains("Consent to process contact data is Yes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_can_be_highlighted()
    {
        var mermaid = WorkflowDiagram.Mermaid(TestFiles.V1, "profile-validation");

        var lines = mermaid.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("classDef current fill:#ffe08a,stroke:#b8860b,stroke-width:3px", lines);
        Assert.Contains("class profilevalidation current", lines);
        Assert.Contains("profilevalidation : Profile validation", lines);
        Assert.Equal("profilevalidation", WorkflowDiagram.NodeId(TestFiles.V1, "profile-validation"));
        Assert.Contains("class intake current", WorkflowDiagram.Mermaid(TestFiles.V1, "intake"), StringComparison.Ordinal);
    }

    [Fact]
    public void End_states_are_coloured_by_kind_and_case_actions_can_be_left_out()
    {
        var mermaid = WorkflowDiagram.Mermaid(TestFiles.V1, options: new DiagramOptions(IncludeCaseActions: false));

        Assert.Contains("class completed success", mermaid, StringComparison.Ordinal);
        Assert.Contains("class noteligible,withdrawn,abandoned failure", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("*:hold", mermaid, StringComparison.Ordinal);
        Assert.Contains("expressionsofinterest --> withdrawn", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void Highlighting_an_unknown_step_is_refused()
    {
        Assert.Throws<ArgumentException>(() => WorkflowDiagram.Mermaid(TestFiles.V1, "implementation-follow-up"));
    }
}
