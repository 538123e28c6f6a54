using System.Globalization;
using System.Text.RegularExpressions;
using TIBS.Cases.Workflows.Localization;
using TIBS.Cases.Workflows.Plans;

namespace TIBS.Cases.Workflows.Forms;

/// <summary>Table fields (posted as <c>table[row].column</c>) and the number format the form accepts.</summary>
public static partial class FormValidator
{
    private static TableValue? ParseTable(PlanField field, FormInput input, Context context)
    {
        var cells = new SortedDictionary<int, Dictionary<string, IReadOnlyList<string>>>();
        var prefix = field.Key + "[";
        foreach (var (key, values) in input.Strings)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = CellKey().Match(key[field.Key.Length..]);
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var row))
            {
                if (!cells.TryGetValue(row, out var rowCells))
                {
                    cells[row] = rowCells = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                }

                rowCells[match.Groups[2].Value] = values;
            }
        }

        var rows = new List<IReadOnlyDictionary<string, FieldValue>>();
        foreach (var rowCells in cells.Values)
        {
            // Blank rows (e.g. an empty template row of the HTML form) are skipped.
            if (rowCells.Values.All(v => v.All(string.IsNullOrWhiteSpace)))
            {
                continue;
            }

            var index = rows.Count;
            var row = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
            foreach (var column in field.Columns)
            {
                var cell = context.Cell(column, index);
                var value = Parse(column, rowCells.GetValueOrDefault(column.Key) ?? [], cell);
                if (value is not null)
                {
                    row[column.Key] = value;
                }
                else if (column.Required && !cell.Failed)
                {
                    cell.Fail(Localized.Format("{0} is required.", cell.Label));
                }
            }

            rows.Add(row);
            if (rows.Count > FieldLimits.MaxTableRows)
            {
                context.Fail(Localized.Format("{0}: at most {1} rows are allowed.", context.Label, FieldLimits.MaxTableRows));
                return null;
            }
        }

        return rows.Count == 0 ? null : new TableValue(rows);
    }

    // Accepts 1234.5, 1234,5, 1 234,5, 1,234.5 and 1.234,5: the last of '.' and ',' is the decimal mark.
    private static bool TryParseNumber(string text, out decimal number)
    {
        var cleaned = new string([.. text.Where(c => !char.IsWhiteSpace(c) && c != '\u202F' && c != '\'')]);
        var lastDot = cleaned.LastIndexOf('.');
        var lastComma = cleaned.LastIndexOf(',');
        if (lastComma > lastDot)
        {
            cleaned = cleaned.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        }
        else if (lastDot > lastComma && lastComma >= 0)
        {
            cleaned = cleaned.Replace(",", "", StringComparison.Ordinal);
        }

        return decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"^\[(\d+)\]\.([a-z0-9-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex CellKey();
}
