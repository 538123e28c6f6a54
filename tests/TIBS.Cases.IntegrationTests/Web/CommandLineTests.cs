using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>`dotnet run --project src/TIBS.Cases.Web -- definitions …` for coordinators and CI.</summary>
public sealed class CommandLineTests
{
    private static string Shipped(int v) => Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows", "joint-smart-strategy", $"v{v}.yaml");

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("audit", "create-key", "--help")]
    [InlineData("backup", "create-key", "-h")]
    [InlineData("definitions", "validate", "--help")]
    [InlineData("restore", "--help")]
    public async Task Asking_for_help_prints_the_usage_and_makes_nothing(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Contains("audit create-key <file.pem>", output, StringComparison.Ordinal);
        Assert.Contains("backup create-key <file>", output, StringComparison.Ordinal);
        Assert.Equal("", error);
        Assert.False(File.Exists(Path.GetFullPath(args[^1])), $"{string.Join(' ', args)} made a file named {args[^1]}");
    }

    [Fact]
    public async Task The_shipped_definitions_validate()
    {
        var (code, output, error) = await RunAsync("definitions", "validate", Shipped(1), Shipped(2));

        Assert.Equal(0, code);
        Assert.Contains("v1.yaml: valid (joint-smart-strategy v1, 12 steps)", output, StringComparison.Ordinal);
        Assert.Contains("v2.yaml: valid (joint-smart-strategy v2, 13 steps)", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    private static async Task<string> PlaceAsync(string folderName, string fileName, byte[] content)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"defs-{Guid.NewGuid():N}", folderName);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, fileName);
        await File.WriteAllBytesAsync(file, content);
        return file;
    }

    [Fact]
    public async Task Validate_compares_the_key_and_version_with_the_folder_and_file_name_like_the_import()
    {
        var content = await File.ReadAllBytesAsync(Shipped(2));
        var wrongFolder = await PlaceAsync("other-strategy", "v2.yaml", content);
        var wrongNumber = await PlaceAsync("joint-smart-strategy", "v5.yaml", content);
        var wrongName = await PlaceAsync("joint-smart-strategy", "draft.yaml", content);
        var right = await PlaceAsync("joint-smart-strategy", "v2.yaml", content);

        var (code, output, error) = await RunAsync("definitions", "validate", wrongFolder, wrongNumber, wrongName, right);

        Assert.Equal(1, code);
        Assert.Contains($"{wrongFolder}(13,6): key: The key is 'joint-smart-strategy', but the file is in the folder 'other-strategy'; they must be the same.", error, StringComparison.Ordinal);
        Assert.Contains($"{wrongNumber}(15,10): version: The version is 2, but the file name says 5; they must be the same.", error, StringComparison.Ordinal);
        Assert.Contains($"{wrongName}(1,1): The file is named 'draft.yaml'; a definition is kept as workflows/<key>/v<N>.yaml", error, StringComparison.Ordinal);
        Assert.Contains($"{right}: valid (joint-smart-strategy v2, 13 steps)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_bytes_that_are_not_utf8_and_files_that_are_too_large()
    {
        var latin1 = await PlaceAsync("mini", "v1.yaml", [.. "key: mini\nname: Caf"u8.ToArray(), 0xE9, (byte)'\n']);
        var huge = await PlaceAsync("mini", "v2.yaml", []);
        await using (var stream = File.OpenWrite(huge))
        {
            stream.SetLength(50L * 1024 * 1024);
        }

        var (code, _, error) = await RunAsync("definitions", "validate", latin1, huge);

        Assert.Equal(1, code);
        Assert.Contains($"{latin1}(2,10): The file is not valid UTF-8: the byte 0xE9 cannot be read as text.", error, StringComparison.Ordinal);
        Assert.Contains($"{huge}(1,1): The definition is larger than 512 KB, the most a workflow definition may be.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_definition_gets_every_problem_with_its_path_and_exit_code_1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            key: broken
            name: Broken
            version: 1
            stages:
              - key: s
                name: S
                steps:
                  - key: a
                    name: A
                    role: wizard
                    due: P5X
                    outcomes:
                      - { key: go, label: Go, to: nowhere }
            end-states:
              - { key: done, name: Done, kind: success }
            """);

        var (code, _, error) = await RunAsync("definitions", "validate", Shipped(1), file);

        Assert.Equal(1, code);
        Assert.Contains($"{file}(10,15): stages[0].steps[0].role: 'wizard' is not a role", error, StringComparison.Ordinal);
        Assert.Contains("stages[0].steps[0].due:", error, StringComparison.Ordinal);
        Assert.Contains("stages[0].steps[0].outcomes[0].to:", error, StringComparison.Ordinal);
        Assert.Matches(@"problem\(s\)\.", error);
    }

    [Fact]
    public async Task A_missing_file_is_an_error()
    {
        var (code, _, error) = await RunAsync("definitions", "validate", "no-such-file.yaml");

        Assert.Equal(1, code);
        Assert.Contains("no-such-file.yaml: no such file.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_diagram_shows_conditions_in_words_and_highlights_a_step()
    {
        var (code, output, _) = await RunAsync("definitions", "diagram", Shipped(1), "--highlight", "matching");

        Assert.Equal(0, code);
        Assert.Contains("stateDiagram-v2", output, StringComparison.Ordinal);
        Assert.Contains("shortlisted candidate comes from a country other than the lead company's", output, StringComparison.Ordinal);
        Assert.DoesNotContain("candidates-from-other-countries", output, StringComparison.Ordinal);
        Assert.Contains("matching : Matching", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Function", output, StringComparison.Ordinal);
        Assert.Contains("class matching current", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_subcommand_prints_the_usage()
    {
        var (code, _, error) = await RunAsync("definitions", "frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("definitions validate <file.yaml>", error, StringComparison.Ordinal);
    }
}
