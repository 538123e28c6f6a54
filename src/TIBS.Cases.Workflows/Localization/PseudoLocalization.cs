using System.Globalization;
using System.Text;

namespace TIBS.Cases.Workflows.Localization;

/// <summary>
/// Pseudo-localisation (decision 0049): every interface text accented and made about 40 % longer
/// (<c>Save</c> → <c>[Šávé ~~]</c>), so a test sees at once a text that is not translated (it stays plain) and a page
/// that breaks with longer words. It is active only while <see cref="CultureInfo.CurrentUICulture"/> is
/// <see cref="CultureName"/>, a culture the web application sets only when configured (<c>Localization:Pseudo</c>);
/// no language a user can choose is ever pseudo-localised. Placeholders (<c>{0}</c>, <c>{1:N0}</c>), markup tags and
/// entities are kept as they are.
/// </summary>
public static class PseudoLocalization
{
    /// <summary>The pseudo culture's name (the name Windows gives its accented pseudo-locale).</summary>
    public const string CultureName = "qps-ploc";

    private const string Plain = "aAcCdDeEgGiIlLnNoOsSuUyYzZ";
    private const string Accented = "áÁçÇđĐéÉğĞíÍłŁñÑöÖšŠüÜýÝžŽ";

    /// <summary>Whether the current thread shows pseudo-localised texts.</summary>
    public static bool IsActive => CultureInfo.CurrentUICulture.Name.Equals(CultureName, StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="text"/> pseudo-localised when <see cref="IsActive"/>, else unchanged.</summary>
    public static string WhenActive(string text) => IsActive ? Apply(text) : text;

    /// <summary><paramref name="text"/> accented, bracketed and padded to about 140 % of its length (empty stays empty).</summary>
    public static string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length * 2);
        result.Append('[');
        var letters = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = c switch
            {
                '{' when i + 1 < text.Length && text[i + 1] == '{' => i + 1,
                '{' => text.IndexOf('}', i),
                '<' => text.IndexOf('>', i),
                '&' => EntityEnd(text, i),
                _ => -1,
            };
            if (end > i)
            {
                result.Append(text, i, end - i + 1);
                i = end;
                continue;
            }

            var at = Plain.IndexOf(c, StringComparison.Ordinal);
            result.Append(at >= 0 ? Accented[at] : c);
            letters++;
        }

        // About 40 % more, in words of at most six characters: long, but breakable like real text.
        var padding = Math.Max(1, (int)Math.Ceiling(letters * 0.4) - 3);
        result.Append(' ');
        for (var i = 0; i < padding; i++)
        {
            result.Append(i > 0 && i % 6 == 0 ? " ~" : "~");
        }

        return result.Append(']').ToString();
    }

    /// <summary>The index of the <c>;</c> ending an entity such as <c>&amp;amp;</c> starting at <paramref name="start"/>; -1 when it is none.</summary>
    private static int EntityEnd(string text, int start)
    {
        for (var i = start + 1; i < text.Length && i - start <= 10; i++)
        {
            if (text[i] == ';')
            {
                return i > start + 1 ? i : -1;
            }

            if (!char.IsAsciiLetterOrDigit(text[i]) && text[i] != '#')
            {
                return -1;
            }
        }

        return -1;
    }
}
