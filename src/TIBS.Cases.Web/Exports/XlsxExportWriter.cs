using System.Data;
using System.Runtime.CompilerServices;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using TIBS.Cases.Core.Exports;

namespace TIBS.Cases.Web.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> as an XLSX workbook with MiniExcel (decision 0024): one sheet, the header row
/// frozen with an auto filter over the columns, numbers as numbers, dates as dates, yes/no as booleans, text neutralised
/// against formula injection. Rows are pulled from the table while the sheet is compressed into the destination, so the
/// set is never held in memory.
/// </summary>
internal static class XlsxExportWriter
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static async Task WriteAsync(ExportTable table, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(destination);
        var headers = UniqueHeaders(table.Columns);
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1,
            AutoFilter = true,
            TableStyles = TableStyles.Default,
            DynamicColumns = [.. table.Columns.Select((c, i) => Column(headers[i], c))],
        };

        await using var rows = table.Rows.GetAsyncEnumerator(cancellationToken);
        if (!await rows.MoveNextAsync())
        {
            // An empty set still has its header row.
            using var empty = new DataTable();
            foreach (var (header, column) in headers.Zip(table.Columns))
            {
                empty.Columns.Add(header, ClrType(column.Kind));
            }

            await MiniExcel.SaveAsAsync(destination, empty, sheetName: SheetName(table), excelType: ExcelType.XLSX, configuration: configuration, cancellationToken: cancellationToken);
            return;
        }

        await MiniExcel.SaveAsAsync(destination, Dictionaries(rows, headers), sheetName: SheetName(table), excelType: ExcelType.XLSX, configuration: configuration, cancellationToken: cancellationToken);
    }

    /// <summary>The rows as MiniExcel reads them, starting with the one already read; each is let go once written.</summary>
    private static async IAsyncEnumerable<IDictionary<string, object?>> Dictionaries(IAsyncEnumerator<object?[]> rows, IReadOnlyList<string> headers, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = rows.Current;
            var cells = new Dictionary<string, object?>(headers.Count, StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                cells[headers[i]] = ExportCells.XlsxValue(i < row.Length ? row[i] : null);
            }

            yield return cells;
        }
        while (await rows.MoveNextAsync());
    }

    private static DynamicExcelColumn Column(string header, ExportColumn column) => new(header)
    {
        Width = column.Kind switch
        {
            ExportColumnKind.Text => 28,
            ExportColumnKind.DateTime => 18,
            ExportColumnKind.Date => 12,
            _ => 12,
        },
        Format = column.Kind switch
        {
            ExportColumnKind.DateTime => "yyyy-mm-dd hh:mm",
            ExportColumnKind.Date => "yyyy-mm-dd",
            _ => null,
        },
    };

    private static Type ClrType(ExportColumnKind kind) => kind switch
    {
        ExportColumnKind.Integer => typeof(long),
        ExportColumnKind.Decimal => typeof(decimal),
        ExportColumnKind.Date or ExportColumnKind.DateTime => typeof(DateTime),
        ExportColumnKind.Boolean => typeof(bool),
        _ => typeof(string),
    };

    /// <summary>Headers made unique (a workbook's row is keyed by them) and neutralised.</summary>
    private static string[] UniqueHeaders(IReadOnlyList<ExportColumn> columns)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var headers = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var header = ExportCells.Neutralise(columns[i].Header);
            var unique = header;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = $"{header} ({n})";
            }

            headers[i] = unique;
        }

        return headers;
    }

    /// <summary>A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(ExportTable table)
    {
        var name = new string([.. table.FileName.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]);
        return name.Length == 0 ? "Export" : name[..Math.Min(31, name.Length)];
    }
}
