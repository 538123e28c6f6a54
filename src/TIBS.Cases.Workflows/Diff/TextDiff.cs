using DiffPlex;

namespace TIBS.Cases.Workflows.Diff;

/// <summary>Whether a line of a text diff is in both texts, only in the older or only in the newer.</summary>
public enum TextDiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>
/// One line of a text diff: its text and its line number in the older (<see cref="OldLine"/>) and newer
/// (<see cref="NewLine"/>) text; a removed line has no new number, an added line no old one.
/// </summary>
public sealed record TextDiffLine(TextDiffKind Kind, int? OldLine, int? NewLine, string Text);

/// <summary>A line diff of two texts (DiffPlex's Myers diff), with unchanged runs kept whole for context.</summary>
public static class TextDiff
{
    /// <summary>Every line of both texts in order: unchanged, removed (from <paramref name="older"/>), added (in <paramref name="newer"/>).</summary>
    public static IReadOnlyList<TextDiffLine> Lines(string older, string newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        var result = Differ.Instance.CreateLineDiffs(Normalize(older), Normalize(newer), ignoreWhitespace: false);
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var lines = new List<TextDiffLine>(Math.Max(a.Count, b.Count));
        int i = 0, j = 0;
        foreach (var block in result.DiffBlocks)
        {
            while (i < block.DeleteStartA && j < block.InsertStartB)
            {
                lines.Add(new TextDiffLine(TextDiffKind.Same, i + 1, j + 1, a[i]));
                i++;
                j++;
            }

            for (var k = 0; k < block.DeleteCountA; k++, i++)
            {
                lines.Add(new TextDiffLine(TextDiffKind.Removed, i + 1, null, a[i]));
            }

            for (var k = 0; k < block.InsertCountB; k++, j++)
            {
                lines.Add(new TextDiffLine(TextDiffKind.Added, null, j + 1, b[j]));
            }
        }

        while (i < a.Count && j < b.Count)
        {
            lines.Add(new TextDiffLine(TextDiffKind.Same, i + 1, j + 1, a[i]));
            i++;
            j++;
        }

        return lines;
    }

    /// <summary>
    /// The lines to show: every changed line with <paramref name="context"/> unchanged lines around it; longer unchanged
    /// runs are left out (null marks a gap).
    /// </summary>
    public static IReadOnlyList<TextDiffLine?> WithContext(IReadOnlyList<TextDiffLine> lines, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var keep = new bool[lines.Count];
        for (var n = 0; n < lines.Count; n++)
        {
            if (lines[n].Kind == TextDiffKind.Same)
            {
                continue;
            }

            for (var m = Math.Max(0, n - context); m <= Math.Min(lines.Count - 1, n + context); m++)
            {
                keep[m] = true;
            }
        }

        var shown = new List<TextDiffLine?>();
        for (var n = 0; n < lines.Count; n++)
        {
            if (keep[n])
            {
                shown.Add(lines[n]);
            }
            else if (n == 0 || keep[n - 1])
            {
                shown.Add(null);
            }
        }

        return shown;
    }

    private static string Normalize(string text)
    {
        var unified = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return unified.EndsWith('\n') ? unified[..^1] : unified;
    }
}
