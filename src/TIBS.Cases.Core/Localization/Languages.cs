using System.Globalization;

namespace TIBS.Cases.Core.Localization;

/// <summary>
/// The nine interface languages of the programme's regions, by culture name, each named in itself. English is the
/// language of the code and of the neutral resources; the others are translations (decision 0045).
/// </summary>
public static class Languages
{
    public const string Default = "en";

    /// <summary>Each language: its culture name and its own name ("Latviešu").</summary>
    public static IReadOnlyList<Language> All { get; } =
    [
        new("en", "English", "en-GB"),
        new("pl", "Polski", "pl-PL"),
        new("lv", "Latviešu", "lv-LV"),
        new("et", "Eesti", "et-EE"),
        new("lt", "Lietuvių", "lt-LT"),
        new("fi", "Suomi", "fi-FI"),
        new("de", "Deutsch", "de-DE"),
        new("da", "Dansk", "da-DK"),
        new("sv", "Svenska", "sv-SE"),
    ];

    /// <summary>The culture names of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Codes { get; } = All.Select(l => l.Code).ToArray();

    public static bool IsKnown(string? code) => code is not null && All.Any(l => l.Code == code);

    /// <summary>The language's own name; the code itself when it is not one of <see cref="All"/>.</summary>
    public static string Name(string? code) => All.FirstOrDefault(l => l.Code == code)?.Name ?? code ?? "";

    /// <summary>The language of <paramref name="culture"/> among <see cref="All"/> (<c>lv-LV</c> → <c>lv</c>); English otherwise.</summary>
    public static string Of(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (IsKnown(c.Name))
            {
                return c.Name;
            }
        }

        return Default;
    }

    private static readonly Dictionary<string, CultureInfo> FormatCultures = All.ToDictionary(l => l.Code, l => MakeFormatCulture(l));

    /// <summary>
    /// The culture dates and numbers of <paramref name="code"/> are written in: the country's (<c>lv-LV</c>: 3.12.2026.,
    /// 72,5). English uses British conventions with ISO dates (2026-12-03), which read the same in every partner country.
    /// </summary>
    public static CultureInfo FormatCulture(string? code) => FormatCultures[IsKnown(code) ? code! : Default];

    /// <summary>The UI culture (resources) of <paramref name="code"/>: the neutral culture, <c>lv</c>.</summary>
    public static CultureInfo UiCulture(string? code) => CultureInfo.GetCultureInfo(IsKnown(code) ? code! : Default);

    private static CultureInfo MakeFormatCulture(Language language)
    {
        var culture = new CultureInfo(language.FormatCulture, useUserOverride: false);
        if (language.Code == Default)
        {
            culture.DateTimeFormat.ShortDatePattern = "yyyy-MM-dd";
            culture.DateTimeFormat.ShortTimePattern = "HH:mm";
        }

        return CultureInfo.ReadOnly(culture);
    }

    /// <summary>The language the current thread shows (<see cref="CultureInfo.CurrentUICulture"/>).</summary>
    public static string Current => Of(CultureInfo.CurrentUICulture);
}

/// <summary>An interface language: culture name, own name, and the culture its dates and numbers are written in.</summary>
public sealed record Language(string Code, string Name, string FormatCulture);
