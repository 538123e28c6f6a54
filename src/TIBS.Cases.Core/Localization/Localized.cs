using System.Globalization;
using System.Resources;
using TIBS.Cases.Workflows.Localization;

namespace TIBS.Cases.Core.Localization;

/// <summary>
/// The messages Core writes for people (validation errors, refusals, results), in the language of
/// <see cref="CultureInfo.CurrentUICulture"/> at the moment they are made: request localisation sets it for a request,
/// a job rendering for a recipient sets it for that recipient. The key is the English text (resources
/// <c>Localization/Messages.&lt;lang&gt;.resx</c>); a message without a translation is shown in English.
/// Never keep a result of these in a static field: it would freeze one language.
/// </summary>
internal static class Localized
{
    private static readonly ResourceManager Resources = new("TIBS.Cases.Core.Localization.Messages", typeof(Localized).Assembly);

    /// <summary>The translation of <paramref name="english"/> for the current UI culture.</summary>
    public static string Text(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        // The pseudo culture has no resources: its text is the English one, accented and longer (decision 0049).
        return PseudoLocalization.WhenActive(Resources.GetString(english, CultureInfo.CurrentUICulture) ?? english);
    }

    /// <summary>
    /// The translation of a label that starts with a capital ("Innovation broker") as it stands inside a sentence: the
    /// first letter in lower case, except in German, where nouns keep their capital. One key serves both uses (resource
    /// names are not case-sensitive, so "Evaluator" and "evaluator" cannot be two keys).
    /// </summary>
    public static string InSentence(string english)
    {
        var text = Text(english);
        return text.Length == 0 || Languages.Current == "de" ? text : char.ToLower(text[0], CultureInfo.CurrentCulture) + text[1..];
    }

    /// <summary>The translation of the format <paramref name="english"/>, filled with <paramref name="args"/> in the current culture.</summary>
    public static string Format(string english, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Text(english), args);
}
