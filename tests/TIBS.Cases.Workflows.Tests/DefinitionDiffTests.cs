using TIBS.Cases.Workflows.Diff;
using YamlDotNet.RepresentationModel;

namespace TIBS.Cases.Workflows.Tests;

public sealed class DefinitionDiffTests
{
    internal const string Base = """
        key: diff-test
        name: Diff test
        version: 1
        stages:
          - key: only
            name: Only stage
            steps:
              - key: assess
                name: Assess needs
                role: broker
                due: P5D
                reminders:
                  - after: P3D
                form:
                  - key: need
                    label: The need
                    type: text
                    required: true
                outcomes:
                  - key: done
                    label: Done
                    to: completed
                    conditions:
                      - form-complete
        end-states:
          - key: completed
            name: Completed
            kind: success
        """;

    [Fact]
    public void Shipped_v3_to_v4_shows_the_added_field_and_the_changed_help_texts()
    {
        var changes = DefinitionDiff.Compare(TestFiles.ReadWorkflow("joint-smart-strategy/v3.yaml"), TestFiles.ReadWorkflow("joint-smart-strategy/v4.yaml"));

        Assert.NotNull(changes);
        var added = Assert.Single(changes, c => c.Kind == ChangeKind.Added);
        Assert.Contains("field “Solutions taken up or up-scaled” (solutions-taken-up)", added.What, StringComparison.Ordinal);
        Assert.Contains("step", added.Where, StringComparison.Ordinal);
        Assert.Contains("type: number", added.After, StringComparison.Ordinal);
        Assert.StartsWith("Field “Solutions taken up or up-scaled” (solutions-taken-up) added to stage", added.Sentence, StringComparison.Ordinal);
        Assert.All(changes.Where(c => c.Kind != ChangeKind.Added), c => Assert.Equal("help", c.What));
        Assert.DoesNotContain(changes, c => c.Kind == ChangeKind.Removed);
    }

    [Fact]
    public void Identical_versions_have_no_changes_even_when_their_numbers_and_comments_differ()
    {
        var changes = DefinitionDiff.Compare(Base, "# a comment\n" + Base.Replace("version: 1", "version: 2", StringComparison.Ordinal));

        Assert.NotNull(changes);
        Assert.Empty(changes);
    }

    [Fact]
    public void A_changed_value_names_the_part_and_both_values()
    {
        var changes = DefinitionDiff.Compare(Base, Base.Replace("due: P5D", "due: P10D", StringComparison.Ordinal))!;

        var change = Assert.Single(changes);
        Assert.Equal(ChangeKind.Changed, change.Kind);
        Assert.Equal("stage “Only stage” (only) › step “Assess needs” (assess)", change.Where);
        Assert.Equal("due", change.What);
        Assert.Equal(("P5D", "P10D"), (change.Before, change.After));
        Assert.Equal("stages[only].steps[assess].due", change.Path);
        Assert.Equal("Due of stage “Only stage” (only) › step “Assess needs” (assess) changed from “P5D” to “P10D”.", change.Sentence);
    }

    [Fact]
    public void Removed_outcomes_conditions_and_reminders_are_listed()
    {
        var newer = Base
            .Replace("        reminders:\n          - after: P3D\n", "", StringComparison.Ordinal)
            .Replace("            conditions:\n              - form-complete\n", "", StringComparison.Ordinal);

        var changes = DefinitionDiff.Compare(Base, newer)!;

        Assert.True(changes.Count == 2, string.Join("\n", changes.Select(c => c.Sentence)));
        Assert.Contains(changes, c => c.Kind == ChangeKind.Removed && c.What == "reminder “after P3D”");
        Assert.Contains(changes, c => c.Kind == ChangeKind.Removed && c.What == "condition “form-complete”" && c.Where.EndsWith("outcome “Done” (done)", StringComparison.Ordinal));
    }

    [Fact]
    public void Parts_the_diff_does_not_know_by_name_show_up_as_added_values()
    {
        var newer = Base.Replace("        due: P5D\n", "        due: P5D\n        timers:\n          - after: P20BD\n            action: outcome\n            outcome: done\n        tracks:\n          - key: partner\n            name: Partner track\n            join: all-ended\n", StringComparison.Ordinal);
        var older = Base.Replace("        due: P5D\n", "        due: P5D\n        tracks:\n          - key: partner\n            name: Partner track\n            join: agreed >= 1\n", StringComparison.Ordinal);

        var changes = DefinitionDiff.Compare(Tree(older), Tree(newer));

        Assert.Equal(2, changes.Count);
        var timer = changes.Single(c => c.Kind == ChangeKind.Added);
        Assert.StartsWith("timer “after P20BD", timer.What, StringComparison.Ordinal);
        Assert.Contains("action: outcome", timer.After, StringComparison.Ordinal);
        var join = changes.Single(c => c.Kind == ChangeKind.Changed);
        Assert.Equal(("join", "agreed >= 1", "all-ended"), (join.What, join.Before, join.After));
        Assert.EndsWith("track “Partner track” (partner)", join.Where, StringComparison.Ordinal);
    }

    private static YamlMappingNode Tree(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [Fact]
    public void A_text_that_does_not_load_has_no_structured_diff()
    {
        Assert.Null(DefinitionDiff.Compare(Base, "key: [unclosed"));
    }

    [Fact]
    public void The_text_diff_numbers_removed_and_added_lines_on_their_side()
    {
        var lines = TextDiff.Lines("a\nb\nc\n", "a\nB\nc\nd\n");

        Assert.Equal(
            [
                new TextDiffLine(TextDiffKind.Same, 1, 1, "a"),
                new TextDiffLine(TextDiffKind.Removed, 2, null, "b"),
                new TextDiffLine(TextDiffKind.Added, null, 2, "B"),
                new TextDiffLine(TextDiffKind.Same, 3, 3, "c"),
                new TextDiffLine(TextDiffKind.Added, null, 4, "d"),
            ],
            lines);
    }

    [Fact]
    public void Long_unchanged_runs_are_folded_around_the_changes()
    {
        var older = string.Join('\n', Enumerable.Range(1, 20).Select(n => $"line {n}"));
        var newer = older.Replace("line 10", "line ten", StringComparison.Ordinal);

        var shown = TextDiff.WithContext(TextDiff.Lines(older, newer), context: 2);

        Assert.Null(shown[0]);
        Assert.Equal(["line 8", "line 9", "line 10", "line ten", "line 11", "line 12"], shown.Skip(1).Take(6).Select(l => l!.Text));
        Assert.Null(shown[^1]);
    }
}
