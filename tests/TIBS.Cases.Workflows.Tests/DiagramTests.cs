using TIBS.Cases.Workflows.Diagrams;

namespace TIBS.Cases.Workflows.Tests;

public sealed class DiagramTests
{
    [Fact]
    public void The_diagram_shows_stages_triggers_and_guard_names()
    {
        var mermaid = WorkflowDiagram.Mermaid(TestFiles.V1);

        Assert.StartsWith("stateDiagram-v2", mermaid, StringComparison.Ordinal);
        Assert.Contains("state stagepartnersearch {", mermaid, StringComparison.Ordinal);
        Assert.Contains("expressionsofinterest --> jointstrategy : expressions-of-interest\u2236partner-found [form-complete] [field-equals\u2236 result = partner-found] [min-interested-partners\u2236 1] [partners-from-other-countries\u2236 1]", mermaid, StringComparison.Ordinal);
        Assert.Contains("signedagreement --> followupcheckins : signed-agreement\u2236signed [form-complete] [attachment\u2236 signed-agreement] [partners-from-other-countries\u2236 1]", mermaid, StringComparison.Ordinal);
        Assert.Contains("stagefollowup --> withdrawn : *\u2236withdraw", mermaid, StringComparison.Ordinal);
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

        Assert.All(TestFiles.V2.Steps.SelectMany(s => s.Outcomes), o => Assert.Contains($" : {o.Trigger.Replace(":", "\u2236", StringComparison.Ordinal)}", mermaid, StringComparison.Ordinal));
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
