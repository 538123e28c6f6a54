namespace TIBS.Cases.Core.Exports;

/// <summary>How a column's values are written: as text, or as typed cells a spreadsheet can sort, sum and filter.</summary>
public enum ExportColumnKind
{
    Text,
    Integer,
    Decimal,
    Date,
    DateTime,
    Boolean,
}

/// <summary>A column of an export: the header a person reads, the kind of its values, and what it means.</summary>
public sealed record ExportColumn(string Header, ExportColumnKind Kind, string? Description = null);

/// <summary>
/// A table to export (the case list, step durations, indicators, monitoring tables): its columns and its rows, read
/// while they are written and never held all at once, so that 100,000 rows cost no more memory than ten. Each row has
/// one value per column, of the column's kind (<see cref="string"/>, <see cref="long"/>/<see cref="int"/>,
/// <see cref="decimal"/>/<see cref="double"/>, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, <see cref="bool"/>)
/// or <c>null</c> for an empty cell. Writers (CSV, XLSX) live at the edge; the table says nothing of formats.
/// </summary>
public sealed class ExportTable
{
    public ExportTable(string fileName, IReadOnlyList<ExportColumn> columns, IAsyncEnumerable<object?[]> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (columns.Count == 0)
        {
            throw new ArgumentException("An export has at least one column.", nameof(columns));
        }

        FileName = fileName;
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The download's name without extension, e.g. <c>cases-2026-12-02</c>.</summary>
    public string FileName { get; }

    public IReadOnlyList<ExportColumn> Columns { get; }

    /// <summary>The rows, streamed: enumerate once.</summary>
    public IAsyncEnumerable<object?[]> Rows { get; }
}
