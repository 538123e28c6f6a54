using System.Security.Cryptography;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Forms;
using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Runtime;
using TIBS.Cases.Workflows.Validation;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// Check-in windows (<c>opens</c>), <c>not-before</c> conditions, outcomes that need a reason, and the e-mail, phone
/// and URL field types — in the format, the validator, the form checks and the shipped v3.
/// </summary>
public sealed class TimeRulesAndContactFieldTests
{
    private static readonly DateTimeOffset Signed = new(2026, 3, 26, 10, 0, 0, TimeSpan.Zero);

    // The base mini workflow with check-ins on its second step, so that windows and not-before can be used there.
    private static string WithCheckIns(string checkInExtra = "", string secondConditions = "- min-agreed-partners: 1") =>
        ValidatorTests.Base
            .Replace("      - min-agreed-partners: 1", "      " + secondConditions, StringComparison.Ordinal)
        + $$"""

        check-ins:
          - key: quarterly
            name: Quarterly check-in
            step: second
            every: P3M
            for: P12M{{checkInExtra}}
            form:
              - { key: progress, label: Progress, type: textarea, required: true }
        """;

    private static PlanStep FirstContact => TestFiles.V3.GetStep("first-contact");

    private static FormValidationResult Validate(PlanStep step, params (string Key, string Value)[] values) =>
        FormValidator.Validate(step, FormInput.FromPairs(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))));

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;

    private static string? ErrorOf(FormValidationResult result, string field) => result.Errors.FirstOrDefault(e => e.Field == field)?.Message;

    [Theory]
    [InlineData("joint-smart-strategy/v1.yaml", "e758b426bac26d131696d848754a5679e53c3e949dced058b884a2f75c97fd09")]
    [InlineData("joint-smart-strategy/v2.yaml", "903fdfa5d01b20b9d7c8eb79af5f18352cb6f5db4340c19cb68eb58694beabf4")]
    [InlineData("joint-smart-strategy/v3.yaml", "448004acc196752931c26d93091648f8554932d0df78e027c4e1073eba68e4d4")]
    [InlineData("joint-smart-strategy/v4.yaml", "4ce061bbc30d25ce4e7b3a5459cdbadd2af8a8b7563aa83031c8d8efbb65738c")]
    public void Published_versions_stay_byte_identical(string file, string sha256)
    {
        // The SHA-256 of each file as it was published; fixes go into a new version (v3), never into these files.
        var bytes = File.ReadAllBytes(Path.Combine(TestFiles.WorkflowsFolder, file));

        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void V3_intake_asks_nothing_the_case_knows()
    {
        var intake = TestFiles.V3.GetStep("intake");

        Assert.DoesNotContain(intake.Fields, f => f.Key is "company" or "region" or "assigned-broker");
        Assert.DoesNotContain(intake.Fields, f => f.Type is FieldType.Company || f.Taxonomy == "region");
        Assert.Equal(["contact-data-consent", "consent-date", "source", "notes"], intake.Fields.Select(f => f.Key));
    }

    [Fact]
    public void V3_first_contact_has_typed_contact_fields_with_lengths()
    {
        Assert.Equal(
            [("contact-person", FieldType.Text, 200), ("contact-email", FieldType.Email, 320), ("contact-phone", FieldType.Phone, 50), ("company-website", FieldType.Url, 500)],
            FirstContact.Fields.Where(f => f.Key is "contact-person" or "contact-email" or "contact-phone" or "company-website")
                .Select(f => (f.Key, f.Type, FieldLimits.MaxLengthOf(f))));
    }

    [Fact]
    public void A_5000_character_contact_person_and_not_an_email_are_refused_in_words()
    {
        var result = Validate(FirstContact,
            ("contact-date", "2026-11-20"), ("channel", "visit"),
            ("contact-person", new string('a', 5000)),
            ("contact-email", "not an e-mail"),
            ("contact-phone", "call me maybe"),
            ("company-website", "www.example"));

        Assert.Equal("Contact person: at most 200 characters are allowed (this has 5,000).", ErrorOf(result, "contact-person"));
        Assert.Equal("E-mail of the contact person: enter an e-mail address such as name@example.org.", ErrorOf(result, "contact-email"));
        Assert.Equal("Phone of the contact person: enter a phone number of digits, spaces and + ( ) - . /, such as +371 2612 3456.", ErrorOf(result, "contact-phone"));
        Assert.Equal("Website of the company: enter the full address, starting with http:// or https://, such as https://example.com.", ErrorOf(result, "company-website"));
    }

    [Fact]
    public void A_too_long_email_is_reported_by_its_length_not_its_format()
    {
        var result = Validate(FirstContact, ("contact-email", new string('a', 330) + "@example.org"));

        Assert.Equal("E-mail of the contact person: at most 320 characters are allowed (this has 342).", ErrorOf(result, "contact-email"));
    }

    [Fact]
    public void Good_contact_values_are_accepted_as_entered()
    {
        var result = Validate(FirstContact,
            ("contact-date", "2026-11-20"), ("channel", "visit"), ("contact-person", "Ilze Bērziņa"),
            ("contact-email", " ilze@gaujas-koks.lv "), ("contact-phone", "+371 2612 3456"), ("company-website", "https://gaujas-koks.lv"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new TextValue("ilze@gaujas-koks.lv"), result.Values["contact-email"]);
        Assert.Equal(new TextValue("+371 2612 3456"), result.Values["contact-phone"]);
        Assert.Equal(new TextValue("https://gaujas-koks.lv"), result.Values["company-website"]);
    }

    [Theory]
    [InlineData("name@example.org", true)]
    [InlineData("not an e-mail", false)]
    [InlineData("Name <name@example.org>", false)]
    [InlineData("name@localhost", false)]
    public void Step_forms_and_company_profiles_share_one_email_rule(string value, bool valid)
    {
        var step = Validate(FirstContact, ("contact-email", value));

        Assert.Equal(valid, ContactFormats.IsEmail(value));
        Assert.Equal(valid, ErrorOf(step, "contact-email") is null);
    }

    [Fact]
    public void V3_check_ins_open_14_days_before_they_are_due()
    {
        var checkIn = Assert.Single(TestFiles.V3.CheckInsFor("implementation-follow-up"));
        var due = checkIn.Occurrences(Signed);

        Assert.Equal(new IsoDuration(0, TimeSpan.FromDays(14)), checkIn.Opens);
        Assert.Equal(new DateTimeOffset(2026, 6, 26, 10, 0, 0, TimeSpan.Zero), due[0]);
        Assert.Equal(new DateTimeOffset(2026, 6, 12, 10, 0, 0, TimeSpan.Zero), checkIn.OpensAt(Signed, 1));
        Assert.Equal(new DateTimeOffset(2027, 3, 12, 10, 0, 0, TimeSpan.Zero), checkIn.OpensAt(Signed, 4));
        Assert.Null(TestFiles.V2.CheckInsFor("implementation-follow-up")[0].Opens);
        Assert.Equal(Signed, TestFiles.V2.CheckInsFor("implementation-follow-up")[0].OpensAt(Signed, 4));
    }

    [Fact]
    public void V3_follow_up_finishes_not_before_the_last_check_in_is_due_and_ends_early_only_with_a_reason()
    {
        var step = TestFiles.V3.GetStep("implementation-follow-up");
        var finished = step.Outcome("follow-up-finished")!;
        var notBefore = Assert.Single(finished.Conditions, c => c.Name == "not-before");

        Assert.Equal(new DateTimeOffset(2027, 3, 26, 10, 0, 0, TimeSpan.Zero), TestFiles.V3.NotBefore(step.Key, notBefore, Signed));
        Assert.Equal("The step's last check-in is due", notBefore.Description);
        var early = step.Outcome("ended-early")!;
        Assert.Equal(("End the follow-up early", "final-evaluation", true), (early.Label, early.Target, early.RequiresReason));
        Assert.False(finished.RequiresReason);
    }

    [Fact]
    public async Task An_outcome_that_needs_a_reason_is_refused_without_one()
    {
        var runtime = new WorkflowRuntime(TestFiles.V3);
        var at = new CaseSnapshot("implementation-follow-up");

        var without = await runtime.CompleteStepAsync(at, "ended-early", new FakeEvaluator(), "  ");
        var with = await runtime.CompleteStepAsync(at, "ended-early", new FakeEvaluator(), "The partner company was sold.");
        var actions = await runtime.GetActionsAsync(at, new FakeEvaluator());

        Assert.Equal(TransitionStatus.ReasonRequired, without.Status);
        Assert.Equal("'End the follow-up early' needs a reason: say why.", without.Message);
        Assert.Equal(("final-evaluation", TransitionStatus.Done), (with.After.State, with.Status));
        Assert.True(actions.Single(a => a.Key == "ended-early").RequiresReason);
        Assert.False(actions.Single(a => a.Key == "follow-up-finished").RequiresReason);
    }

    [Fact]
    public void Windows_and_reasons_survive_export_and_reload()
    {
        var document = WorkflowDefinitions.Load(TestFiles.ReadWorkflow("joint-smart-strategy/v3.yaml")).Document!;

        var yaml = WorkflowDefinitions.ToYaml(document);
        var reloaded = WorkflowDefinitions.Compile(yaml);

        Assert.Contains("opens: P14D", yaml, StringComparison.Ordinal);
        Assert.Contains("requires-reason: true", yaml, StringComparison.Ordinal);
        Assert.Contains("type: email", yaml, StringComparison.Ordinal);
        Assert.Equal(TestFiles.V3.ContentHash, reloaded.ContentHash);
    }

    [Fact]
    public void A_window_and_a_not_before_that_are_well_formed_validate_clean() =>
        Assert.Empty(ValidatorTests.Errors(WithCheckIns("\n    opens: P14D", "- not-before: last-check-in")));

    [Theory]
    [InlineData("\n    opens: 14 days", "check-ins[0].opens", "'opens' of check-in 'quarterly'")]
    [InlineData("\n    opens: P4M", "check-ins[0].opens", "'opens' may be at most as long as 'every'")]
    public void A_bad_window_is_reported_with_its_path_and_line(string extra, string path, string fragment)
    {
        var yaml = WithCheckIns(extra);
        var errors = ValidatorTests.Errors(yaml);

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "opens:"), error.Position!.Value.Line);
    }

    [Theory]
    [InlineData("- not-before: next-week", "'next-week' is neither 'last-check-in' nor a duration")]
    [InlineData("- not-before", "not-before needs 'last-check-in' or a duration after the step starts")]
    public void A_bad_not_before_is_reported_with_its_path_and_line(string condition, string fragment)
    {
        var yaml = WithCheckIns(secondConditions: condition);
        var errors = ValidatorTests.Errors(yaml);

        var error = Assert.Single(errors);
        Assert.Equal("stages[0].steps[1].outcomes[0].conditions[0]", error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, condition), error.Position!.Value.Line);
    }

    [Fact]
    public void Not_before_the_last_check_in_needs_check_ins_in_the_step()
    {
        var errors = ValidatorTests.Errors(ValidatorTests.Base.Replace("      - min-agreed-partners: 1", "      - not-before: last-check-in", StringComparison.Ordinal));

        var error = Assert.Single(errors);
        Assert.Equal("stages[0].steps[1].outcomes[0].conditions[0]", error.Path);
        Assert.Equal("not-before: last-check-in needs check-ins bound to this step (check-ins[].step), but there are none.", error.Message);
    }

    [Fact]
    public void Not_before_a_duration_counts_from_the_start_of_the_step()
    {
        var plan = WorkflowDefinitions.Compile(WithCheckIns(secondConditions: "- not-before: P6M"));
        var condition = plan.GetStep("second").Outcomes[0].Conditions[0];

        Assert.Equal(Signed.AddMonths(6), plan.NotBefore("second", condition, Signed));
        Assert.Equal("The step started at least 6 months ago", condition.Description);
    }

    [Theory]
    [InlineData("email", "maxLength: 100", null)]
    [InlineData("url", "maxLength: 0", "'maxLength' must be a whole number from 1 to 100000, not 0")]
    [InlineData("phone", "options: [a, b]", "'options' only apply to choice and multi-choice fields")]
    [InlineData("mail", "required: true", "'mail' is not a field type (did you mean 'email'?)")]
    public void Contact_field_types_are_checked_like_other_fields(string type, string extra, string? fragment)
    {
        var yaml = ValidatorTests.Base.Replace(
            "          - key: note\n            label: Note\n            type: textarea",
            $"          - key: note\n            label: Note\n            type: textarea\n          - key: contact\n            label: Contact\n            type: {type}\n            {extra}",
            StringComparison.Ordinal);
        Assert.NotEqual(ValidatorTests.Base, yaml);

        var errors = ValidatorTests.Errors(yaml);

        if (fragment is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.StartsWith("stages[0].steps[1].form[1]", error.Path, StringComparison.Ordinal);
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Position);
        }
    }

    [Fact]
    public void The_schema_knows_the_new_format()
    {
        var schema = File.ReadAllText(Path.Combine(TestFiles.WorkflowsFolder, "workflow.schema.json"));

        foreach (var word in new[] { "\"opens\"", "\"not-before\"", "\"requires-reason\"", "\"email\"", "\"phone\"", "\"url\"" })
        {
            Assert.Contains(word, schema, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Running_v2_cases_move_to_v3_without_mappings()
    {
        var now = new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);
        RunningCase Case(string id, string step, string[] fields, DateTimeOffset started, int reminders) =>
            new(id, step, fields, [.. Enumerable.Range(1, reminders).Select(i => new PendingReminder($"{id}-r{i}", step, now.AddDays(i)))], started);

        var plan = MigrationPlanner.Plan(new MigrationRequest(TestFiles.V2, TestFiles.V3, new Dictionary<string, string>(),
        [
            Case("LV008-2026-0001", "intake", ["company", "region", "contact-data-consent", "assigned-broker"], now.AddDays(-1), 1),
            Case("LV008-2026-0002", "first-contact", ["contact-person", "contact-email"], now.AddDays(-2), 0),
            Case("LV008-2026-0003", "implementation-follow-up", ["implementation-status"], Signed, 3),
        ], now));

        Assert.True(plan.IsValid, string.Join("; ", plan.Errors));
        var byId = plan.Cases.ToDictionary(c => c.CaseId);
        Assert.Equal(["contact-data-consent"], byId["LV008-2026-0001"].CarriedFields);
        Assert.Equal(["assigned-broker", "company", "region"], byId["LV008-2026-0001"].DroppedFields.Order(StringComparer.Ordinal));
        Assert.Equal(["contact-person", "contact-email"], byId["LV008-2026-0002"].CarriedFields);
        var followUp = byId["LV008-2026-0003"];
        Assert.Equal(("implementation-follow-up", ReminderDecision.Recreated), (followUp.ToStep, followUp.Reminders));
        Assert.Equal(3, followUp.NewReminders.Count(n => n.Kind == NoticeKind.CheckIn));
        Assert.All(TestFiles.V2.Steps, s => Assert.True(TestFiles.V3.Contains(s.Key), $"{s.Key} is missing from v3"));
    }
}
