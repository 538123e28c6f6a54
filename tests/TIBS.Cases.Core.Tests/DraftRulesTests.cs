using TIBS.Cases.Core.Drafts;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Core.Tests;

/// <summary>What a draft keeps: the form's own inputs within their limits, required fields not asked for.</summary>
public sealed class DraftRulesTests
{
    private static PlanField Field(string key, string label, FieldType type, int? maxLength = null, params PlanField[] columns) =>
        new(key, label, type, Required: true, null, [], null, false, null, null, columns, maxLength);

    private static readonly PlanField[] Fields =
    [
        Field("contact-person", "Contact person", FieldType.Text, maxLength: 100),
        Field("consent-date", "Consent date", FieldType.Date),
        Field("joint-actions", "Joint actions", FieldType.Table, null, Field("action", "Action", FieldType.Text, maxLength: 50)),
    ];

    private static Dictionary<string, IReadOnlyList<string>> Posted(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => (IReadOnlyList<string>)[v.Value]);

    [Fact]
    public void A_half_filled_form_is_kept_as_typed_and_other_names_are_dropped()
    {
        var (values, errors) = DraftRules.Clean(Fields, Posted(("contact-person", "Ilze Kalniņa"), ("consent-date", "next week"), ("joint-actions[2].action", "Pilot kiln"), ("version", "7"), ("joint-actions[0].nope", "x")));

        Assert.Empty(errors);
        Assert.Equal(["consent-date", "contact-person", "joint-actions[2].action"], values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("next week", values["consent-date"][0]);
    }

    [Fact]
    public void Too_long_values_and_forbidden_characters_are_refused_by_field_label()
    {
        var (_, errors) = DraftRules.Clean(Fields, Posted(("contact-person", new string('a', 101)), ("joint-actions[0].action", "bad\u0001"), ("joint-actions[100].action", "row 101")));

        Assert.Contains(errors, e => e.Field == "contact-person" && e.Message.Contains("Contact person is too long: at most 100 characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "joint-actions[0].action" && e.Message.Contains("Joint actions, row 1, Action contains the control character U+0001", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "joint-actions[100].action" && e.Message.Contains("at most 100 rows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("step:first-contact", "first-contact", null, 0)]
    [InlineData("check-in:quarterly:3", "implementation-follow-up", "quarterly", 3)]
    public void A_form_key_names_its_form(string key, string step, string? checkIn, int occurrence)
    {
        var form = DraftForm.Parse(key, step);

        Assert.Equal(new DraftForm(step, checkIn, occurrence), form);
        Assert.Equal(key, form!.Key);
        Assert.Null(DraftForm.Parse("check-in:quarterly:0", step));
        Assert.Null(DraftForm.Parse("step:other", step));
    }
}
