using System.Text;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Diagrams;
using TIBS.Cases.Workflows.Plans;
using TIBS.Cases.Workflows.Validation;
using TIBS.Cases.Workflows.Yaml;

namespace TIBS.Cases.Workflows.Tests;

/// <summary>Definitions written to hurt: each must come back as a problem with its line, never as a crash.</summary>
public sealed class HostileDefinitionTests
{
    private static ValidationError SingleProblem(DefinitionCheck check)
    {
        Assert.False(check.IsValid);
        var problem = Assert.Single(check.Errors);
        Assert.NotNull(problem.Position);
        return problem;
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_is_refused_while_it_is_read()
    {
        var yaml = new StringBuilder("key: lol\nname: Laughs\nversion: 1\nlol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"lol{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]\n");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var problem = SingleProblem(WorkflowDefinitions.Check(yaml.ToString()));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("more than 20,000 values", problem.Message, StringComparison.Ordinal);
        Assert.InRange(problem.Position!.Value.Line, 6, 9);
        Assert.InRange(allocated, 0, 16 * 1024 * 1024);
    }

    [Theory]
    [InlineData("key: &a [*a]\n")]
    [InlineData("key: x\nname: &n { inner: *n }\n")]
    [InlineData("key: *nowhere\n")]
    public void An_alias_of_itself_or_of_nothing_is_refused(string yaml)
    {
        var problem = SingleProblem(WorkflowDefinitions.Check(yaml));

        Assert.Contains("refers to no complete value before it", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_of_a_complete_value_stay_allowed_as_in_the_shipped_definitions()
    {
        var check = WorkflowDefinitions.Check(TestFiles.ReadWorkflow("joint-smart-strategy/v1.yaml"));

        Assert.True(check.IsValid, string.Join("\n", check.Errors));
    }

    public static TheoryData<string> DeepDocuments() => new()
    {
        new string('[', 8000) + new string(']', 8000),
        string.Concat(Enumerable.Repeat("- ", 8000)) + "x\n",
        string.Concat(Enumerable.Range(0, 8000).Select(_ => "{a: ")) + "b" + new string('}', 8000),
    };

    [Theory]
    [MemberData(nameof(DeepDocuments))]
    public void Nesting_eight_thousand_levels_deep_is_refused_on_a_small_stack(string yaml)
    {
        DefinitionCheck? check = null;
        Exception? escaped = null;
        var thread = new Thread(() =>
        {
            try
            {
                check = WorkflowDefinitions.Check(yaml);
            }
            catch (Exception ex)
            {
                escaped = ex;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        Assert.Null(escaped);
        var problem = SingleProblem(check!);
        Assert.Contains($"nested more than {WorkflowYamlLoader.MaxDepth} levels", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P\u0663D")] // Arabic-Indic three
    [InlineData("P\u0969D")] // Devanagari three
    [InlineData("P\uFF13D")] // full-width three
    [InlineData("PT\u0661\u0662H")]
    public void Durations_with_digits_other_than_ascii_are_a_problem_not_a_crash(string due)
    {
        Assert.False(IsoDuration.TryParse(due, out _, out var error));
        Assert.Contains("is not an ISO-8601 duration", error, StringComparison.Ordinal);

        var yaml = ValidatorTests.Base.Replace("due: P5D", $"due: {due}", StringComparison.Ordinal);
        var problem = SingleProblem(WorkflowDefinitions.Check(yaml));
        Assert.Equal("stages[0].steps[0].due", problem.Path);
        Assert.Equal(11, problem.Position!.Value.Line);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_reported_with_their_position_not_replaced()
    {
        var bytes = Encoding.UTF8.GetBytes("key: mini\nname: Mini\nversion: 1\n").Concat(new byte[] { (byte)'#', (byte)' ', (byte)'a', 0xFF, (byte)'\n' }).ToArray();

        var problem = SingleProblem(WorkflowDefinitions.Check(bytes));

        Assert.Contains("not valid UTF-8", problem.Message, StringComparison.Ordinal);
        Assert.Contains("0xFF", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new SourcePosition(4, 4), problem.Position);
    }

    [Fact]
    public void Text_that_went_through_a_lossy_decoder_is_refused()
    {
        var problem = SingleProblem(WorkflowDefinitions.Check("key: mini\nname: Caf\uFFFD\n"));

        Assert.Contains("could not be read", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new SourcePosition(2, 10), problem.Position);
    }

    [Fact]
    public void A_utf8_byte_order_mark_and_valid_utf8_are_read()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(ValidatorTests.Base.Replace("Mini workflow", "Współpraca", StringComparison.Ordinal))).ToArray();

        var check = WorkflowDefinitions.Check(bytes);

        Assert.True(check.IsValid, string.Join("\n", check.Errors));
        Assert.Equal("Współpraca", check.Document!.Name);
    }

    [Theory]
    [InlineData("key: mini\nname: !include other.yaml\n", "!include", 2)]
    [InlineData("key: mini\nstages: !!seq []\n", "tag:yaml.org,2002:seq", 2)]
    [InlineData("key: mini\nname: !secret x\n", "!secret", 2)]
    public void Yaml_tags_are_refused_not_dropped(string yaml, string tag, int line)
    {
        var problem = SingleProblem(WorkflowDefinitions.Check(yaml));

        Assert.Contains($"Tags such as '{tag}' are not allowed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(line, problem.Position!.Value.Line);
    }

    [Fact]
    public void A_fifty_megabyte_file_is_refused_after_reading_no_more_than_the_limit()
    {
        var file = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var stream = File.Create(file))
            {
                stream.SetLength(50L * 1024 * 1024);
            }

            var bytes = WorkflowDefinitions.ReadFile(file);
            var problem = SingleProblem(WorkflowDefinitions.Check(bytes));

            Assert.Equal(WorkflowYamlLoader.MaxBytes + 1, bytes.Length);
            Assert.Contains("larger than 512 KB", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_large_text_or_stream_is_refused_by_size()
    {
        var text = "key: mini\n# " + new string('x', WorkflowYamlLoader.MaxBytes) + "\n";

        Assert.Contains("larger than 512 KB", SingleProblem(WorkflowDefinitions.Check(text)).Message, StringComparison.Ordinal);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        Assert.Contains("larger than 512 KB", Assert.Single(WorkflowYamlLoader.Load(stream).Errors).Message, StringComparison.Ordinal);
        Assert.Equal(WorkflowYamlLoader.MaxBytes + 1, stream.Position);
    }

    [Fact]
    public void Too_many_values_are_refused()
    {
        var yaml = "key: mini\nname: [" + string.Join(", ", Enumerable.Repeat("x", WorkflowYamlLoader.MaxNodes)) + "]\n";

        Assert.Contains("more than 20,000 values", SingleProblem(WorkflowDefinitions.Check(yaml)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key: a\nname: b\n  version: 1\n", 3, "put a value that contains ': ' in quotes")]
    [InlineData("key: a\nname: \"open\nversion: 1\n", 2, "closing quote is missing")]
    [InlineData("key: a\nstages: [one, two\nname: b\n", 2, "check the brackets")]
    [InlineData("key: a\n- b\n", 2, "not indented like the lines around it")]
    [InlineData("key: [a\n", 2, "not closed")]
    public void A_syntax_error_is_reported_at_its_real_line_in_words(string yaml, int line, string words)
    {
        var problem = SingleProblem(WorkflowDefinitions.Check(yaml));

        Assert.Equal(line, problem.Position!.Value.Line);
        Assert.StartsWith("The YAML is malformed: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains(words, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_given_twice_is_reported_where_it_is_repeated()
    {
        var problem = SingleProblem(WorkflowDefinitions.Check("key: a\nname: b\nkey: c\n"));

        Assert.Equal(new SourcePosition(3, 1), problem.Position);
        Assert.Contains("'key' is given twice", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reminder_after_the_escalation_is_a_problem()
    {
        var yaml = ValidatorTests.Base.Replace("reminders: [P3D]", "reminders: [P3D, P12D, P10D]", StringComparison.Ordinal);

        var problems = WorkflowDefinitions.Check(yaml).Errors;

        Assert.Equal(["stages[0].steps[0].reminders[1].after", "stages[0].steps[0].reminders[2].after"], problems.Select(p => p.Path));
        Assert.Contains("not before the escalation after 10 days", problems[0].Message, StringComparison.Ordinal);
        Assert.All(problems, p => Assert.Equal(12, p.Position!.Value.Line));
    }

    [Fact]
    public void A_reminder_of_a_month_is_after_an_escalation_of_thirty_days_in_long_months()
    {
        var yaml = ValidatorTests.Base.Replace("reminders: [P3D]", "reminders: [P1M]", StringComparison.Ordinal)
            .Replace("after: P10D", "after: P30D", StringComparison.Ordinal);

        Assert.Equal("stages[0].steps[0].reminders[0].after", Assert.Single(WorkflowDefinitions.Check(yaml).Errors).Path);
        Assert.True(IsoDuration.Parse("P1M").IsAlwaysBefore(IsoDuration.Parse("P32D")));
        Assert.False(IsoDuration.Parse("P1M").IsAlwaysBefore(IsoDuration.Parse("P31D")));
    }

    [Fact]
    public void An_escalation_after_the_due_date_and_an_overdue_reminder_stay_allowed()
    {
        var yaml = ValidatorTests.Base.Replace("reminders: [P3D]", "reminders: [P3D, P7D]", StringComparison.Ordinal);

        var check = WorkflowDefinitions.Check(yaml);

        Assert.True(check.IsValid, string.Join("\n", check.Errors));
    }

    [Theory]
    [InlineData("name: First", "name: \"First\\nsecond line\"", "stages[0].steps[0].name", "a line break")]
    [InlineData("name: Work", "name: \"Wo\\rrk\"", "stages[0].name", "a line break")]
    [InlineData("label: Go on", "label: \"Go\\ton\"", "stages[0].steps[0].outcomes[0].label", "a tab")]
    [InlineData("name: Mini workflow", "name: \"Mini\\u202Ewolf\"", "name", "U+202E")]
    [InlineData("value: go }", "value: \"go\\n[*] --> done\" }", "stages[0].steps[0].outcomes[0].conditions[1]", "a line break")]
    [InlineData("name: Done", "name: \"Done\\0\"", "end-states[0].name", "a NUL")]
    public void Names_labels_and_values_with_line_breaks_or_control_characters_are_refused(string from, string to, string path, string words)
    {
        var yaml = ValidatorTests.Base.Replace(from, to, StringComparison.Ordinal);

        var problems = WorkflowDefinitions.Check(yaml).Errors;

        var problem = Assert.Single(problems, p => p.Path == path && p.Message.Contains("must be one line", StringComparison.Ordinal));
        Assert.Contains(words, problem.Message, StringComparison.Ordinal);
        Assert.NotNull(problem.Position);
    }

    [Fact]
    public void Step_names_and_condition_values_full_of_mermaid_syntax_draw_only_the_definitions_edges()
    {
        const string Evil = "x --> done : forged; [*] --> stopped %% \\\"q\\\" 'q' # {a} <b> & click";
        var yaml = ValidatorTests.Base
            .Replace("name: First", $"name: \"{Evil}\"", StringComparison.Ordinal)
            .Replace("name: Work", $"name: \"{Evil}\"", StringComparison.Ordinal)
            .Replace("name: Done", $"name: \"{Evil}\"", StringComparison.Ordinal)
            .Replace("options: [go, stop]", $"options: [go, stop, \"{Evil}\"]", StringComparison.Ordinal)
            .Replace("value: stop }", $"value: \"{Evil}\" }}", StringComparison.Ordinal);
        var plan = WorkflowDefinitions.Compile(yaml);

        var mermaid = WorkflowDiagram.Mermaid(plan, options: new DiagramOptions(IncludeCaseActions: false));

        var lines = mermaid.Split('\n').Select(l => l.Trim()).ToList();
        var edges = lines.Where(l => l.Contains("-->", StringComparison.Ordinal))
            .Select(l => l.Split(" : ")[0].Split("-->").Select(p => p.Trim()).ToArray())
            .Select(p => (p[0], p[1]))
            .ToHashSet();
        string Id(string key) => WorkflowDiagram.NodeId(plan, key);
        var expected = plan.Steps.SelectMany(s => s.Outcomes.Select(o => (Id(s.Key), Id(o.Target))))
            .Append(("[*]", Id(plan.StartStep.Key)))
            .ToHashSet();
        Assert.Equal(expected, edges);
        Assert.Equal(expected.Count, lines.Count(l => l.Contains("-->", StringComparison.Ordinal)));

        // Every line is one statement: no comment, no second statement, no quote or brace outside the escapes.
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain("%%", l, StringComparison.Ordinal);
            Assert.DoesNotContain(";", l.Replace("#", "", StringComparison.Ordinal).Split(' ').Where(w => !IsEntity(w)), StringComparer.Ordinal);
            Assert.DoesNotContain('"', l);
            Assert.DoesNotContain('<', l);
            Assert.DoesNotContain('{', l.Replace("state stagework {", "", StringComparison.Ordinal));
        });
        Assert.Contains("first : x --#62; done \u2236 forged#59; #91;*#93; --#62; stopped #37;#37; #34;q#34; 'q' #35; #123;a#125; #60;b#62; #38; click", lines);
    }

    private static bool IsEntity(string word) => word.Length == 0 || System.Text.RegularExpressions.Regex.IsMatch(word, "^([^;]*[0-9]+;)+[^;]*$");

    [Fact]
    public void Escaping_a_label_leaves_no_character_mermaid_reads_as_syntax()
    {
        var escaped = WorkflowDiagram.EscapeLabel("a\nb\r\n[*] --> c; %% d # \"e\" {f} <g> : h \u2028 i");

        Assert.Equal("a#10;b#13;#10;#91;*#93; --#62; c#59; #37;#37; d #35; #34;e#34; #123;f#125; #60;g#62; \u2236 h #8232; i", escaped);
        Assert.Equal("Współpraca (R-D) 1/2", WorkflowDiagram.EscapeLabel("Współpraca (R-D) 1/2"));
    }

    [Fact]
    public void A_plan_is_drawn_only_when_its_keys_are_plain()
    {
        Assert.All(WorkflowDiagram.Mermaid(TestFiles.V2).Split('\n'), l => Assert.DoesNotContain("#10;", l, StringComparison.Ordinal));
    }
}
