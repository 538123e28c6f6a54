using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Accounts.Tokens;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>Company imports through the API: the import page's report as a dry run, then the write; its limits and errors; on each database.</summary>
public abstract class ApiImportTests(DatabaseFixture fixture)
{
    private const string Latvian = "broker.lv008@tibs.example";
    private const string Imports = "/api/v1/companies/imports";

    /// <summary>Row 2 a company with a contact person, row 3 an organisation type that does not exist, row 4 a company registered already.</summary>
    private const string Csv = "name,country,region,size_class,contact_name,contact_email\r\n"
        + "Sigulda Import Works,LV,LV008,small,Laura Kalna,laura@siw.example\r\n"
        + "Ventspils Import Lab,LV,LV008,tiny,,\r\n"
        + "Hamburg Maritime Analytics,DE,DE60,medium,,\r\n";

    private static MultipartFormDataContent File(string fileName, byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static MultipartFormDataContent File(string csv) => File("companies.csv", Encoding.UTF8.GetBytes(csv));

    [SkippableFact]
    public async Task A_dry_run_reports_as_the_page_does_and_writes_nothing_then_the_import_writes_the_accepted_companies()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var companies = factory.Services.GetRequiredService<ICompanyStore>();
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));
        var before = await companies.CountAsync();

        var report = await (await client.PostAsync(Imports, File(Csv))).JsonAsync();

        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.False(report.GetProperty("written").GetBoolean());
        Assert.Equal("1 company can be imported; 2 rows would be left out. Nothing is written yet.", report.GetProperty("message").GetString());
        var accepted = Assert.Single(report.GetProperty("accepted").EnumerateArray());
        Assert.Equal(("Sigulda Import Works", 1), (accepted.GetProperty("name").GetString(), accepted.GetProperty("contacts").GetInt32()));
        var rejected = Assert.Single(report.GetProperty("rejected").EnumerateArray());
        Assert.Equal((3, "size_class", "Choose one of the organisation types: micro, small, medium, large, research, public-body, business-support, ngo."),
            (rejected.GetProperty("row").GetInt32(), rejected.GetProperty("column").GetString(), rejected.GetProperty("message").GetString()));
        var duplicate = Assert.Single(report.GetProperty("duplicates").EnumerateArray());
        Assert.Equal((4, "Hamburg Maritime Analytics"), (duplicate.GetProperty("row").GetInt32(), duplicate.GetProperty("existingName").GetString()));
        Assert.Equal(before, await companies.CountAsync());

        var changed = await (await client.PostAsync($"{Imports}?dryRun=false&expectedCount=2", File(Csv))).ProblemAsync(409);
        Assert.Equal(1, changed.GetProperty("report").GetProperty("accepted").GetArrayLength());
        Assert.Equal(before, await companies.CountAsync());

        var written = await (await client.PostAsync($"{Imports}?dryRun=false&expectedCount=1", File(Csv))).JsonAsync();
        Assert.True(written.GetProperty("written").GetBoolean());
        Assert.Equal("1 company imported; 2 rows left out.", written.GetProperty("message").GetString());
        Assert.Equal(before + 1, await companies.CountAsync());
        var id = Assert.Single(written.GetProperty("accepted").EnumerateArray()).GetProperty("id").GetGuid();
        var company = await (await client.GetAsync($"/api/v1/companies/{id}")).JsonAsync();
        Assert.Equal("Laura Kalna", Assert.Single(company.GetProperty("company").GetProperty("contacts").EnumerateArray()).GetProperty("name").GetString());

        // The same file again: now every company is a probable duplicate, so nothing can be imported.
        var nothing = await (await client.PostAsync($"{Imports}?dryRun=false", File(Csv))).ProblemAsync(422);
        Assert.Equal(2, nothing.GetProperty("report").GetProperty("duplicates").GetArrayLength());
        Assert.Equal(before + 1, await companies.CountAsync());
    }

    [SkippableFact]
    public async Task Files_that_cannot_be_imported_are_refused_with_the_page_limits_and_only_brokers_and_coordinators_with_a_write_token_import()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = factory.ApiClient(await factory.TokenAsync(Latvian));

        var pdf = await (await client.PostAsync(Imports, File("report.pdf", "%PDF-1.7"u8.ToArray()))).ProblemAsync(422);
        Assert.StartsWith("Choose a .csv or .xlsx file; 'report.pdf' is neither", pdf.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        var missing = await (await client.PostAsync(Imports, File("name;country\r\nRīga Bio;LV\r\n"))).ProblemAsync(422);
        Assert.Equal("The first row must name the columns; these required columns are missing: region, size_class.", missing.GetProperty("errors").GetProperty("file")[0].GetString());
        var noFile = await (await client.PostAsync(Imports, new MultipartFormDataContent { { new StringContent("x"), "other" } })).ProblemAsync(422);
        Assert.True(noFile.GetProperty("errors").TryGetProperty("file", out _));

        // The page's limit is 5 MB per file: a 3 MB file is read (its long column is ignored), a 6 MB file is refused.
        var padding = new string('x', 700_000);
        var large = new StringBuilder("name,country,region,size_class,remarks\r\n");
        for (var i = 0; i < 4; i++)
        {
            large.Append(System.Globalization.CultureInfo.InvariantCulture, $"Large File Company {i},LV,LV008,small,{padding}\r\n");
        }

        var read = await (await client.PostAsync(Imports, File(large.ToString()))).JsonAsync();
        Assert.Equal(4, read.GetProperty("accepted").GetArrayLength());
        Assert.Equal(["remarks"], read.GetProperty("ignoredColumns").EnumerateArray().Select(c => c.GetString()));
        await (await client.PostAsync(Imports, File("big.csv", new byte[6 * 1024 * 1024]))).ProblemAsync(413);

        var evaluator = factory.ApiClient(await factory.TokenAsync("evaluator@tibs.example"));
        await (await evaluator.PostAsync(Imports, File(Csv))).ProblemAsync(403);
        var reader = factory.ApiClient(await factory.TokenAsync(Latvian, TokenScopes.Read));
        await (await reader.PostAsync(Imports, File(Csv))).ProblemAsync(403);
        await (await factory.ApiClient(null).PostAsync(Imports, File(Csv))).ProblemAsync(401);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteApiImportTests(SqliteFixture fixture) : ApiImportTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiImportTests(PostgresFixture fixture) : ApiImportTests(fixture);
