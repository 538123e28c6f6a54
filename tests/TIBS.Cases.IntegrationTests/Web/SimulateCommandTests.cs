using System.Text.Json;
using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>`definitions simulate` gates a definition's repository: exit code 1 on findings, 2 on wrong usage.</summary>
public sealed class SimulateCommandTests
{
    private const string Trap = """
        key: trap
        name: Trap
        version: 1
        stages:
          - key: only
            name: Only
            steps:
              - key: intake
                name: Intake
                role: broker
                due: P5D
                form:
                  - { key: kind, label: Kind, type: choice, required: true, options: [small, large] }
                outcomes:
                  - { key: small, label: Small, to: done, conditions: [ { field-equals: { field: kind, value: small } } ] }
                  - { key: large, label: Large, to: audit, conditions: [ { field-equals: { field: kind, value: large } } ] }
              - key: audit
                name: Audit
                role: evaluator
                outcomes:
                  - { key: many-agreed, label: Many partners agreed, to: done, conditions: [ { min-agreed-partners: 500 } ] }
        end-states:
          - { key: done, name: Done, kind: success }
        """;

    private static string Shipped(string file) => Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows", file);

    private static async Task<string> WriteAsync(string name, string content)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sim-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        await File.WriteAllTextAsync(file, content);
        return file;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(["definitions", "simulate", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_shipped_definition_simulates_without_problems_and_exits_with_zero()
    {
        var (code, output, error) = await RunAsync(Shipped("joint-smart-strategy/v4.yaml"), "--walks", "200", "--seed", "9");

        Assert.Equal(0, code);
        Assert.Contains("joint-smart-strategy version 4: 200 random walks, seed 9.", output, StringComparison.Ordinal);
        Assert.Contains("Intake (intake): 200, 200", output, StringComparison.Ordinal);
        Assert.Contains("Result: no problems found.", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Walks_that_find_an_outcome_never_possible_and_a_dead_path_exit_with_one()
    {
        var file = await WriteAsync("trap.yaml", Trap);

        var (code, output, _) = await RunAsync(file, "--walks", "100");

        Assert.Equal(1, code);
        Assert.Contains("PROBLEM: outcomes never possible in any walk:", output, StringComparison.Ordinal);
        Assert.Contains("Audit (audit) -> Many partners agreed (many-agreed): Needs at least 500 partner(s) who agreed", output, StringComparison.Ordinal);
        Assert.Contains("stuck in Audit (audit) in", output, StringComparison.Ordinal);
        Assert.Contains("e.g. after intake -> audit", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_report_names_the_findings()
    {
        var file = await WriteAsync("trap.yaml", Trap);

        var (code, output, _) = await RunAsync(file, "--walks", "50", "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(50, json.RootElement.GetProperty("walks").GetInt32());
        var dead = Assert.Single(json.RootElement.GetProperty("deadPaths").EnumerateArray());
        Assert.Equal("audit", dead.GetProperty("stepKey").GetString());
        Assert.Equal("many-agreed", Assert.Single(json.RootElement.GetProperty("neverPossible").EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task An_invalid_definition_exits_with_one_and_prints_its_problems_with_lines()
    {
        var file = await WriteAsync("bad.yaml", Trap.Replace("to: audit", "to: nowhere", StringComparison.Ordinal));

        var (code, _, error) = await RunAsync(file);

        Assert.Equal(1, code);
        Assert.Contains("'nowhere'", error, StringComparison.Ordinal);
        Assert.Contains("nothing simulated", error, StringComparison.Ordinal);
        Assert.Matches(@"bad\.yaml\(\d+,\d+\): ", error);
    }

    [Fact]
    public async Task A_scripted_walk_that_ends_exits_with_zero_and_one_that_is_refused_with_one()
    {
        var file = await WriteAsync("trap.yaml", Trap);
        var good = await WriteAsync("good.yaml", "- outcome: small\n  values: { kind: small }\n");
        var refused = await WriteAsync("refused.yaml", "- outcome: large\n  values: { kind: small }\n");

        var ok = await RunAsync(file, "--script", good);
        var bad = await RunAsync(file, "--script", refused);

        Assert.Equal(0, ok.Code);
        Assert.Contains("1. day 5, intake: small - done", ok.Out, StringComparison.Ordinal);
        Assert.Contains("the case is in 'done'", ok.Out, StringComparison.Ordinal);
        Assert.Equal(1, bad.Code);
        Assert.Contains("intake: large - refused: 'Large' is not possible yet: 'Kind' is 'small', not 'large'.", bad.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--walks", "0")]
    [InlineData("--walks", "many")]
    [InlineData("--seed")]
    [InlineData("--colour", "red")]
    public async Task Wrong_usage_exits_with_two_and_says_what_is_wrong(params string[] args)
    {
        var (code, _, error) = await RunAsync([Shipped("joint-smart-strategy/v4.yaml"), .. args]);

        Assert.Equal(2, code);
        Assert.StartsWith("definitions simulate: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_with_two()
    {
        var (code, _, error) = await RunAsync("no-such-definition.yaml");

        Assert.Equal(2, code);
        Assert.Contains("no-such-definition.yaml: no such file.", error, StringComparison.Ordinal);
    }
}
