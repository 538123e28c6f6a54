using System.Globalization;
using Microsoft.Extensions.Localization;
using TIBS.Cases.Workflows.Definitions;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Web.Pages.Cases;

/// <summary>
/// Numbers typed into generated forms are read the way the user's language writes them ("72,5" in Latvian and German,
/// "72.5" in English) and handed to Core in invariant form. A group separator counts only between groups of three
/// digits, so "72,5" in English is refused in words instead of being read as 725.
/// </summary>
internal static class CultureNumbers
{
    /// <summary>The number <paramref name="text"/> as written in <paramref name="culture"/>; null when it is not one.</summary>
    public static decimal? Parse(string text, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var format = culture.NumberFormat;
        var s = (text ?? "").Trim();
        var negative = false;
        if (s.StartsWith(format.NegativeSign, StringComparison.Ordinal) || s.StartsWith('-') || s.StartsWith('\u2212'))
        {
            negative = true;
            s = s[(s.StartsWith(format.NegativeSign, StringComparison.Ordinal) ? format.NegativeSign.Length : 1)..].TrimStart();
        }
        else if (s.StartsWith('+'))
        {
            s = s[1..].TrimStart();
        }

        var parts = s.Split(format.NumberDecimalSeparator);
        if (parts.Length > 2 || parts[0].Length == 0 && (parts.Length == 1 || parts[1].Length == 0))
        {
            return null;
        }

        var whole = parts[0];
        var fraction = parts.Length == 2 ? parts[1] : "";
        if (!fraction.All(char.IsAsciiDigit))
        {
            return null;
        }

        var groupIsSpace = string.IsNullOrWhiteSpace(format.NumberGroupSeparator) || format.NumberGroupSeparator is "\u00A0" or "\u202F";
        var groups = groupIsSpace
            ? whole.Split([' ', '\u00A0', '\u202F'])
            : whole.Split(format.NumberGroupSeparator);
        if (groups.Any(g => g.Length == 0 || !g.All(char.IsAsciiDigit)) && whole.Length > 0
            || groups.Length > 1 && (groups[0].Length > 3 || groups.Skip(1).Any(g => g.Length != 3)))
        {
            return null;
        }

        var invariant = (whole.Length == 0 ? "0" : string.Concat(groups)) + (fraction.Length > 0 ? "." + fraction : "");
        return decimal.TryParse(invariant, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? negative ? -value : value
            : null;
    }

    /// <summary>
    /// The posted pairs with the values of number fields (and number columns of tables) in invariant form; a value that
    /// is not a number in the user's language is left out and its error put into <paramref name="errors"/> by form name.
    /// </summary>
    public static List<KeyValuePair<string, string?>> ToInvariant(
        IEnumerable<KeyValuePair<string, string?>> pairs, IReadOnlyList<PlanField> fields, IDictionary<string, string> errors, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(t);
        var culture = CultureInfo.CurrentCulture;
        var result = new List<KeyValuePair<string, string?>>();
        foreach (var pair in pairs)
        {
            if (string.IsNullOrWhiteSpace(pair.Value) || NumberField(pair.Key, fields) is not { } label)
            {
                result.Add(pair);
                continue;
            }

            if (Parse(pair.Value, culture) is { } number)
            {
                result.Add(new(pair.Key, number.ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                errors[pair.Key] = t["{0}: “{1}” is not a number. Write numbers like {2}.", label, pair.Value.Trim(), 1234.5m.ToString("0.0", culture)];
            }
        }

        return result;
    }

    /// <summary>A saved value as the user's language writes it (numbers with its decimal mark).</summary>
    public static string Text(TIBS.Cases.Workflows.Forms.FieldValue value) =>
        value is TIBS.Cases.Workflows.Forms.NumberValue n ? n.Number.ToString(CultureInfo.CurrentCulture) : value.ToText();

    /// <summary>The label of the number field or table column a form name belongs to; null when it is no number.</summary>
    private static string? NumberField(string name, IReadOnlyList<PlanField> fields)
    {
        foreach (var field in fields)
        {
            if (name == field.Key)
            {
                return field.Type == FieldType.Number ? field.Label : null;
            }

            if (field.Type == FieldType.Table && name.StartsWith(field.Key + "[", StringComparison.Ordinal))
            {
                var column = name[(name.LastIndexOf('.') + 1)..];
                return field.Columns.FirstOrDefault(c => c.Key == column && c.Type == FieldType.Number)?.Label;
            }
        }

        return null;
    }
}
