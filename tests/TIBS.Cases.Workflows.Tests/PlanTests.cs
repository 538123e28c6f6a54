using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

public sealed class PlanTests
{
    [Fact]
    public void Compiling_an_invalid_definition_throws_with_every_problem()
    {
        var yaml = ValidatorTests.Base
            .Replace("role: coordinator", "role: manager", StringComparison.Ordinal)
            .Replace("due: P5D", "due: soon", StringComparison.Ordinal);
        var document = WorkflowYamlLoader.Load(yaml).Document!;

        var exception = Assert.Throws<WorkflowDefinitionException>(() => WorkflowPlan.Compile(document));

        Assert.Equal(["stages[0].steps[0].due", "stages[0].steps[1].role"], exception.Errors.Select(e => e.Path).Order());
        Assert.Contains("stages[0].steps[1].role: 'manager' is not a role", exception.Message, StringComparison.Ordinal);
        Assert.False(WorkflowPlan.TryCompile(document, out var plan, out var errors));
        Assert.Null(plan);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Compiling_malformed_yaml_throws_with_the_line()
    {
        var exception = Assert.Throws<WorkflowDefinitionException>(() => WorkflowDefinitions.Compile("key: x\nname: [unclosed\n"));

        var error = Assert.Single(exception.Errors);
        Assert.StartsWith("The YAML is malformed", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Position);
    }

    [Fact]
    public void The_plan_answers_lookups()
    {
        var plan = TestFiles.V1;

        Assert.Equal("intake", plan.StartStep.Key);
        Assert.Equal(12, plan.Steps.Count);
        Assert.Equal("partner-search", plan.StageOf("matching").Key);
        Assert.Equal("stage:partner-search", plan.StageOf("matching").StateName);
        Assert.Equal(WorkflowRole.Coordinator, plan.RoleFor("profile-validation"));
        Assert.Equal(["joint-strategy", "matching", "withdrawn"], plan.NextStates("expressions-of-interest"));
        Assert.True(plan.IsEndState("not-eligible"));
        Assert.False(plan.IsStep("not-eligible"));
        Assert.False(plan.Contains("nowhere"));
        Assert.Equal(EndStateKind.Success, Assert.Single(plan.EndStates, e => e.Key == "completed").Kind);
        Assert.Equal("eligibility:not-eligible", plan.OutcomesOf("eligibility")[1].Trigger);
        Assert.Same(plan.OutcomesOf("eligibility")[1], plan.FindOutcomeByTrigger("eligibility:not-eligible"));
        Assert.Equal("*:withdraw", plan.GetCaseAction(CaseActionKind.Withdraw)!.Trigger);
        Assert.Equal("withdrawn", plan.GetCaseAction("withdraw")!.Target);
        Assert.Throws<KeyNotFoundException>(() => plan.GetStep("nowhere"));
        Assert.Equal(64, plan.ContentHash.Length);
    }

    [Fact]
    public void Conditions_are_resolved_with_their_parameters_and_words()
    {
        var plan = TestFiles.V1;

        var partnerFound = plan.GetStep("expressions-of-interest").Outcome("partner-found")!;
        var signed = plan.GetStep("signed-agreement").Outcome("signed")!;

        var interested = partnerFound.Conditions.Single(c => c.Name == "min-interested-partners");
        Assert.Equal(1, interested.Count);
        Assert.Equal("At least 1 contacted partner has expressed interest", interested.Description);
        var result = partnerFound.Conditions.Single(c => c.Name == "field-equals");
        Assert.Equal(("result", "partner-found"), (result.Field, result.Value));
        Assert.Equal("Result is 'At least one partner is interested'", result.Description);
        var attachment = signed.Conditions.Single(c => c.Name == "attachment");
        Assert.Equal(("signed-agreement", "attachment: signed-agreement"), (attachment.Field, attachment.GuardName));
        Assert.Equal("A file is attached in 'Signed agreement'", attachment.Description);
    }

    [Fact]
    public void Check_ins_every_three_months_for_a_year_fall_on_calendar_months()
    {
        var plan = TestFiles.V1;
        var signedOn = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

        var checkIn = Assert.Single(plan.CheckInsFor("follow-up-check-ins"));
        var dates = checkIn.Occurrences(signedOn);

        Assert.Equal(
            [new DateTimeOffset(2026, 4, 30, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 7, 31, 12, 0, 0, TimeSpan.Zero),
             new DateTimeOffset(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero)],
            dates);
    }

    [Fact]
    public void A_step_schedules_its_reminders_due_date_escalation_and_contributor_tasks()
    {
        var plan = TestFiles.V1;
        var start = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

        var assessment = plan.ScheduleFor("needs-assessment", start);
        var interest = plan.ScheduleFor("expressions-of-interest", start);
        var followUp = plan.ScheduleFor("follow-up-check-ins", start);

        Assert.Equal(
            [(NoticeKind.Reminder, start.AddDays(7), WorkflowRole.Broker), (NoticeKind.Due, start.AddDays(10), WorkflowRole.Broker),
             (NoticeKind.Escalation, start.AddDays(20), WorkflowRole.Coordinator)],
            assessment.Select(n => (n.Kind, n.At, n.To)));
        Assert.Contains(interest, n => n.Kind == NoticeKind.ContributorDue && n.To == WorkflowRole.PartnerBroker && n.At == start.AddDays(5));
        Assert.Equal(4, followUp.Count(n => n.Kind == NoticeKind.CheckIn));
        Assert.Equal(followUp.Count, followUp.Select(n => n.Key).Distinct().Count());
        Assert.Equal(WorkflowRole.Coordinator, plan.ScheduleFor("intake", start).Single(n => n.Kind == NoticeKind.Reminder).To);
    }
}
