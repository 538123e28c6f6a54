using System.Text.Json;
using TIBS.Cases.Workflows.Calendars;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Migration;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>
/// Business days on each country's working calendar, <c>P&lt;n&gt;BD</c> durations, and timers in the definition
/// format: loading, writing back, the schema, the validator's problems (with path and line), the schedule and migration.
/// </summary>
public sealed class TimerAndCalendarTests
{
    private const string Escalation = "        escalation: { after: P10D, to: coordinator }\n";

    // The validator's mini workflow with timers on its first step (and a resume action, so a hold can end).
    private static string WithTimers(string timers, string actions = "") =>
        ValidatorTests.Base.Replace(Escalation, Escalation + "        timers:\n" + timers, StringComparison.Ordinal) + actions;

    private const string Resume = """

          - key: hold
            label: Put on hold
            kind: hold
            roles: [broker]
          - key: resume
            label: Resume
            kind: resume
            roles: [broker]
        """;

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;

    // ---- calendars ----

    [Fact]
    public void A_deadline_set_in_Riga_before_Janu_skips_the_23rd_and_24th_of_June()
    {
        var riga = WorkingCalendars.ForRegion("LV008");
        var friday = new DateTimeOffset(2026, 6, 19, 16, 0, 0, TimeSpan.FromHours(3));

        var due = IsoDuration.Parse("P2BD").AddTo(friday, riga);

        // Monday the 22nd is day 1; Līgo (Tuesday) and Jāņi (Wednesday) are holidays; Thursday is day 2.
        Assert.Equal(new DateTimeOffset(2026, 6, 25, 16, 0, 0, TimeSpan.FromHours(3)), due);
        Assert.Equal("Latvia", riga.Name);
    }

    [Theory]
    [InlineData("PL84", "2026-11-10", "2026-11-12", "2026-11-11")] // Independence Day
    [InlineData("LV008", "2026-05-01", "2026-05-05", "2026-05-04")] // Restoration of Independence (Friday 1 May is Labour Day too)
    [InlineData("EE008", "2026-06-22", "2026-06-25", "2026-06-23")] // Victory Day and Midsummer Day
    [InlineData("LT01", "2026-07-03", "2026-07-07", "2026-07-06")] // Statehood Day
    [InlineData("DE60", "2025-10-30", "2025-11-03", "2025-10-31")] // Hamburg's Reformation Day
    [InlineData("FI1C4", "2026-06-18", "2026-06-22", "2026-06-19")] // Midsummer Eve
    [InlineData("DK03", "2026-05-13", "2026-05-15", "2026-05-14")] // Ascension Day
    [InlineData("SE23", "2025-06-05", "2025-06-09", "2025-06-06")] // National Day
    public void One_business_day_skips_each_countrys_key_holiday(string region, string from, string expected, string holiday)
    {
        var calendar = WorkingCalendars.ForRegion(region);

        Assert.True(calendar.IsHoliday(DateOnly.Parse(holiday, System.Globalization.CultureInfo.InvariantCulture)), $"{holiday} in {calendar.Name}");
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            calendar.AddBusinessDays(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), 1));
    }

    [Fact]
    public void Every_country_of_the_programme_has_a_calendar_with_its_christmas_and_new_year()
    {
        foreach (var country in WorkingCalendars.Countries)
        {
            var calendar = WorkingCalendars.ForCountry(country);
            Assert.Equal(country, calendar.CountryCode);
            Assert.True(calendar.IsHoliday(new DateOnly(2026, 1, 1)), $"New Year in {calendar.Name}");
            Assert.True(calendar.IsHoliday(new DateOnly(2026, 12, 25)), $"Christmas in {calendar.Name}");
            Assert.False(calendar.IsHoliday(new DateOnly(2026, 3, 4)), $"an ordinary Wednesday in {calendar.Name}");
        }

        Assert.Equal("Germany (Hamburg)", WorkingCalendars.ForRegion("DE60").Name);
        Assert.Same(WorkingCalendar.WeekdaysOnly, WorkingCalendars.ForRegion("XX1"));
    }

    [Fact]
    public void Business_days_from_a_weekend_start_on_the_monday()
    {
        var saturday = new DateOnly(2026, 3, 7);

        Assert.Equal(new DateOnly(2026, 3, 9), WorkingCalendar.WeekdaysOnly.AddBusinessDays(saturday, 1));
        Assert.Equal(new DateOnly(2026, 3, 13), WorkingCalendar.WeekdaysOnly.AddBusinessDays(saturday, 5));
    }

    // ---- durations ----

    [Fact]
    public void Business_day_durations_read_write_and_say_themselves_in_words()
    {
        var twenty = IsoDuration.Parse("P20BD");

        Assert.Equal(20, twenty.BusinessDays);
        Assert.Equal("P20BD", twenty.ToString());
        Assert.Equal("20 business days", twenty.ToWords());
        Assert.Equal("1 business day", IsoDuration.Parse("P1BD").ToWords());
        Assert.NotEqual(IsoDuration.FromDays(20), twenty);
        Assert.True(IsoDuration.Parse("P0BD").IsZero);
    }

    [Theory]
    [InlineData("p5bd", "must be written in capitals: P5BD")]
    [InlineData("P99999BD", "more business days than")]
    [InlineData("P5DB", "is not an ISO-8601 duration")]
    [InlineData("P1M5BD", "is not an ISO-8601 duration")]
    public void Malformed_business_day_durations_are_explained(string text, string fragment)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_business_day_due_is_reported_with_path_and_line()
    {
        var yaml = ValidatorTests.Base.Replace("due: P5D", "due: P5BDX", StringComparison.Ordinal);

        var error = Assert.Single(ValidatorTests.Errors(yaml));

        Assert.Equal("stages[0].steps[0].due", error.Path);
        Assert.Contains("P20BD = 20 business days", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, "P5BDX"), error.Position?.Line);
    }

    [Fact]
    public void Business_days_are_accepted_for_due_reminders_and_escalation_but_not_for_check_ins()
    {
        var yaml = ValidatorTests.Base
            .Replace("due: P5D", "due: P5BD", StringComparison.Ordinal)
            .Replace("reminders: [P3D]", "reminders: [P3BD]", StringComparison.Ordinal)
            .Replace("after: P10D", "after: P10BD", StringComparison.Ordinal);
        Assert.Empty(ValidatorTests.Errors(yaml));

        var checkIns = yaml + """

            check-ins:
              - key: monthly
                name: Monthly check-in
                step: second
                every: P20BD
                for: P12M
                form:
                  - { key: progress, label: Progress, type: textarea }
            """;
        var error = Assert.Single(ValidatorTests.Errors(checkIns));
        Assert.Equal("check-ins[0].every", error.Path);
        Assert.Contains("use calendar days", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(checkIns, "every: P20BD"), error.Position?.Line);
    }

    // ---- timers in the format ----

    [Fact]
    public void Timers_load_compile_and_write_back_the_same()
    {
        var yaml = WithTimers("""
                      - { after: P2D, action: remind, to: coordinator }
                      - { after: P12D, action: escalate, to: coordinator }
                      - { after: P15BD, action: reassign, to: coordinator }
                      - { after: P30BD, action: hold, reason: Waiting for the company }

            """, Resume);
        var check = WorkflowDefinitions.Check(yaml);
        Assert.True(check.IsValid, string.Join("; ", check.Errors));

        var step = WorkflowDefinitions.Compile(yaml).GetStep("first");
        Assert.Equal([TimerAction.Remind, TimerAction.Escalate, TimerAction.Reassign, TimerAction.Hold], step.Timers.Select(t => t.Action));
        Assert.Equal(["timer-1", "timer-2", "timer-3", "timer-4"], step.Timers.Select(t => t.Key));
        Assert.Equal(15, step.Timers[2].After.BusinessDays);
        Assert.Equal("Waiting for the company", step.Timers[3].Reason);

        var written = WorkflowDefinitions.ToYaml(check.Document!);
        var reloaded = WorkflowDefinitions.Check(written);
        Assert.True(reloaded.IsValid, string.Join("; ", reloaded.Errors));
        Assert.Equal(check.Document!.Stages[0].Steps[0].Timers, reloaded.Document!.Stages[0].Steps[0].Timers);
        Assert.Equal(WorkflowDefinitions.ContentHash(check.Document), WorkflowDefinitions.ContentHash(reloaded.Document));
        Assert.True(written.Contains("{after: P15BD, action: reassign, to: coordinator}", StringComparison.Ordinal), written);
    }

    [Fact]
    public void An_outcome_timer_is_scheduled_on_the_regions_calendar_with_its_words()
    {
        var plan = WorkflowDefinitions.Compile(WithTimers("          - { after: P2BD, action: outcome, outcome: stop }\n"));
        var friday = new DateTimeOffset(2026, 6, 19, 13, 0, 0, TimeSpan.Zero);

        var inRiga = plan.ScheduleFor("first", friday, WorkingCalendars.ForRegion("LV008")).Single(n => n.Kind == NoticeKind.Timer);
        var inHamburg = plan.ScheduleFor("first", friday, WorkingCalendars.ForRegion("DE60")).Single(n => n.Kind == NoticeKind.Timer);

        Assert.Equal("timer-1", inRiga.Key);
        Assert.Equal(new DateTimeOffset(2026, 6, 25, 13, 0, 0, TimeSpan.Zero), inRiga.At); // Līgo and Jāņi skipped
        Assert.Equal(new DateTimeOffset(2026, 6, 23, 13, 0, 0, TimeSpan.Zero), inHamburg.At);
        Assert.Equal("After 2 business days at 'First': take the outcome 'Stop'", inRiga.Description);
    }

    [Fact]
    public void Definitions_without_timers_keep_their_schedule_and_signature()
    {
        var start = new DateTimeOffset(2026, 6, 19, 13, 0, 0, TimeSpan.Zero);
        foreach (var step in TestFiles.V4.Steps)
        {
            Assert.Empty(step.Timers);
            Assert.Equal(TestFiles.V4.ScheduleFor(step.Key, start), TestFiles.V4.ScheduleFor(step.Key, start, WorkingCalendars.ForRegion("LV008")));
            Assert.DoesNotContain("timer", TestFiles.V4.ScheduleSignature(step.Key), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string, string> TimerProblems => new()
    {
        { "          - { after: P3D, action: explode }\n", "stages[0].steps[0].timers[0].action", "'explode' is not a timer action", "action: explode" },
        { "          - { after: P3Q, action: remind }\n", "stages[0].steps[0].timers[0].after", "is not an ISO-8601 duration", "after: P3Q" },
        { "          - { after: P3D, action: outcome, outcome: go-on }\n", "stages[0].steps[0].timers[0].outcome", "which step 'first' does not have", "outcome: go-on" },
        { "          - { after: P3D, action: outcome }\n", "stages[0].steps[0].timers[0].outcome", "does not say which; add 'outcome:' with one of: go, stop", "action: outcome }" },
        { "          - { after: P3D, action: reassign }\n", "stages[0].steps[0].timers[0].to", "has no role", "action: reassign" },
        { "          - { after: P5D, action: escalate, to: boss }\n", "stages[0].steps[0].timers[0].to", "'boss' is not a role", "to: boss" },
        { "          - { after: P3D, action: remind, outcome: stop }\n", "stages[0].steps[0].timers[0].outcome", "which takes no outcome", "action: remind, outcome" },
        { "          - { after: P3D, action: hold, reason: Waiting }\n", "stages[0].steps[0].timers[0].action", "no 'resume' case action", "action: hold" },
        { "          - { after: P12D, action: remind }\n", "stages[0].steps[0].timers[0].after", "not before the step's escalation after 10 days", "after: P12D" },
    };

    [Theory]
    [MemberData(nameof(TimerProblems))]
    public void Timer_problems_are_reported_with_path_and_line(string timers, string path, string fragment, string lineText)
    {
        var yaml = WithTimers(timers);
        var errors = ValidatorTests.Errors(yaml);
        var error = Assert.Single(errors, e => e.Path == path);
        Assert.True(errors.Count == 1, string.Join("; ", errors));

        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(yaml, lineText), error.Position?.Line);
    }

    [Fact]
    public void A_timer_after_an_outcome_timer_could_never_fire()
    {
        var yaml = WithTimers("""
                      - { after: P5D, action: outcome, outcome: stop }
                      - { after: P8D, action: reassign, to: coordinator }

            """);

        var error = Assert.Single(ValidatorTests.Errors(yaml));

        Assert.Equal("stages[0].steps[0].timers[1].after", error.Path);
        Assert.Contains("timer 1 takes an outcome after 5 days and leaves the step first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reminder_before_an_escalate_timer_is_in_order()
    {
        Assert.Empty(ValidatorTests.Errors(WithTimers("          - { after: P5D, action: escalate }\n")));
    }

    [Fact]
    public void A_reminder_after_an_escalate_timer_is_out_of_order()
    {
        var yaml = WithTimers("          - { after: P2D, action: escalate }\n");

        var error = Assert.Single(ValidatorTests.Errors(yaml));

        Assert.Equal("stages[0].steps[0].reminders[0].after", error.Path);
        Assert.Contains("not before timer 1 (escalate after 2 days)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outcome_timer_into_its_own_step_or_needing_a_reason_is_refused()
    {
        var loop = ValidatorTests.Base.Replace("            to: stopped\n            conditions:", "            to: first\n            conditions:", StringComparison.Ordinal);
        var yaml = loop.Replace(Escalation, Escalation + "        timers:\n          - { after: P3D, action: outcome, outcome: stop }\n", StringComparison.Ordinal);
        Assert.Contains(ValidatorTests.Errors(yaml), e => e.Path == "stages[0].steps[0].timers[0].outcome" && e.Message.Contains("leads back to 'first' itself", StringComparison.Ordinal));

        var reasoned = WithTimers("          - { after: P3D, action: outcome, outcome: stop }\n")
            .Replace("            label: Stop\n", "            label: Stop\n            requires-reason: true\n", StringComparison.Ordinal);
        var error = Assert.Single(ValidatorTests.Errors(reasoned));
        Assert.Equal("stages[0].steps[0].timers[0].reason", error.Path);
    }

    [Fact]
    public void The_schema_lists_the_timer_actions_and_business_days()
    {
        var defs = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestFiles.WorkflowsFolder, "workflow.schema.json"))).RootElement.GetProperty("$defs");
        var actions = defs.GetProperty("timer").GetProperty("properties").GetProperty("action").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!);

        Assert.Equal(TimerActions.Names.Order(), actions.Order());
        Assert.Matches(defs.GetProperty("duration").GetProperty("pattern").GetString()!, "P20BD");
        Assert.Equal("#/$defs/timer", defs.GetProperty("step").GetProperty("properties").GetProperty("timers").GetProperty("items").GetProperty("$ref").GetString());
    }

    [Fact]
    public void A_migration_plan_says_that_pending_timers_are_re_planned_from_the_new_version()
    {
        var from = WorkflowDefinitions.Compile(WithTimers("          - { after: P20BD, action: outcome, outcome: stop }\n"));
        var to = WorkflowDefinitions.Compile(WithTimers("          - { after: P15BD, action: reassign, to: coordinator }\n").Replace("version: 1", "version: 2", StringComparison.Ordinal));
        var started = new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);
        var running = new RunningCase("LV008-2026-0001", "first", [], [new PendingReminder("r1", "first", started.AddDays(28), "timer-1")], started) { RegionCode = "LV008" };

        var plan = MigrationPlanner.Plan(new MigrationRequest(from, to, new Dictionary<string, string>(), [running], started.AddDays(1)));

        var migration = Assert.Single(plan.Cases);
        Assert.Equal(ReminderDecision.Recreated, migration.Reminders);
        var timer = Assert.Single(migration.NewReminders, n => n.Kind == NoticeKind.Timer);
        Assert.Equal(new DateTimeOffset(2026, 7, 8, 9, 0, 0, TimeSpan.Zero), timer.At); // 15 business days in Latvia, Līgo and Jāņi skipped
        Assert.Contains("pending timers re-planned from the new version (1 scheduled)", migration.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_reports_an_unknown_timer_key_with_its_line()
    {
        var yaml = WithTimers("          - { after: P3D, action: remind, when: later }\n");

        var result = WorkflowYamlLoader.Load(yaml);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Path.StartsWith("stages[0].steps[0].timers[0]", StringComparison.Ordinal) && e.Line == LineOf(yaml, "when: later"));
    }
}
