using System.Globalization;
using TIBS.Cases.Core.Exports;

namespace TIBS.Cases.Web.Exports;

/// <summary>
/// How the values of an <see cref="ExportTable"/> become cells, the same for CSV and XLSX: text is neutralised against
/// formula injection; typed values (numbers, dates, yes/no) keep their type.
/// </summary>
internal static class ExportCells
{
    /// <summary>The characters that make a spreadsheet read text as a formula (OWASP's CSV injection list).</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>
    /// Text a spreadsheet would run as a formula (it starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
    /// carriage return) gets a leading apostrophe, which spreadsheets show as text and never run; other text is unchanged.
    /// </summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && Array.IndexOf(FormulaStarts, text[0]) >= 0 ? "'" + text : text;

    /// <summary>The text of a value in CSV: numbers and dates in an invariant form, yes/no in words, text neutralised.</summary>
    public static string? CsvText(ExportColumn column, object? value) => value switch
    {
        null => null,
        string s => Neutralise(s),
        bool b => b ? "Yes" : "No",
        DateTimeOffset d => column.Kind == ExportColumnKind.Date
            ? d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : d.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTime d => d.ToString(column.Kind == ExportColumnKind.Date ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Neutralise(value.ToString() ?? ""),
    };

    /// <summary>The value of an XLSX cell: numbers as numbers, dates as date-times (UTC), yes/no as booleans, text neutralised.</summary>
    public static object? XlsxValue(object? value) => value switch
    {
        null => null,
        string s => Neutralise(s),
        DateTimeOffset d => d.UtcDateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        int or long or decimal or double or float or short or bool or DateTime => value,
        _ => Neutralise(value.ToString() ?? ""),
    };
}
