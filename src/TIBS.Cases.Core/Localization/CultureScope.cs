using System.Globalization;

namespace TIBS.Cases.Core.Localization;

/// <summary>
/// Runs a piece of work in another person's language (a notification or an e-mail written for its recipient, not for
/// the person whose action caused it): sets the current culture and UI culture, and restores them when disposed.
/// </summary>
public sealed class CultureScope : IDisposable
{
    private readonly CultureInfo culture;
    private readonly CultureInfo uiCulture;

    private CultureScope(string language)
    {
        culture = CultureInfo.CurrentCulture;
        uiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = Languages.FormatCulture(language);
        CultureInfo.CurrentUICulture = Languages.UiCulture(language);
    }

    /// <summary>Switches to <paramref name="language"/> (one of <see cref="Languages.Codes"/>; English otherwise) until disposed.</summary>
    public static CultureScope Of(string? language) => new(language ?? Languages.Default);

    public void Dispose()
    {
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = uiCulture;
    }
}
