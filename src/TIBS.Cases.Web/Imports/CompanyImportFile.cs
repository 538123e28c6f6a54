using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using TIBS.Cases.Core.Companies.Import;

namespace TIBS.Cases.Web.Imports;

/// <summary>
/// Reads an uploaded company import file into header and rows for <see cref="ImportCompanies"/>: CSV (UTF-8 with or
/// without a byte order mark; comma, semicolon or tab separated) or an XLSX workbook (its first sheet). Every cell is
/// text: a formula is kept as its text and never evaluated. A file that cannot be read gets one message in words.
/// </summary>
internal static class CompanyImportFile
{
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>The largest request that carries an import file: a file of <see cref="MaxBytes"/> with room for the form around it.</summary>
    public const long MaxRequestBytes = MaxBytes * 2;

    public sealed record Contents(IReadOnlyList<string> Headers, IReadOnlyList<ImportRow> Rows);

    /// <summary>The file's header and rows, or the reason it cannot be read.</summary>
    public static (Contents? Contents, string? Problem) Read(Stream stream, string? fileName, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (length == 0)
        {
            return (null, "The file is empty.");
        }

        if (length > MaxBytes)
        {
            return (null, $"The file has {length / 1024 / 1024.0:0.#} MB; an import takes at most {MaxBytes / 1024 / 1024} MB. Split it into several files.");
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var isZip = bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
        return extension switch
        {
            ".csv" when isZip || Array.IndexOf(bytes, (byte)0) >= 0 =>
                (null, "The file is named .csv but is not text: save the sheet as \"CSV UTF-8 (comma delimited)\", or upload the .xlsx workbook itself."),
            ".csv" => ReadCsv(bytes),
            ".xlsx" when !isZip => (null, "The file is named .xlsx but is not an Excel workbook: save it as an .xlsx workbook or as CSV UTF-8."),
            ".xlsx" => ReadXlsx(bytes),
            _ => (null, $"Choose a .csv or .xlsx file; '{Path.GetFileName(fileName)}' is neither (older .xls workbooks: save them as .xlsx or CSV UTF-8 first)."),
        };
    }

    private static (Contents?, string?) ReadCsv(byte[] bytes)
    {
        // The separator (comma, semicolon or tab) is detected from the first lines; row numbers are lines of the file.
        var options = new CsvReaderOptions { TrackLineNumbers = true, MaxRecordSize = 1024 * 1024 };

        // A UTF-8 decoder that refuses invalid bytes: a file saved in another encoding is named, not imported garbled.
        // Its preamble makes the reader skip a byte order mark when there is one.
        var text = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        using var csv = CsvReader.Create(text, options, leaveOpen: false);
        try
        {
            csv.ReadHeader();
            var headers = csv.Headers.Select(h => h ?? "").ToList();
            if (headers.Count == 0)
            {
                return (null, "The file is empty.");
            }

            var rows = new List<ImportRow>();
            while (csv.Read())
            {
                if (rows.Count >= ImportColumns.MaxRows)
                {
                    return (null, TooManyRows);
                }

                rows.Add(new ImportRow((int)csv.LineNumber, [.. Enumerable.Range(0, csv.FieldCount).Select(i => (string?)csv.GetString(i))]));
            }

            return (new Contents(headers, rows), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The file is not UTF-8 text. In Excel choose \"Save as → CSV UTF-8 (comma delimited)\"; in LibreOffice choose the character set Unicode (UTF-8).");
        }
        catch (CsvFormatException e)
        {
            return (null, $"The file cannot be read as CSV near row {e.RecordNumber}: check the quotes around values in that row.");
        }
    }

    private static (Contents?, string?) ReadXlsx(byte[] bytes)
    {
        try
        {
            using var workbook = new XLWorkbook(new MemoryStream(bytes));
            var sheet = workbook.Worksheets.FirstOrDefault();
            var used = sheet?.RangeUsed();
            if (sheet is null || used is null)
            {
                return (null, "The workbook's first sheet is empty.");
            }

            var lastColumn = Math.Min(used.LastColumn().ColumnNumber(), 200);
            var firstRow = used.FirstRow().RowNumber();
            var lastRow = used.LastRow().RowNumber();
            if (lastRow - firstRow > ImportColumns.MaxRows)
            {
                return (null, TooManyRows);
            }

            string Cell(int row, int column) => Text(sheet.Cell(row, column));
            var headers = Enumerable.Range(1, lastColumn).Select(c => Cell(firstRow, c)).ToList();
            var rows = new List<ImportRow>();
            for (var r = firstRow + 1; r <= lastRow; r++)
            {
                rows.Add(new ImportRow(r, [.. Enumerable.Range(1, lastColumn).Select(c => (string?)Cell(r, c))]));
            }

            return (new Contents(headers, rows), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or InvalidOperationException
            or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            return (null, "The file cannot be read as an .xlsx workbook: open it in Excel or LibreOffice and save it again as .xlsx, or as CSV UTF-8.");
        }
    }

    /// <summary>A cell as text: a formula as written (never its result), a date as yyyy-MM-dd, a number without grouping.</summary>
    private static string Text(IXLCell cell)
    {
        if (cell.HasFormula)
        {
            var formula = cell.FormulaA1;
            return formula.StartsWith('=') ? formula : "=" + formula;
        }

        return cell.DataType switch
        {
            XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            XLDataType.Number => cell.GetDouble().ToString(CultureInfo.InvariantCulture),
            XLDataType.Boolean => cell.GetBoolean() ? "true" : "false",
            _ => cell.GetString(),
        };
    }

    private static string TooManyRows => $"The file has more than {ImportColumns.MaxRows} rows; an import takes at most {ImportColumns.MaxRows}. Split it into several files.";

    /// <summary>The template: the header row and one example row, UTF-8 with a byte order mark so that spreadsheets read accents right.</summary>
    public static byte[] Template()
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteRecord([.. ImportColumns.All.Select(c => c.Header)]);
            csv.WriteRecord([.. ImportColumns.All.Select(c => c.Example)]);
            csv.Flush();
        }

        return buffer.ToArray();
    }
}
