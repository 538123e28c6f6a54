using System.Globalization;

namespace TIBS.Cases.Web.Pages.Companies;

/// <summary>
/// An amount typed as the user writes numbers: the decimal separator of their culture (72,5 in Latvian, 72.5 in
/// English), spaces and a leading or trailing "EUR" or "€" ignored; thousands separators other than spaces are refused,
/// so that "72,5" in English is never read as 725. The result is the invariant text Core takes.
/// </summary>
internal static class CultureAmount
{
    /// <summary>Invariant text ("72.5"), or null when the text is not a number in the culture; Empty when nothing was typed.</summary>
    public static (string? Invariant, bool Empty) Parse(string? text, CultureInfo culture)
    {
        var value = (text ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal).Replace("\u202F", "", StringComparison.Ordinal);
        foreach (var currency in new[] { "EUR", "€" })
        {
            if (value.StartsWith(currency, StringComparison.OrdinalIgnoreCase))
            {
                value = value[currency.Length..];
            }

            if (value.EndsWith(currency, StringComparison.OrdinalIgnoreCase))
            {
                value = value[..^currency.Length];
            }
        }

        if (value.Length == 0)
        {
            return (null, true);
        }

        return decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, culture, out var amount)
            ? (amount.ToString(CultureInfo.InvariantCulture), false)
            : (null, false);
    }
}
