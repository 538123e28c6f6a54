using System.Globalization;
using TIBS.Cases.Core.Localization;
using TIBS.Cases.Workflows.Forms;

namespace TIBS.Cases.Core.Text;

/// <summary>
/// What any text a person sends may contain, and how long the free texts of the domain may be. Every door (pages,
/// API, jobs, command line) applies these same rules; a store never sees a value that breaks them.
/// </summary>
public static class TextRules
{
    /// <summary>A note on a case.</summary>
    public const int MaxNoteLength = 10_000;

    /// <summary>A message to a partner company.</summary>
    public const int MaxMessageLength = 5_000;

    /// <summary>The reason given for a case-wide action (withdraw, put on hold, resume, reassign).</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>A case title.</summary>
    public const int MaxTitleLength = 300;

    /// <summary>Any one filter of a list or search (free text, a code, a name).</summary>
    public const int MaxFilterLength = 200;

    /// <summary>
    /// The first character that no text may contain, or null when the text is clean: control characters other than
    /// tab, carriage return and line feed (C0 and C1, U+0000 NUL included: a database cannot store it) and halves of
    /// a surrogate pair that stand alone (no valid character).
    /// </summary>
    public static string? ForbiddenCharacter(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return Localized.Text("a broken character (half of a surrogate pair)");
            }

            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
            {
                return Localized.Format("the control character U+{0}", ((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    /// <summary>One field error per filter that is too long or holds a forbidden character (field: the query name).</summary>
    public static IReadOnlyList<FieldError> FilterProblems(params (string Field, string Label, string? Value)[] filters) =>
        [.. filters.Select(f => Problem(f.Label, f.Value, MaxFilterLength) is { } message ? new FieldError(f.Field, message) : null).OfType<FieldError>()];

    /// <summary>
    /// A sentence saying what is wrong with a text of <paramref name="what"/> (a label in the reader's language, such as
    /// <c>Localized.Text("The title")</c>), or null when it is acceptable.
    /// </summary>
    public static string? Problem(string what, string? text, int maxLength)
    {
        if (ForbiddenCharacter(text) is { } forbidden)
        {
            return Localized.Format("{0} contains {1}, which cannot be stored; remove it.", what, forbidden);
        }

        return text is not null && text.Length > maxLength
            ? Localized.Format("{0} is too long: at most {1:N0} characters (it has {2:N0}).", what, maxLength, text.Length)
            : null;
    }
}
