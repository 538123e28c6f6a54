using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using TIBS.Cases.Core.Exports;
using TIBS.Cases.Web.Exports;

namespace TIBS.Cases.IntegrationTests.Exports;

/// <summary>
/// The CSV and XLSX writers: what a spreadsheet user opens equals the rows (typed in XLSX), text that a spreadsheet
/// would run as a formula is neutralised in both, and an empty export still has its header.
/// </summary>
public sealed class ExportWriterTests
{
    private static readonly ExportColumn[] Columns =
    [
        new("Name", ExportColumnKind.Text),
        new("Count", ExportColumnKind.Integer),
        new("Days", ExportColumnKind.Decimal),
        new("When", ExportColumnKind.DateTime),
        new("Day", ExportColumnKind.Date),
        new("Overdue", ExportColumnKind.Boolean),
    ];

    private static readonly object?[][] Rows =
    [
        ["Łódź Wędliny Sp. z o.o.", 3L, 1.25m, new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero), new DateOnly(2026, 3, 5), true],
        ["=HYPERLINK(\"http://evil.example\",\"Click\")", -4L, -0.5m, new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(2)), null, false],
        ["+49 40 1234", 0L, 0m, null, new DateOnly(2026, 12, 31), false],
        ["-2+3", 1L, 2m, null, null, true],
        ["@SUM(A1:A2)", 1L, 2m, null, null, true],
        ["\tcmd", 1L, 2m, null, null, true],
        ["\rcmd", 1L, 2m, null, null, true],
        ["Søren Æbelø; Jõgeva Õlu, \"quoted\"", null, null, null, null, null],
    ];

    private static async IAsyncEnumerable<object?[]> Stream(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private static ExportTable Table(IEnumerable<object?[]> rows) => new("test-export", Columns, Stream(rows));

    [Fact]
    public async Task Csv_is_utf8_with_a_byte_order_mark_and_reads_back_as_the_rows_with_formulas_neutralised()
    {
        using var buffer = new MemoryStream();
        await CsvExportWriter.WriteAsync(Table(Rows), buffer);
        var bytes = buffer.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);

        var read = ReadCsv(bytes);
        Assert.Equal(Columns.Select(c => c.Header), read[0]);
        Assert.Equal(Rows.Length, read.Count - 1);
        Assert.Equal(["Łódź Wędliny Sp. z o.o.", "3", "1.25", "2026-03-02 09:30", "2026-03-05", "Yes"], read[1]);
        Assert.Equal(["'=HYPERLINK(\"http://evil.example\",\"Click\")", "-4", "-0.5", "2026-03-02 09:00", "", "No"], read[2]);
        Assert.Equal("'+49 40 1234", read[3][0]);
        Assert.Equal("'-2+3", read[4][0]);
        Assert.Equal("'@SUM(A1:A2)", read[5][0]);
        Assert.Equal("'\tcmd", read[6][0]);
        Assert.Equal("'\rcmd", read[7][0]);
        Assert.Equal(["Søren Æbelø; Jõgeva Õlu, \"quoted\"", "", "", "", "", ""], read[8]);
    }

    [Fact]
    public async Task Xlsx_has_typed_cells_a_frozen_filtered_header_and_neutralised_text()
    {
        using var buffer = new MemoryStream();
        await XlsxExportWriter.WriteAsync(Table(Rows), buffer);
        buffer.Position = 0;

        using var workbook = new XLWorkbook(buffer);
        var sheet = workbook.Worksheets.Single();
        Assert.Equal(Columns.Select(c => c.Header), Enumerable.Range(1, Columns.Length).Select(i => sheet.Cell(1, i).GetString()));
        Assert.Equal(1, sheet.SheetView.SplitRow);
        Assert.True(sheet.AutoFilter.IsEnabled);
        Assert.Equal(Rows.Length + 1, sheet.LastRowUsed().RowNumber());

        Assert.Equal("Łódź Wędliny Sp. z o.o.", sheet.Cell(2, 1).GetString());
        Assert.Equal(XLDataType.Number, sheet.Cell(2, 2).DataType);
        Assert.Equal(3, sheet.Cell(2, 2).GetDouble());
        Assert.Equal(1.25, sheet.Cell(2, 3).GetDouble());
        Assert.Equal(XLDataType.DateTime, sheet.Cell(2, 4).DataType);
        Assert.Equal(new DateTime(2026, 3, 2, 9, 30, 0), sheet.Cell(2, 4).GetDateTime());
        Assert.Equal(new DateTime(2026, 3, 5), sheet.Cell(2, 5).GetDateTime());
        Assert.Equal(XLDataType.Boolean, sheet.Cell(2, 6).DataType);
        Assert.True(sheet.Cell(2, 6).GetBoolean());

        Assert.False(sheet.Cell(3, 1).HasFormula);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"Click\")", sheet.Cell(3, 1).GetString());
        Assert.Equal(-4, sheet.Cell(3, 2).GetDouble());
        Assert.Equal(new DateTime(2026, 3, 2, 9, 0, 0), sheet.Cell(3, 4).GetDateTime());
        Assert.True(sheet.Cell(3, 5).IsEmpty());
        foreach (var (row, text) in new[] { (4, "'+49 40 1234"), (5, "'-2+3"), (6, "'@SUM(A1:A2)"), (7, "'\tcmd") })
        {
            Assert.False(sheet.Cell(row, 1).HasFormula);
            Assert.Equal(text, sheet.Cell(row, 1).GetString());
        }

        // XML carries a carriage return as a line break; the apostrophe in front is what matters.
        Assert.False(sheet.Cell(8, 1).HasFormula);
        Assert.Matches("^'[\r\n]cmd$", sheet.Cell(8, 1).GetString());

        Assert.Equal("Søren Æbelø; Jõgeva Õlu, \"quoted\"", sheet.Cell(9, 1).GetString());
    }

    [Fact]
    public async Task An_empty_export_still_has_its_header_row_in_both_formats()
    {
        using var csv = new MemoryStream();
        await CsvExportWriter.WriteAsync(Table([]), csv);
        var read = ReadCsv(csv.ToArray());
        Assert.Equal(Columns.Select(c => c.Header), Assert.Single(read));

        using var xlsx = new MemoryStream();
        await XlsxExportWriter.WriteAsync(Table([]), xlsx);
        xlsx.Position = 0;
        using var workbook = new XLWorkbook(xlsx);
        var sheet = workbook.Worksheets.Single();
        Assert.Equal(Columns.Select(c => c.Header), Enumerable.Range(1, Columns.Length).Select(i => sheet.Cell(1, i).GetString()));
        Assert.Equal(1, sheet.LastRowUsed().RowNumber());
    }

    [Fact]
    public void Only_text_that_a_spreadsheet_would_run_is_changed()
    {
        Assert.Equal("'=1+2", ExportCells.Neutralise("=1+2"));
        Assert.Equal("Kouvola = Kymenlaakso", ExportCells.Neutralise("Kouvola = Kymenlaakso"));
        Assert.Equal("", ExportCells.Neutralise(""));
        Assert.Equal(-3L, ExportCells.XlsxValue(-3L));
        Assert.Equal("-3", ExportCells.CsvText(new ExportColumn("n", ExportColumnKind.Integer), -3L));
    }

    /// <summary>The CSV's records as CsvHelper reads them (UTF-8, the byte order mark skipped).</summary>
    internal static List<string[]> ReadCsv(byte[] bytes)
    {
        var text = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(true, true), detectEncodingFromByteOrderMarks: false);
        using var csv = CsvReader.Create(text, new CsvReaderOptions(), leaveOpen: false);
        var records = new List<string[]>();
        csv.ReadHeader();
        records.Add([.. csv.Headers.Select(h => h ?? "")]);
        while (csv.Read())
        {
            records.Add([.. Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i) ?? "")]);
        }

        return records;
    }
}
