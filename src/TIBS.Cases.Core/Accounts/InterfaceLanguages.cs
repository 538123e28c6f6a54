using TIBS.Cases.Core.Cases;

namespace TIBS.Cases.Core.Accounts;

/// <summary>
/// The languages a user may choose for the interface, stored as a culture name. The interface is in English for now:
/// the choice is kept and shown, ready for the translations.
/// </summary>
internal static class InterfaceLanguages
{
    public const string Default = "en";

    /// <summary>Each language by its culture name, named in itself.</summary>
    public static IReadOnlyList<Choice> All { get; } =
    [
        new("en", "English"),
        new("pl", "Polski"),
        new("lv", "Latviešu"),
        new("et", "Eesti"),
        new("lt", "Lietuvių"),
        new("fi", "Suomi"),
        new("de", "Deutsch"),
        new("da", "Dansk"),
        new("sv", "Svenska"),
    ];

    public static bool IsKnown(string? culture) => All.Any(l => l.Value == culture);

    /// <summary>The language's own name; the culture name itself when it is not one of <see cref="All"/>.</summary>
    public static string Name(string? culture) => All.FirstOrDefault(l => l.Value == culture)?.Label ?? culture ?? "";
}
