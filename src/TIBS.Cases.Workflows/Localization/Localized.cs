using System.Globalization;
using System.Resources;

namespace TIBS.Cases.Workflows.Localization;

/// <summary>
/// The engine's messages for people (a definition's validation problems and warnings, why an expression or a timer
/// cannot be used, what a migration would do), in the language of <see cref="CultureInfo.CurrentUICulture"/> at the
/// moment they are made. The key is the English text (resources <c>Localization/Messages.&lt;lang&gt;.resx</c> of this
/// assembly); a message without a translation is shown in English. Never keep a result of these in a static field:
/// it would freeze one language.
/// </summary>
internal static class Localized
{
    private static readonly ResourceManager Resources = new("TIBS.Cases.Workflows.Localization.Messages", typeof(Localized).Assembly);

    /// <summary>The translation of <paramref name="english"/> for the current UI culture.</summary>
    public static string Text(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        // The pseudo culture has no resources: its text is the English one, accented and longer (decision 0049).
        return PseudoLocalization.WhenActive(Resources.GetString(english, CultureInfo.CurrentUICulture) ?? english);
    }

    /// <summary>The translation of the format <paramref name="english"/>, filled with <paramref name="args"/> in the current culture.</summary>
    public static string Format(string english, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Text(english), args);
}
