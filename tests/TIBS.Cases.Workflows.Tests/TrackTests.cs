using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Expressions;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Parallel partner tracks in the definition format: loading, writing back, the typed plan and the validator.</summary>
public sealed class TrackTests
{
    private static WorkflowPlan Plan() => WorkflowDefinitions.Compile(TrackDefinition.Yaml());

    private static IReadOnlyList<Validation.ValidationError> Problems(string yaml)
    {
        var check = WorkflowDefinitions.Check(yaml);
        Assert.True(check.Document is not null, Describe(check.Errors));
        return check.Errors;
    }

    private static string Describe(IEnumerable<Validation.ValidationError> errors) => string.Join(Environment.NewLine, errors);

    [Fact]
    public void A_step_with_tracks_compiles_into_typed_states_ends_and_join_rules()
    {
        var tracks = Plan().GetStep("expressions").Tracks;

        Assert.NotNull(tracks);
        Assert.Equal(WorkflowRole.PartnerBroker, tracks.Role);
        Assert.Equal("contacted", tracks.Start);
        Assert.Equal(["contacted", "interested"], tracks.States.Select(s => s.Key));
        Assert.Equal(["agreed", "declined", "no-answer"], tracks.Ends.Select(e => e.Key));
        Assert.Equal(EndStateKind.Success, tracks.End("agreed")!.Kind);
        Assert.Equal("no-answer", tracks.TimerTarget(tracks.State("contacted")!, tracks.State("contacted")!.Timers[0]));
        Assert.Equal(["partner-found", "back-to-matching"], tracks.Join.Select(j => j.Outcome));
        Assert.Null(Plan().GetStep("matching").Tracks);
    }

    [Fact]
    public void Tracks_survive_a_round_trip_through_the_writer()
    {
        var document = WorkflowDefinitions.Load(TrackDefinition.Yaml()).Document!;
        var written = WorkflowYamlWriter.ToYaml(document);
        var again = WorkflowDefinitions.Check(written);

        Assert.True(again.IsValid, Describe(again.Errors));
        Assert.Equal(WorkflowYamlWriter.ContentHash(document), WorkflowYamlWriter.ContentHash(again.Document!));
        Assert.Equal("tracks.agreed >= 1", again.Document!.Stages[0].Steps[1].Tracks!.Join[0].When);
        Assert.Equal("P20BD", again.Document.Stages[0].Steps[1].Tracks!.States[0].Timers[0].After);
    }

    [Fact]
    public void The_counts_a_join_rule_sees_are_per_state_and_end_with_hyphens_as_underscores()
    {
        var tracks = Plan().GetStep("expressions").Tracks!;

        var counts = tracks.Counts(["agreed", "no-answer", "no-answer", "contacted"]);

        Assert.Equal(4m, counts["tracks.total"]);
        Assert.Equal(1m, counts["tracks.open"]);
        Assert.Equal(3m, counts["tracks.ended"]);
        Assert.Equal(2m, counts["tracks.no_answer"]);
        Assert.Equal(0m, counts["tracks.interested"]);
        Assert.Equal(ExpressionValueKind.Number, tracks.Scope().Variables["tracks.declined"]);
    }

    [Fact]
    public void The_first_join_rule_that_holds_decides_and_a_rule_that_fails_does_not_hold()
    {
        var tracks = Plan().GetStep("expressions").Tracks!;
        var engine = WorkflowExpressions.Engine;

        Assert.Equal("partner-found", tracks.FirstJoinThatHolds(["agreed", "declined"], engine)!.Outcome);
        Assert.Equal("back-to-matching", tracks.FirstJoinThatHolds(["declined", "no-answer"], engine)!.Outcome);
        Assert.Null(tracks.FirstJoinThatHolds(["declined", "interested"], engine));
        Assert.Null(tracks.FirstJoinThatHolds(["declined"], new FailingEngine()));
    }

    [Fact]
    public void Older_step_shapes_do_not_change_by_the_new_key()
    {
        foreach (var plan in new[] { TestFiles.V1, TestFiles.V2, TestFiles.V3, TestFiles.V4 })
        {
            Assert.All(plan.Steps, s => Assert.Null(s.Tracks));
            Assert.DoesNotContain("tracks:", WorkflowYamlWriter.ToYaml(plan.Document), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tracks_without_a_performer_are_refused_with_path_and_line()
    {
        var yaml = TrackDefinition.Yaml().Replace("\n          role: partner-broker", "", StringComparison.Ordinal);

        var error = Assert.Single(Problems(yaml));

        Assert.Equal("stages[0].steps[1].tracks.role", error.Path);
        Assert.Contains("no performer", error.Message, StringComparison.Ordinal);
        Assert.Equal(22, error.Position!.Value.Line);
    }

    [Fact]
    public void A_join_rule_must_take_an_outcome_of_the_step_and_count_what_exists()
    {
        var yaml = TrackDefinition.Yaml()
            .Replace("outcome: partner-found }", "outcome: partner-fund }", StringComparison.Ordinal)
            .Replace("tracks.open == 0", "tracks.opened == 0", StringComparison.Ordinal);

        var errors = Problems(yaml);

        var outcome = errors.Single(e => e.Path == "stages[0].steps[1].tracks.join[0].outcome");
        Assert.Contains("did you mean 'partner-found'", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(45, outcome.Position!.Value.Line);
        var when = errors.Single(e => e.Path == "stages[0].steps[1].tracks.join[1].when");
        Assert.Contains("opened", when.Message, StringComparison.Ordinal);
        Assert.Equal(46, when.Position!.Value.Line);
    }

    [Fact]
    public void A_join_rule_counting_an_end_no_state_leads_to_can_never_hold()
    {
        var yaml = TrackDefinition.Yaml()
            .Replace("- { key: agreed, label: Agreed, to: agreed }", "- { key: agreed, label: Agreed, to: declined }", StringComparison.Ordinal);

        var errors = Problems(yaml);

        Assert.Contains(errors, e => e.Path == "stages[0].steps[1].tracks.ends[0]" && e.Message.Contains("never reached", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "stages[0].steps[1].tracks.join[0].when" && e.Message.Contains("always 0", StringComparison.Ordinal));
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Duplicate_keys_unknown_targets_unreachable_states_and_bad_timers_are_each_reported()
    {
        var yaml = TrackDefinition.Yaml()
            .Replace("          ends:", "            - { key: agreed, name: Twice, outcomes: [ { key: on, label: On, to: declined } ] }\n            - { key: waiting, name: Waiting, outcomes: [ { key: on, label: On, to: declined } ] }\n          ends:", StringComparison.Ordinal)
            .Replace("- { key: declined, label: Declined, to: declined }\n              timers", "- { key: declined, label: Declined, to: declind }\n              timers", StringComparison.Ordinal)
            .Replace("action: outcome, outcome: no-answer", "action: outcome, outcome: no-reply", StringComparison.Ordinal);

        var errors = Problems(yaml);

        Assert.Contains(errors, e => e.Path == "stages[0].steps[1].tracks.ends[0].key" && e.Message.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "stages[0].steps[1].tracks.states[0].outcomes[1].to" && e.Message.Contains("did you mean 'declined'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "stages[0].steps[1].tracks.states[0].timers[0].outcome" && e.Message.Contains("'no-reply'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "stages[0].steps[1].tracks.states[3]" && e.Message.Contains("never reached", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.NotNull(e.Position));
    }

    [Fact]
    public void A_track_timer_reminds_its_performer_or_takes_an_outcome_but_does_not_hold_or_reassign_the_whole_case()
    {
        const string NoAnswer = "- { after: P20BD, action: outcome, outcome: no-answer }";
        const string Indent = "\n                ";
        var reminding = TrackDefinition.Yaml().Replace(NoAnswer, "- { after: P5BD, action: remind }" + Indent + NoAnswer, StringComparison.Ordinal);
        var acting = reminding.Replace(NoAnswer, "- { after: P10BD, action: hold, reason: Waiting }" + Indent + "- { after: P15BD, action: reassign, to: coordinator }" + Indent + NoAnswer, StringComparison.Ordinal);

        Assert.Empty(Problems(reminding));
        var tracks = WorkflowDefinitions.Compile(reminding).GetStep("expressions").Tracks!;
        var contacted = tracks.State("contacted")!;
        Assert.Equal([("timer-1", TimerAction.Remind), ("timer-2", TimerAction.Outcome)], contacted.Acting.Select(t => (t.Key, t.Action)));
        Assert.Equal("no-answer", tracks.TimerTarget(contacted, contacted.Timer("timer-2")!));
        var errors = Problems(acting);
        Assert.Equal(["stages[0].steps[1].tracks.states[0].timers[1].action", "stages[0].steps[1].tracks.states[0].timers[2].action"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Contains("acts on the whole case", e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.NotNull(e.Position));
    }

    [Fact]
    public void A_join_rule_that_is_not_a_yes_or_no_question_is_a_type_error_with_its_line()
    {
        var yaml = TrackDefinition.Yaml().Replace("tracks.open == 0", "tracks.open + 1", StringComparison.Ordinal);

        var error = Assert.Single(Problems(yaml));

        Assert.Equal("stages[0].steps[1].tracks.join[1].when", error.Path);
        Assert.Equal(46, error.Position!.Value.Line);
    }

    [Fact]
    public void Unknown_keys_in_tracks_are_load_errors_with_a_hint()
    {
        var result = WorkflowDefinitions.Load(TrackDefinition.Yaml().Replace("for-each: partner", "foreach: partner", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Contains("did you mean 'for-each'", error.Message, StringComparison.Ordinal);
        Assert.Equal(22, error.Position.Line);
    }

    private sealed class FailingEngine : IExpressionEngine
    {
        public IReadOnlyList<ExpressionProblem> Check(string text, ExpressionScope scope, ExpressionValueKind expected) => [];

        public ExpressionEvaluation Evaluate(string text, IReadOnlyDictionary<string, object?> values) => ExpressionEvaluation.Failure("It took too long.");
    }
}
