using System.Globalization;

namespace TIBS.Cases.Core.Text;

/// <summary>
/// The alphabetical order of names in one of the product's languages (en pl lv et lt fi de da sv): Lithuanian sorts
/// "y" as "i" and č, š, ž after c, s, z; Estonian sorts š, z, ž after s and õ, ä, ö, ü at the end; and so on. The
/// databases sort with the collation of the same language (NameCollations in Data, decision 0047);
/// <see cref="Compare"/> is the same order in memory, with the names' code points deciding between names the language
/// sorts alike, so that only identical names are equal (as in PostgreSQL's deterministic collations).
/// </summary>
public sealed class NameOrder : IComparer<string>
{
    private NameOrder(string language, string culture)
    {
        Language = language;
        Culture = CultureInfo.GetCultureInfo(culture);
    }

    public static NameOrder English { get; } = new("en", "en");

    /// <summary>Every order, one per supported language, English first.</summary>
    public static IReadOnlyList<NameOrder> All { get; } =
    [
        English, new("pl", "pl-PL"), new("lv", "lv-LV"), new("et", "et-EE"), new("lt", "lt-LT"),
        new("fi", "fi-FI"), new("de", "de-DE"), new("da", "da-DK"), new("sv", "sv-SE"),
    ];

    /// <summary>The two-letter language code (en, pl, lv, et, lt, fi, de, da, sv).</summary>
    public string Language { get; }

    /// <summary>The culture whose alphabet this is (lt-LT for Lithuanian).</summary>
    public CultureInfo Culture { get; }

    /// <summary>The order of the current user's language (the request's UI culture); English for any other language.</summary>
    public static NameOrder Current => For(CultureInfo.CurrentUICulture);

    /// <summary>The order of a culture's language (lt-LT and lt are Lithuanian, sv-FI is Swedish); English for any other language.</summary>
    public static NameOrder For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return Of(culture.TwoLetterISOLanguageName) ?? English;
    }

    /// <summary>The order of a two-letter language code; null when the language is not one of the product's.</summary>
    public static NameOrder? Of(string? language) =>
        All.FirstOrDefault(o => string.Equals(o.Language, language, StringComparison.OrdinalIgnoreCase));

    /// <summary>Compares two names in this language's order; only identical names are equal.</summary>
    public int Compare(string? x, string? y)
    {
        var order = Culture.CompareInfo.Compare(x, y, CompareOptions.None);
        return order != 0 ? order : string.CompareOrdinal(x, y);
    }

    public override string ToString() => Language;
}
