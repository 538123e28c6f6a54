using System.Globalization;
using System.Text;

namespace TIBS.Cases.Core.Text;

/// <summary>
/// The one folding of text for search, the same on every database: a stored search key and the searched term are
/// both folded, so that "KOKAPSTRĀDE", "kokapstrade" and "Kokapstrāde" are the same word. Folding decomposes the text
/// (Unicode compatibility decomposition), drops the accents (non-spacing marks), maps the letters that have no
/// decomposition (ł → l, ß → ss, æ → ae, ø → o, đ → d, ð → d, þ → th, œ → oe, ı → i, ħ → h, ŧ → t) and lowers the case
/// (invariant culture). Punctuation, digits and spaces are kept, so LIKE's wildcards still need escaping.
/// </summary>
public static class SearchText
{
    /// <summary>The longest stored search key for a name, title or reference (a folded text can grow: ß → ss).</summary>
    public const int MaxKeyLength = 800;

    /// <summary>The folded form of <paramref name="text"/>; empty for null or empty text.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(ch))
            {
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.SpacingCombiningMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
            }

            switch (ch)
            {
                case 'ł' or 'Ł':
                    folded.Append('l');
                    break;
                case 'ß' or 'ẞ':
                    folded.Append("ss");
                    break;
                case 'æ' or 'Æ':
                    folded.Append("ae");
                    break;
                case 'ø' or 'Ø':
                    folded.Append('o');
                    break;
                case 'đ' or 'Đ' or 'ð' or 'Ð':
                    folded.Append('d');
                    break;
                case 'þ' or 'Þ':
                    folded.Append("th");
                    break;
                case 'œ' or 'Œ':
                    folded.Append("oe");
                    break;
                case 'ı':
                    folded.Append('i');
                    break;
                case 'ħ' or 'Ħ':
                    folded.Append('h');
                    break;
                case 'ŧ' or 'Ŧ':
                    folded.Append('t');
                    break;
                default:
                    folded.Append(char.ToLowerInvariant(ch));
                    break;
            }
        }

        return folded.ToString();
    }

    /// <summary>
    /// The stored search key of the given parts (a name; a reference and a title; a name with its keywords, offers and
    /// needs): each part folded, joined by a line break so that no word spans two parts, cut to
    /// <paramref name="maxLength"/> when given.
    /// </summary>
    public static string Key(IEnumerable<string?> parts, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var key = string.Join('\n', parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Fold(p!.Trim())));
        if (maxLength is not { } max || key.Length <= max)
        {
            return key;
        }

        return key[..(char.IsHighSurrogate(key[max - 1]) ? max - 1 : max)];
    }

    /// <summary>The search key of a company's name (case list, partner search by name).</summary>
    public static string CompanyName(string? name) => Key([name], MaxKeyLength);

    /// <summary>The search key of everything the company list searches: name, keywords, offers and needs.</summary>
    public static string CompanyText(string? name, string? keywords, string? offers, string? needs) => Key([name, keywords, offers, needs]);

    /// <summary>The search key of a case: its reference and title.</summary>
    public static string Case(string? reference, string? title) => Key([reference, title], MaxKeyLength);

    /// <summary>The words of a text: its runs of letters and digits, as they stand (neither folded nor lowered).</summary>
    public static IEnumerable<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }
}
