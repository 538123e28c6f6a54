using System.Globalization;
using System.Text;

using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Workflows.Definitions;

/// <summary>What a one-line text of a definition (a name, a label, a key) may hold.</summary>
internal static class DefinitionTexts
{
    /// <summary>
    /// The first character of <paramref name="text"/> that would break it across lines or hide what follows: control
    /// characters (line breaks, tabs, NUL, …), the Unicode line and paragraph separators and the bidirectional
    /// overrides that reorder what is shown. Null when there is none.
    /// </summary>
    public static Rune? FindLineBreaker(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || rune.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 || rune.Value == 0xFFFD)
            {
                return rune;
            }
        }

        return null;
    }

    /// <summary>A character in words: "a line break", "a tab", "the character U+202E".</summary>
    public static string Describe(Rune rune) => rune.Value switch
    {
        '\n' or '\r' or 0x2028 or 0x2029 or 0x85 => Localized.Text("a line break"),
        '\t' => Localized.Text("a tab"),
        0 => Localized.Text("a NUL character"),
        _ => Localized.Format("the invisible character U+{0}", rune.Value.ToString("X4", CultureInfo.InvariantCulture)),
    };
}
