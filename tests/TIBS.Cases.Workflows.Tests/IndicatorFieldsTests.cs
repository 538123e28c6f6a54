using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// Version 4 asks what the programme's result indicator RCR104 needs (solutions taken up or up-scaled), keeps every
/// field the other indicators read, and running version 3 cases move to it without mappings, their form data carried.
/// </summary>
public sealed class IndicatorFieldsTests
{
    [Fact]
    public void V4_final_evaluation_asks_for_solutions_taken_up_and_keeps_every_indicator_field()
    {
        var evaluation = TestFiles.V4.GetStep("final-evaluation");
        var takenUp = evaluation.Field("solutions-taken-up")!;

        Assert.Null(TestFiles.V3.GetStep("final-evaluation").Field("solutions-taken-up"));
        Assert.Equal((Definitions.FieldType.Number, 0m, false), (takenUp.Type, takenUp.Min, takenUp.Required));
        foreach (var (step, field) in new[] { ("final-evaluation", "innovation-introduced"), ("final-evaluation", "jointly-developed-solutions"), ("final-evaluation", "cooperation-continues"), ("joint-strategy", "agreement-type"), ("needs-assessment", "s3-areas") })
        {
            Assert.NotNull(TestFiles.V4.GetStep(step).Field(field));
        }

        Assert.Equal(TestFiles.V3.Steps.Select(s => s.Key), TestFiles.V4.Steps.Select(s => s.Key));
        Assert.Contains(TestFiles.V4.GetStep("eligibility").Outcomes, o => o.Key == "eligible");
        Assert.Contains(TestFiles.V4.GetStep("signed-agreement").Outcomes, o => o.Key == "signed");
        Assert.Contains(TestFiles.V4.GetStep("final-evaluation").Outcomes, o => o.Key == "closed");
    }

    [Fact]
    public void Running_v3_cases_move_to_v4_without_mappings_and_keep_their_form_data()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        RunningCase Case(string id, string step, string[] fields) => new(id, step, fields, [new PendingReminder($"{id}-r1", step, now.AddDays(3))], now.AddDays(-2));

        var plan = MigrationPlanner.Plan(new MigrationRequest(TestFiles.V3, TestFiles.V4, new Dictionary<string, string>(),
        [
            Case("LV008-2026-0001", "intake", ["contact-data-consent"]),
            Case("LV008-2026-0002", "final-evaluation", ["results", "jointly-developed-solutions", "cooperation-continues"]),
        ], now));

        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        Assert.All(plan.Cases, c => Assert.Equal((c.FromStep, 0), (c.ToStep, c.DroppedFields.Count)));
        Assert.Equal(["results", "jointly-developed-solutions", "cooperation-continues"], plan.Cases.Single(c => c.CaseId == "LV008-2026-0002").CarriedFields);
    }
}
