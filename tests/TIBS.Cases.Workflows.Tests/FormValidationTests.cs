using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Tests;

public sealed class FormValidationTests
{
    private static readonly PlanStep Intake = TestFiles.V1.GetStep("intake");
    private static readonly PlanStep Signed = TestFiles.V1.GetStep("signed-agreement");
    private static readonly PlanStep Strategy = TestFiles.V1.GetStep("joint-strategy");
    private static readonly PlanStep Assessment = TestFiles.V1.GetStep("needs-assessment");
    private static readonly PlanStep Matching = TestFiles.V1.GetStep("matching");

    private static FormValidationResult Validate(PlanStep step, params (string Key, string Value)[] values) =>
        FormValidator.Validate(step, FormInput.FromPairs(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))));

    private static string ErrorOf(FormValidationResult result, string field) =>
        Assert.Single(result.Errors, e => e.Field == field).Message;

    [Fact]
    public void A_date_that_does_not_exist_is_explained()
    {
        var result = Validate(Signed, ("signature-date", "31.02.2026"));

        Assert.Equal("Signature date: 31.02.2026 is not a date (use YYYY-MM-DD).", ErrorOf(result, "signature-date"));
        Assert.Equal("Signature date: 2026-02-31 is not a date (use YYYY-MM-DD).", ErrorOf(Validate(Signed, ("signature-date", "2026-02-31")), "signature-date"));
        Assert.Equal(new DateValue(new DateOnly(2026, 2, 28)), Validate(Signed, ("signature-date", "2026-02-28")).Values["signature-date"]);
    }

    [Fact]
    public void Required_fields_get_one_error_each_and_optional_ones_none()
    {
        var result = Validate(Signed);

        Assert.Equal(
            [("signature-date", "Signature date is required."), ("signed-agreement", "Signed agreement is required."), ("signatories", "Signatories is required.")],
            result.Errors.Select(e => (e.Field, e.Message)));
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("No", false)]
    [InlineData("true", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    public void Yes_no_answers_are_normalized(string posted, bool expected)
    {
        var result = Validate(Intake, ("contact-data-consent", posted));

        Assert.Equal(new BooleanValue(expected), result.Values["contact-data-consent"]);
        Assert.Equal(expected ? "yes" : "no", result.Values["contact-data-consent"].ToText());
    }

    [Fact]
    public void A_yes_no_answer_that_is_neither_is_explained()
    {
        Assert.Equal("Consent to process contact data: maybe is not yes or no.", ErrorOf(Validate(Intake, ("contact-data-consent", "maybe")), "contact-data-consent"));
    }

    [Fact]
    public void Text_is_trimmed_and_blank_text_counts_as_missing()
    {
        var result = Validate(Intake, ("assigned-broker", "  Anna Kowalska "), ("notes", "line 1\r\nline 2\r\n"));
        var blank = Validate(Intake, ("assigned-broker", "   "));

        Assert.Equal(new TextValue("Anna Kowalska"), result.Values["assigned-broker"]);
        Assert.Equal(new TextValue("line 1\nline 2"), result.Values["notes"]);
        Assert.Equal("Assigned broker is required.", ErrorOf(blank, "assigned-broker"));
    }

    [Fact]
    public void A_single_value_field_refuses_several_values()
    {
        var result = Validate(Intake, ("assigned-broker", "Anna"), ("assigned-broker", "Jonas"));

        Assert.Equal("Assigned broker: only one value is allowed, but 2 were given.", ErrorOf(result, "assigned-broker"));
    }

    [Fact]
    public void Choices_accept_option_values_or_labels_and_refuse_others()
    {
        var byValue = Validate(Intake, ("source", "een"));
        var byLabel = Validate(Intake, ("source", "broker outreach"));
        var wrong = Validate(Intake, ("source", "newspaper"));

        Assert.Equal(new ChoiceValue("een"), byValue.Values["source"]);
        Assert.Equal(new ChoiceValue("broker-outreach"), byLabel.Values["source"]);
        Assert.StartsWith("How the company came to us: newspaper is not one of the options (The company contacted us, Broker outreach", ErrorOf(wrong, "source"), StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_choices_take_repeated_or_comma_separated_values_in_option_order()
    {
        var repeated = Validate(Assessment, ("barriers", "finance"), ("barriers", "finding-partners"), ("barriers", "finance"));
        var commas = Validate(Assessment, ("barriers", "regulation, finance"));
        var wrong = Validate(Assessment, ("barriers", "finance, weather"));

        Assert.Equal(["finding-partners", "finance"], ((MultiChoiceValue)repeated.Values["barriers"]).Values);
        Assert.Equal(["regulation", "finance"], ((MultiChoiceValue)commas.Values["barriers"]).Values);
        Assert.StartsWith("Barriers to international cooperation: weather is not one of the options", ErrorOf(wrong, "barriers"), StringComparison.Ordinal);
        Assert.True(commas.Values["barriers"].IsEqualTo("finance"));
    }

    [Fact]
    public void Taxonomy_codes_are_checked_by_the_lookup_and_single_ones_stay_single()
    {
        var lookup = new Countries("PL", "DE", "FI");
        var good = FormValidator.Validate(Assessment, FormInput.FromPairs([new("target-countries", "DE,FI")]), lookup);
        var unknown = FormValidator.Validate(Assessment, FormInput.FromPairs([new("target-countries", "DE,XX")]), lookup);
        var tooMany = Validate(Intake, ("region", "PL84"), ("region", "LV008"));

        Assert.Equal(new[] { "DE", "FI" }, ((TaxonomyValue)good.Values["target-countries"]).Codes);
        Assert.Equal("country", ((TaxonomyValue)good.Values["target-countries"]).Taxonomy);
        Assert.Equal("Target countries: XX is not a known country code.", ErrorOf(unknown, "target-countries"));
        Assert.Equal("Region of the lead company: only one value is allowed, but 2 were given.", ErrorOf(tooMany, "region"));
    }

    [Fact]
    public void Company_and_file_references_are_kept_as_ids()
    {
        var result = Validate(Signed, ("signatories", "c-1"), ("signatories", "c-2"), ("signed-agreement", "file-9"), ("signature-date", "2026-05-04"));

        Assert.True(result.IsValid);
        Assert.Equal(["c-1", "c-2"], ((CompanyValue)result.Values["signatories"]).CompanyIds);
        Assert.Equal([new FileReference("file-9")], ((FileValue)result.Values["signed-agreement"]).Files);
        Assert.Equal("Lead company: only one company may be chosen.", ErrorOf(Validate(Intake, ("company", "a, b")), "company"));
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("1 234,5", 1234.5)]
    [InlineData("1,234.5", 1234.5)]
    [InlineData("1.234,5", 1234.5)]
    [InlineData("-3.25", -3.25)]
    public void Numbers_accept_common_european_and_english_formats(string posted, double expected)
    {
        var table = FormValidator.Validate(Strategy, FormInput.FromPairs([new("indicators[0].indicator", "Turnover"), new("indicators[0].target", posted)]));

        var row = Assert.Single(((TableValue)table.Values["indicators"]).Rows);
        Assert.Equal(new NumberValue((decimal)expected), row["target"]);
    }

    [Fact]
    public void Numbers_out_of_range_or_not_numbers_are_explained()
    {
        var final = TestFiles.V1.GetStep("final-evaluation");

        Assert.Equal("Jointly developed solutions: must be at least 0 (was -1).", ErrorOf(Validate(final, ("jointly-developed-solutions", "-1")), "jointly-developed-solutions"));
        Assert.Equal("Jointly developed solutions: two is not a number.", ErrorOf(Validate(final, ("jointly-developed-solutions", "two")), "jointly-developed-solutions"));
    }

    [Fact]
    public void Table_rows_are_validated_cell_by_cell_and_blank_rows_are_skipped()
    {
        var result = FormValidator.Validate(Strategy, FormInput.FromPairs(
        [
            new("joint-actions[0].action", "Joint trade fair in Hamburg"),
            new("joint-actions[0].owner", "company-1"),
            new("joint-actions[0].due-date", "2026-09-01"),
            new("joint-actions[1].action", ""),
            new("joint-actions[1].owner", ""),
            new("joint-actions[2].action", "Pilot installation"),
            new("joint-actions[2].due-date", "2026-13-01"),
        ]));

        Assert.Equal(
            [("joint-actions[1].owner", "Joint actions, row 2, Owner is required."),
             ("joint-actions[1].due-date", "Joint actions, row 2, Due date: 2026-13-01 is not a date (use YYYY-MM-DD).")],
            result.Errors.Where(e => e.Field.StartsWith("joint-actions", StringComparison.Ordinal)).Select(e => (e.Field, e.Message)));
        Assert.Equal("Indicators: add at least one row.", ErrorOf(result, "indicators"));
        Assert.Equal(2, ((TableValue)result.Values["joint-actions"]).Rows.Count);
    }

    [Fact]
    public void Structured_values_are_checked_against_the_field_type_and_options()
    {
        var input = FormInput.Empty
            .With("signature-date", new DateValue(new DateOnly(2026, 6, 1)))
            .With("signed-agreement", new FileValue([new FileReference("f-1", "agreement.pdf")]))
            .With("signatories", new TextValue("not a company"));

        var result = FormValidator.Validate(Signed, input);

        Assert.Equal("Signatories: expected a company value.", ErrorOf(result, "signatories"));
        Assert.Equal("agreement.pdf", ((FileValue)result.Values["signed-agreement"]).Files[0].Name);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Structured_tables_are_validated_per_cell()
    {
        var shortlist = new TableValue(
        [
            new Dictionary<string, FieldValue> { ["candidate"] = new CompanyValue(["c-7"]), ["country"] = new TaxonomyValue("country", ["DE"]), ["score"] = new NumberValue(140) },
        ]);

        var result = FormValidator.Validate(Matching, FormInput.Empty.With("shortlist", shortlist).With("search-channels", new MultiChoiceValue(["tibs-regions"])));

        Assert.Equal(("shortlist[0].score", "Shortlisted candidates, row 1, Match score: must be at most 100 (was 140)."), (result.Errors.Single().Field, result.Errors.Single().Message));
    }

    [Fact]
    public void Form_complete_means_every_required_field_has_a_value()
    {
        var partial = Validate(Intake, ("company", "c-1"));
        var complete = Validate(Intake, ("company", "c-1"), ("region", "PL84"), ("contact-data-consent", "yes"), ("consent-date", "2026-01-05"), ("assigned-broker", "Anna"));

        Assert.False(FormValidator.IsComplete(Intake.Fields, partial.Values));
        Assert.True(complete.IsValid);
        Assert.True(FormValidator.IsComplete(Intake.Fields, complete.Values));
        Assert.DoesNotContain("notes", complete.Values.Keys);
    }

    [Fact]
    public void Check_in_forms_are_validated_like_step_forms()
    {
        var checkIn = TestFiles.V1.CheckIns.Single();

        var result = FormValidator.Validate(checkIn, FormInput.FromPairs(
        [
            new("joint-action-progress[0].action", "Trade fair"),
            new("joint-action-progress[0].progress", "done"),
            new("rating", "valuable-contact"),
            new("jobs-created", "2"),
        ]));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new ChoiceValue("valuable-contact"), result.Values["rating"]);
    }

    private sealed class Countries(params string[] codes) : ITaxonomyLookup
    {
        public bool IsKnown(string taxonomy, string code) => taxonomy == "country" && codes.Contains(code);
    }
}
