using CsvHelper;
using TIBS.Cases.Core.Exports;

namespace TIBS.Cases.Web.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> as CSV: UTF-8 with a byte order mark (so Excel opens diacritics right), comma
/// separated, RFC 4180 quoting, one header row. Rows are written as they are read and flushed as the buffer fills.
/// </summary>
internal static class CsvExportWriter
{
    public const string MediaType = "text/csv";

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = true };

    public static async Task WriteAsync(ExportTable table, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(destination);
        var columns = table.Columns;
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        await csv.WriteRecordAsync([.. columns.Select(c => ExportCells.Neutralise(c.Header))], cancellationToken);
        var fields = new string?[columns.Count];
        await foreach (var row in table.Rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = ExportCells.CsvText(columns[i], i < row.Length ? row[i] : null);
            }

            await csv.WriteRecordAsync(fields!, cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }
}
