namespace TIBS.Cases.Core.Tests;

/// <summary>
/// No source file grows past <see cref="MaxLines"/> lines unless it says why at its top, in a comment that starts
/// with <see cref="Marker"/> among its first lines; a long file without a reason is to be split.
/// </summary>
public sealed class FileLengthTests
{
    public const int MaxLines = 400;
    public const string Marker = "// Longer than 400 lines because ";
    private const int ReasonWithin = 5;
    private const int ShortestReason = 30;

    [Fact]
    public void No_source_file_is_over_400_lines_without_a_reason_at_its_top()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();

        var offenders = files
            .Select(f => (Path: Path.GetRelativePath(src, f), Lines: File.ReadAllLines(f)))
            .Where(f => f.Lines.Length > MaxLines && !HasReason(f.Lines))
            .Select(f => $"{f.Path}: {f.Lines.Length} lines")
            .ToList();

        Assert.True(files.Count > 100, $"Expected the sources under {src}.");
        Assert.True(offenders.Count == 0,
            $"Split these files, or write why they are long in their first {ReasonWithin} lines as '{Marker}…':{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", offenders));
    }

    [Fact]
    public void A_reason_is_a_sentence_near_the_top_not_the_bare_marker()
    {
        string[] Long(params string[] top) => [.. top, .. Enumerable.Repeat("", MaxLines)];

        Assert.True(HasReason(Long("using System;", Marker + "every check of a definition shares one path context.")));
        Assert.False(HasReason(Long(Marker + "...")));
        Assert.False(HasReason(Long("a", "b", "c", "d", "e", Marker + "every check of a definition shares one path context.")));
    }

    private static bool HasReason(string[] lines) =>
        lines.Take(ReasonWithin).Any(l => l.TrimStart().StartsWith(Marker, StringComparison.Ordinal) && l.Trim().Length >= Marker.Length + ShortestReason);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TIBS.Cases.sln not found above " + AppContext.BaseDirectory);
    }
}
