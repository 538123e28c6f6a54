namespace TIBS.Cases.Core.Localization;

/// <summary>
/// Which form a count takes in the reader's language, for messages that count things ("2 companies"): English has one
/// and many; Polish and Lithuanian also a "few" form (Polish 2–4, 22–24, …; Lithuanian 2–9, 22–29, …), which has its
/// own key ending in " (few)" ("{0} companies (few)"). English never uses those keys: its resource text is the key.
/// </summary>
internal static class Plural
{
    /// <summary>Whether <paramref name="n"/> takes the "few" form in the current UI language.</summary>
    public static bool Few(long n) => Languages.Current switch
    {
        "pl" => n % 10 is >= 2 and <= 4 && n % 100 is < 12 or > 14,
        "lt" => n % 10 is >= 2 and <= 9 && n % 100 is < 11 or > 19,
        _ => false,
    };

    /// <summary>The count in words: <paramref name="one"/> for 1, the few form or <paramref name="many"/> (formats with one placeholder) otherwise.</summary>
    public static string Count(long n, string one, string many) =>
        n == 1 ? Localized.Text(one) : Localized.Format(Few(n) ? many + " (few)" : many, n);
}
