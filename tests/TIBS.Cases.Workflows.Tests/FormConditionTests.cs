using TIBS.Cases.Workflows.Conditions;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Workflows.Tests;

public sealed class FormConditionTests
{
    private static ConditionResult? Evaluate(string stepKey, string outcomeKey, string conditionName, params (string Key, string Value)[] posted)
    {
        var step = TestFiles.V1.GetStep(stepKey);
        var values = FormValidator.Validate(step, FormInput.FromPairs(posted.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))).Values;
        var condition = step.Outcome(outcomeKey)!.Conditions.Single(c => c.Name == conditionName);
        return FormConditions.Evaluate(step, condition, values);
    }

    [Fact]
    public void Form_complete_lists_what_is_still_missing()
    {
        var result = Evaluate("signed-agreement", "signed", "form-complete", ("signature-date", "2026-05-04"));

        Assert.Equal(ConditionResult.NotMet("Still to fill in: Signed agreement, Signatories."), result);
    }

    [Fact]
    public void Field_equals_says_what_the_field_is_and_what_it_should_be()
    {
        Assert.Equal(ConditionResult.NotMet("'Eligible for TIBS brokerage' is 'no', not 'yes'."), Evaluate("eligibility", "eligible", "field-equals", ("eligible", "no")));
        Assert.Equal(ConditionResult.Satisfied, Evaluate("eligibility", "eligible", "field-equals", ("eligible", "yes")));
        Assert.Equal(
            ConditionResult.NotMet("'Decision' is 'Validated', not 'Changes requested'."),
            Evaluate("profile-validation", "changes-requested", "field-equals", ("decision", "validated")));
        Assert.Equal(
            ConditionResult.NotMet("'Decision' is not filled in yet (it must be 'Validated')."),
            Evaluate("profile-validation", "validated", "field-equals"));
    }

    [Fact]
    public void Attachment_and_field_filled_need_a_value()
    {
        Assert.Equal(ConditionResult.NotMet("No file is attached in 'Signed agreement' yet."), Evaluate("signed-agreement", "signed", "attachment"));
        Assert.Equal(ConditionResult.Satisfied, Evaluate("signed-agreement", "signed", "attachment", ("signed-agreement", "file-1")));
        Assert.Equal(ConditionResult.NotMet("'Requested changes' is not filled in yet."), Evaluate("profile-validation", "changes-requested", "field-filled"));
    }

    [Fact]
    public void Conditions_on_case_data_are_left_to_core()
    {
        Assert.Null(Evaluate("joint-strategy", "drafted", "min-agreed-partners"));
        Assert.Null(Evaluate("follow-up-check-ins", "follow-up-finished", "check-ins-complete"));
    }
}
