using System.Text;
using ClosedXML.Excel;
using Microsoft.Extensions.Time.Testing;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.Core.Companies.Import;
using TIBS.Cases.Data.Stores;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web.Imports;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Companies;

/// <summary>Company imports from CSV and XLSX on every provider: the dry-run report, the all-or-nothing write, hostile files.</summary>
public abstract class CompanyImportTests(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Broker = new(Guid.CreateVersion7(), WorkflowRole.Broker, "LV008");
    private static readonly Actor Evaluator = new(Guid.CreateVersion7(), WorkflowRole.Evaluator, null);
    private const string Injection = "=cmd|' /C calc'!A0";

    private CompanyStore companies = null!;
    private ImportCompanies import = null!;

    public async Task InitializeAsync()
    {
        if (fixture.Available)
        {
            await fixture.ResetAsync();
            companies = new CompanyStore(fixture.Factory);
            import = new ImportCompanies(companies, new ReferenceDataStore(fixture.Factory), new FakeTimeProvider(Now));
            await CompanyHandlerTests.UsersAsync(fixture, Broker, Evaluator);
            var result = await new CreateCompany(companies, new ReferenceDataStore(fixture.Factory), new FakeTimeProvider(Now))
                .HandleAsync(new CreateCompany.Request(CompanyHandlerTests.Valid("Gaujas kokapstrade")), Broker);
            Assert.True(result.Succeeded, result.Message);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Row 2 a company with a contact, row 3 a second contact of it, row 4 a region of another country, row 5 a company
    /// registered already (other spelling and legal form), row 6 a name that a spreadsheet would run as a formula.
    /// </summary>
    private static readonly string Csv =
        "name;country;region;size_class;year_founded;nace_codes;s3_areas;contact_name;contact_email;contact_consent_date;contact_consent_purpose;notes\r\n"
        + "Valmiera Glass Fibre;LV;LV008;medium;1963;C, C23.1;advanced-manufacturing;Anna Bērziņa;anna@vgf.example;2026-01-10;Partner search;first\r\n"
        + "valmiera glass fibre;lv;;;;;;Jānis Ozols;janis@vgf.example;;;\r\n"
        + "Cēsis Robotics;LV;DE60;small;;;;;;;;\r\n"
        + "SIA Gaujas Kokapstrāde;LV;LV008;small;;;;;;;;\r\n"
        + $"\"{Injection}\";EE;EE008;micro;;;;;;;;\r\n";

    private static (CompanyImportFile.Contents Contents, string? Problem) ReadCsv(string text, bool bom = true)
    {
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var (contents, problem) = CompanyImportFile.Read(new MemoryStream(bytes), "companies.csv", bytes.Length);
        return (contents!, problem);
    }

    private Task<ImportReport> RunAsync(CompanyImportFile.Contents contents, bool dryRun, int? expected = null, Actor? actor = null) =>
        import.HandleAsync(new ImportCompanies.Request(contents.Headers, contents.Rows, dryRun, expected), actor ?? Broker);

    [SkippableFact]
    public async Task A_dry_run_of_a_csv_reports_accepted_rejected_and_duplicate_rows_and_writes_nothing()
    {
        fixture.EnsureAvailable();
        var (contents, problem) = ReadCsv(Csv);

        var report = await RunAsync(contents, dryRun: true);

        Assert.Null(problem);
        Assert.Equal(CaseCommandStatus.Done, report.Status);
        Assert.False(report.Written);
        Assert.Equal(5, report.Rows);
        Assert.Equal(["notes"], report.IgnoredColumns);
        Assert.Equal([([2, 3], "Valmiera Glass Fibre", 2), ([6], Injection, 0)], report.Accepted.Select(a => (a.Rows.ToArray(), a.Name, a.Contacts)));
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal((4, "region", "Hamburg is not in Latvia: choose a region of Latvia."), (rejected.Row, rejected.Column, rejected.Message));
        var duplicate = Assert.Single(report.Duplicates);
        Assert.Equal((5, "SIA Gaujas Kokapstrāde", "Gaujas kokapstrade"), (duplicate.Row, duplicate.Name, duplicate.ExistingName));
        Assert.Equal("2 companies can be imported; 2 rows would be left out. Nothing is written yet.", report.Message);
        Assert.Equal(1, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task Importing_writes_exactly_the_accepted_companies_and_keeps_a_formula_as_text()
    {
        fixture.EnsureAvailable();
        var (contents, _) = ReadCsv(Csv, bom: false);

        var stale = await RunAsync(contents, dryRun: false, expected: 3);
        var report = await RunAsync(contents, dryRun: false, expected: 2);

        Assert.Equal(CaseCommandStatus.Refused, stale.Status);
        Assert.False(stale.Written);
        Assert.True(report.Written);
        Assert.Equal("2 companies imported; 2 rows left out.", report.Message);
        Assert.Equal(3, await companies.CountAsync());
        var glass = await companies.GetAsync(report.Accepted[0].Id);
        Assert.Equal(("Valmiera Glass Fibre", "LV008", 1963, Broker.UserId), (glass!.Name, glass.RegionCode, glass.YearFounded, glass.CreatedBy!.Value));
        Assert.Equal(["C", "C23.1"], glass.NaceCodes);
        Assert.Equal(["Anna Bērziņa", "Jānis Ozols"], glass.Contacts.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(Injection, (await companies.GetAsync(report.Accepted[1].Id))!.Name);

        // The same file again: every company is now a probable duplicate, and nothing more is written.
        var again = await RunAsync(contents, dryRun: false);
        Assert.Equal(CaseCommandStatus.Refused, again.Status);
        Assert.Equal(4, again.Duplicates.Count);
        Assert.Equal(3, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task A_dry_run_of_an_xlsx_workbook_reads_numbers_dates_and_formulas_as_text()
    {
        fixture.EnsureAvailable();
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Companies");
        string[] headers = ["Name", "Country", "Region", "Size class", "Year founded", "Contact name", "Contact consent date", "Contact consent purpose", "Website"];
        for (var c = 0; c < headers.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = headers[c];
        }

        sheet.Cell(2, 1).Value = "Tartu Sensors";
        sheet.Cell(2, 2).Value = "EE";
        sheet.Cell(2, 3).Value = "EE008";
        sheet.Cell(2, 4).Value = "Small";
        sheet.Cell(2, 5).Value = 2011;
        sheet.Cell(2, 6).Value = "Kadri Mets";
        sheet.Cell(2, 7).Value = new DateTime(2026, 2, 1);
        sheet.Cell(2, 8).Value = "Partner search";
        sheet.Cell(3, 1).Value = "Kouvola Logistics";
        sheet.Cell(3, 2).Value = "FI";
        sheet.Cell(3, 3).Value = "FI1C4";
        sheet.Cell(3, 4).Value = "large";
        sheet.Cell(3, 9).FormulaA1 = "HYPERLINK(\"http://evil.example\")";
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);

        var (contents, problem) = CompanyImportFile.Read(new MemoryStream(stream.ToArray()), "Companies.XLSX", stream.Length);
        var report = await RunAsync(contents!, dryRun: true);

        Assert.Null(problem);
        Assert.Equal(["Tartu Sensors"], report.Accepted.Select(a => a.Name));
        Assert.Equal(1, report.Accepted[0].Contacts);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal((3, "website"), (rejected.Row, rejected.Column));
        Assert.Equal("=HYPERLINK(\"http://evil.example\")", contents!.Rows[1].Cells[8]);
        Assert.Equal(1, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task A_file_without_a_required_column_or_with_too_many_rows_is_refused_as_a_whole()
    {
        fixture.EnsureAvailable();
        var (missing, _) = ReadCsv("name,country,Region\r\nRīga Bio,LV,LV006\r\n");
        var (many, manyProblem) = ReadCsv("name,country,region,size_class\r\n" + string.Concat(Enumerable.Repeat("A,LV,LV006,small\r\n", ImportColumns.MaxRows + 1)));

        var report = await RunAsync(missing, dryRun: true);
        var refused = await RunAsync(missing, dryRun: true, actor: Evaluator);

        Assert.Equal(CaseCommandStatus.InvalidForm, report.Status);
        Assert.Equal("The first row must name the columns; this required column is missing: size_class.", Assert.Single(report.FileProblems));
        Assert.Equal(CaseCommandStatus.Forbidden, refused.Status);
        Assert.Null(many);
        Assert.Equal($"The file has more than {ImportColumns.MaxRows} rows; an import takes at most {ImportColumns.MaxRows}. Split it into several files.", manyProblem);
    }

    [Theory]
    [InlineData("companies.pdf", "Choose a .csv or .xlsx file; 'companies.pdf' is neither")]
    [InlineData("companies.xlsx", "The file is named .xlsx but is not an Excel workbook")]
    [InlineData("companies.csv", "The file is not UTF-8 text.")]
    public void A_file_of_the_wrong_kind_or_encoding_gets_a_clear_error(string fileName, string expected)
    {
        // "Gauja Kokapstr\u0101de" in ISO-8859-4 (Baltic): not UTF-8.
        var bytes = Encoding.ASCII.GetBytes("name,country,region,size_class\r\nGauja Kokapstr").Append((byte)0xE0).Concat(Encoding.ASCII.GetBytes("de,LV,LV008,small\r\n")).ToArray();

        var (contents, problem) = CompanyImportFile.Read(new MemoryStream(bytes), fileName, bytes.Length);

        Assert.Null(contents);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_file_an_empty_file_and_a_workbook_named_csv_are_refused()
    {
        var zip = new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0 };

        Assert.StartsWith("The file has 6 MB; an import takes at most 5 MB.", CompanyImportFile.Read(Stream.Null, "big.csv", 6 * 1024 * 1024).Problem, StringComparison.Ordinal);
        Assert.Equal("The file is empty.", CompanyImportFile.Read(Stream.Null, "empty.csv", 0).Problem);
        Assert.StartsWith("The file is named .csv but is not text", CompanyImportFile.Read(new MemoryStream(zip), "book.csv", zip.Length).Problem, StringComparison.Ordinal);
        Assert.StartsWith("The file cannot be read as an .xlsx workbook", CompanyImportFile.Read(new MemoryStream(zip), "book.xlsx", zip.Length).Problem, StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompanyImportTests(SqliteFixture fixture) : CompanyImportTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompanyImportTests(PostgresFixture fixture) : CompanyImportTests(fixture);
