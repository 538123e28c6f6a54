using System.Text;
using TIBS.Cases.Core.Audit;
using TIBS.Cases.Data.Audit;

namespace TIBS.Cases.IntegrationTests.Audit;

/// <summary>
/// The anchor folder read a part at a time (decision 0068): after a position only the whole lines appended since are
/// read, and any other change to the files makes the read start again from the first line of the first file.
/// </summary>
public sealed class AnchorFolderLogTests : IDisposable
{
    private const string Day1 = "checkpoints-2026-05-04.jsonl";
    private const string Day2 = "checkpoints-2026-05-05.jsonl";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "tibs-tests", $"anchor_log_{Guid.NewGuid():N}");
    private readonly AnchorFolderLog log;

    public AnchorFolderLogTests()
    {
        Directory.CreateDirectory(folder);
        log = new AnchorFolderLog(folder);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Append(string file, string text) => File.AppendAllText(Path.Combine(folder, file), text, new UTF8Encoding(false));

    private static string[] Texts(AnchorRead read) => [.. read.Lines.Select(l => $"{l.Source[12..22]}:{l.LineNumber}:{l.Text}")];

    [Fact]
    public void Only_the_whole_lines_appended_since_are_read_numbered_on_from_where_the_last_read_ended()
    {
        Append(Day1, "one\ntwo\n");
        var first = log.ReadAfter(null);
        Assert.True(first.FromStart);
        Assert.Equal(["2026-05-04:1:one", "2026-05-04:2:two"], Texts(first));

        // A line still being written is left for the next read.
        Append(Day1, "three\r\nfo");
        var second = log.ReadAfter(first.Position);
        Assert.False(second.FromStart);
        Assert.Equal(["2026-05-04:3:three"], Texts(second));

        Append(Day1, "ur\n");
        Append(Day2, "five\n");
        var third = log.ReadAfter(second.Position);
        Assert.False(third.FromStart);
        Assert.Equal(["2026-05-04:4:four", "2026-05-05:1:five"], Texts(third));

        var none = log.ReadAfter(third.Position);
        Assert.False(none.FromStart);
        Assert.Empty(none.Lines);
        Assert.Equal(["2026-05-04:1:one", "2026-05-04:2:two", "2026-05-04:3:three", "2026-05-04:4:four", "2026-05-05:1:five"], Texts(log.ReadAfter(null)));
    }

    [Fact]
    public void A_line_changed_in_place_an_earlier_file_grown_or_removed_or_a_file_sorting_before_makes_the_read_start_again()
    {
        Append(Day1, "one\ntwo\n");
        var read = log.ReadAfter(null);

        // The same length, one letter changed: the bytes read no longer match their hash.
        File.WriteAllText(Path.Combine(folder, Day1), "one\ntwO\n");
        var changed = log.ReadAfter(read.Position);
        Assert.True(changed.FromStart);
        Assert.Equal(["2026-05-04:1:one", "2026-05-04:2:twO"], Texts(changed));

        Append(Day2, "three\n");
        var both = log.ReadAfter(changed.Position);
        Assert.Equal(["2026-05-05:1:three"], Texts(both));

        // A file before the last one read grows.
        Append(Day1, "late\n");
        var grown = log.ReadAfter(both.Position);
        Assert.True(grown.FromStart);
        Assert.Equal(4, grown.Lines.Count);

        // A new file that sorts before the files read.
        Append("checkpoints-2026-05-01.jsonl", "early\n");
        var early = log.ReadAfter(grown.Position);
        Assert.True(early.FromStart);
        Assert.Equal("2026-05-01:1:early", Texts(early)[0]);

        File.Delete(Path.Combine(folder, Day2));
        var removed = log.ReadAfter(early.Position);
        Assert.True(removed.FromStart);
        Assert.Equal(4, removed.Lines.Count);
    }
}
