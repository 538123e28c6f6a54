using TIBS.Cases.IntegrationTests.Cases;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary><c>definitions translations &lt;file&gt; [--missing]</c>: how complete each language's sidecar is.</summary>
public sealed class TranslationsCommandTests
{
    private static string Shipped(string file) => Path.Combine(CaseEnvironment.RepositoryRoot(), "workflows", "joint-smart-strategy", file);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_table_shows_every_language_of_a_shipped_version_complete()
    {
        var (code, output, error) = await RunAsync("definitions", "translations", Shipped("v2.yaml"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("joint-smart-strategy v2: 296 texts to translate", lines[0]);
        Assert.Equal("lv Latvian            296    296  100%  v2.lv.yaml", lines.Single(l => l.StartsWith("lv ", StringComparison.Ordinal)));
        Assert.Equal(8, lines.Count(l => l.Length > 2 && l.EndsWith("100%  v2." + l[..2] + ".yaml", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Missing_texts_are_listed_with_their_line_and_a_missing_or_unreadable_sidecar_shows_in_the_table()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tibs-tests", $"cli-{Guid.NewGuid():N}", "joint-smart-strategy")).FullName;
        var file = Path.Combine(folder, "v2.yaml");
        File.Copy(Shipped("v2.yaml"), file);
        var latvian = (await File.ReadAllTextAsync(Shipped("v2.lv.yaml"))).Replace("    # Intake\n    name: \"Pieņemšana\"\n", "", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(folder, "v2.lv.yaml"), latvian);
        await File.WriteAllTextAsync(Path.Combine(folder, "v2.de.yaml"), "steps:\n  - intake\n");

        var (code, output, error) = await RunAsync("definitions", "translations", file, "--missing");

        Assert.Equal(1, code);
        Assert.Contains("lv Latvian            295    296   99%  v2.lv.yaml", output, StringComparison.Ordinal);
        Assert.Contains("pl Polish               0    296    0%  v2.pl.yaml (none)", output, StringComparison.Ordinal);
        Assert.Contains("de German      unreadable    296        v2.de.yaml", output, StringComparison.Ordinal);
        Assert.Contains("Missing in lv (1):\n  steps.intake.name (line 28): Intake", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("v2.de.yaml(2,3): steps: A translation is 'id: text' pairs", error, StringComparison.Ordinal);
    }
}
