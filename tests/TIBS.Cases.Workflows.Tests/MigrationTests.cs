using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Tests;

public sealed class MigrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> RenameFollowUp = new() { ["follow-up-check-ins"] = "implementation-follow-up" };

    private static RunningCase Case(string id, string step, string[]? fields = null, int reminders = 0, int startedDaysAgo = 3) =>
        new(id, step, fields ?? [],
            [.. Enumerable.Range(1, reminders).Select(i => new PendingReminder($"{id}-r{i}", step, Now.AddDays(i)))],
            Now.AddDays(-startedDaysAgo));

    private static MigrationPlan Plan(IReadOnlyDictionary<string, string> mappings, params RunningCase[] cases) =>
        MigrationPlanner.Plan(new MigrationRequest(TestFiles.V1, TestFiles.V2, mappings, cases, Now));

    [Fact]
    public void Same_key_steps_map_automatically()
    {
        var plan = Plan(new Dictionary<string, string>(), Case("PL84-2026-0001", "matching"), Case("PL84-2026-0002", "intake"));

        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        Assert.Equal("matching", plan.EffectiveMappings["matching"]);
        Assert.Equal(["matching", "intake"], plan.Cases.Select(c => c.ToStep));
        Assert.All(plan.Cases, c => Assert.False(c.MappedExplicitly));
        Assert.False(plan.EffectiveMappings.ContainsKey("follow-up-check-ins"));
    }

    [Fact]
    public void A_live_step_without_a_counterpart_rejects_the_whole_plan()
    {
        var plan = Plan(new Dictionary<string, string>(),
            Case("LV008-2026-0001", "follow-up-check-ins"),
            Case("LV008-2026-0002", "follow-up-check-ins"),
            Case("LV008-2026-0003", "intake"));

        Assert.False(plan.IsValid);
        Assert.Empty(plan.Cases);
        var error = Assert.Single(plan.Errors);
        Assert.Equal(("follow-up-check-ins", 2), (error.StepKey, error.CaseCount));
        Assert.Equal("Step 'follow-up-check-ins' has 2 running case(s), but joint-smart-strategy v2 has no step 'follow-up-check-ins' and no mapping was given for it; map 'follow-up-check-ins' to a step of joint-smart-strategy v2.", error.Message);
    }

    [Fact]
    public void An_unmapped_step_without_running_cases_does_not_block()
    {
        var plan = Plan(new Dictionary<string, string>(), Case("EE008-2026-0001", "final-evaluation"));

        Assert.True(plan.IsValid);
    }

    [Fact]
    public void Mappings_must_point_to_existing_steps_and_never_back_to_the_beginning()
    {
        var plan = Plan(
            new Dictionary<string, string>
            {
                ["follow-up-check-ins"] = "follow-up",
                ["final-evaluation"] = "completed",
                ["matching"] = "intake",
                ["no-such-step"] = "matching",
            },
            Case("DE60-2026-0001", "follow-up-check-ins"),
            Case("DE60-2026-0002", "matching"));

        Assert.Equal(
            [("final-evaluation", 0, "'final-evaluation' is mapped to 'completed', an end state of joint-smart-strategy v2; running cases can only be moved to a step."),
             ("follow-up-check-ins", 1, "'follow-up-check-ins' is mapped to 'follow-up', which is not a step of joint-smart-strategy v2."),
             ("matching", 1, "'matching' is mapped to 'intake', the first step of joint-smart-strategy v2: that would send 1 running case(s) back to the beginning. Map it to the step that corresponds to 'matching'."),
             ("no-such-step", 0, "The mapping from 'no-such-step' cannot be used: 'no-such-step' is not a step of joint-smart-strategy v1.")],
            plan.Errors.Select(e => (e.StepKey, e.CaseCount, e.Message)).OrderBy(e => e.StepKey, StringComparer.Ordinal));
        Assert.Empty(plan.Cases);
    }

    [Fact]
    public void A_case_in_a_state_unknown_to_the_old_version_is_an_error()
    {
        var plan = Plan(RenameFollowUp, Case("FI1C4-2026-0001", "implementation-follow-up"));

        Assert.Contains("Case FI1C4-2026-0001 is in 'implementation-follow-up', which is neither a step nor an end state of joint-smart-strategy v1", Assert.Single(plan.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dry_run_says_case_by_case_what_happens()
    {
        var plan = Plan(RenameFollowUp,
            Case("PL84-2026-0042", "needs-assessment", ["current-situation", "target-situation", "barriers", "target-countries"], reminders: 2),
            Case("PL84-2026-0043", "intake", ["company", "region"], reminders: 1, startedDaysAgo: 1),
            Case("PL84-2026-0044", "matching", ["shortlist"], reminders: 1, startedDaysAgo: 2),
            Case("PL84-2026-0045", "follow-up-check-ins", ["implementation-status"], reminders: 3, startedDaysAgo: 100),
            Case("PL84-2026-0046", "completed"));

        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        var byId = plan.Cases.ToDictionary(c => c.CaseId);

        var assessment = byId["PL84-2026-0042"];
        Assert.Equal(("needs-assessment", "needs-assessment"), (assessment.FromStep, assessment.ToStep));
        Assert.Equal(["current-situation", "target-situation"], assessment.CarriedFields);
        Assert.Equal(["barriers", "target-countries"], assessment.DroppedFields);
        Assert.Equal(ReminderDecision.Kept, assessment.Reminders);
        Assert.Equal(2, assessment.KeptReminders.Count);

        var intake = byId["PL84-2026-0043"];
        Assert.Equal(ReminderDecision.Kept, intake.Reminders);
        Assert.Equal(["company", "region"], intake.CarriedFields);

        var matching = byId["PL84-2026-0044"];
        Assert.Equal(ReminderDecision.Recreated, matching.Reminders);
        Assert.Single(matching.CancelledReminders);
        Assert.Equal([Now.AddDays(-2).AddDays(10), Now.AddDays(-2).AddDays(20)], matching.NewReminders.Select(n => n.At));

        var followUp = byId["PL84-2026-0045"];
        Assert.Equal(("follow-up-check-ins", "implementation-follow-up", true), (followUp.FromStep, followUp.ToStep, followUp.MappedExplicitly));
        Assert.Equal(["implementation-status"], followUp.CarriedFields);
        Assert.Equal(ReminderDecision.Recreated, followUp.Reminders);
        Assert.Equal(3, followUp.CancelledReminders.Count);
        Assert.Equal(3, followUp.NewReminders.Count(n => n.Kind == NoticeKind.CheckIn));
        Assert.All(followUp.NewReminders, n => Assert.True(n.At > Now));

        var closed = Assert.Single(plan.Skipped);
        Assert.Equal(("PL84-2026-0046", "completed"), (closed.CaseId, closed.State));
        Assert.Equal(
            "PL84-2026-0042: needs-assessment → needs-assessment; form data carried: current-situation, target-situation; dropped: barriers, target-countries; reminders kept (2)",
            assessment.Summary);
        Assert.Equal(
            "PL84-2026-0045: follow-up-check-ins → implementation-follow-up (mapped); form data carried: implementation-status; dropped: none; reminders recreated (3 cancelled, 4 new)",
            followUp.Summary);
    }

    [Fact]
    public void No_case_ever_goes_back_to_the_start()
    {
        var cases = TestFiles.V1.Steps.Select((s, i) => Case($"case-{i}", s.Key)).ToArray();

        var plan = Plan(RenameFollowUp, cases);

        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        Assert.All(plan.Cases.Where(c => c.FromStep != "intake"), c => Assert.NotEqual("intake", c.ToStep));
        Assert.Equal(cases.Length, plan.Cases.Count);
    }
}
