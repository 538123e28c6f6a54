using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The import page as a browser uses it: columns and template, upload, report, import; on the embedded database with the demo data.</summary>
public sealed class CompanyImportPageTests : IClassFixture<CompanyImportPageTests.App>
{
    private readonly App app;

    public CompanyImportPageTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public ICompanyStore Companies => Factory.Services.GetRequiredService<ICompanyStore>();

        public void Dispose() => Factory.Dispose();
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        var page = await client.GetDocumentAsync("/account/sign-in");
        await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        return client;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, IHtmlDocument page, string fileName, byte[] bytes)
    {
        var token = page.QuerySelector("#upload-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", fileName);
        return await client.PostAsync("/companies/import?handler=Check", content);
    }

    private static string? Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim();

    [Fact]
    public async Task A_broker_checks_a_file_reads_the_report_and_imports_the_accepted_companies()
    {
        var client = await SignedInAsync("broker.lv008@tibs.example");
        var page = await client.GetDocumentAsync("/companies/import");
        Assert.Contains(page.QuerySelectorAll("#columns code"), c => c.TextContent == "contact_consent_purpose");
        var template = await client.GetAsync(page.QuerySelector("#template-link")!.GetAttribute("href"));
        Assert.Equal("text/csv", template.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("\uFEFFname,country,region,size_class,", Encoding.UTF8.GetString(await template.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);

        var before = await app.Companies.CountAsync();
        var csv = "name,country,region,size_class,contact_name,contact_email\r\n"
            + "Sigulda Import Works,LV,LV008,small,Laura Kalna,laura@siw.example\r\n"
            + "Ventspils Import Lab,LV,LV008,tiny,,\r\n"
            + "Hamburg Maritime Analytics,DE,DE60,medium,,\r\n";
        var checkedPage = await HtmlForms.ParseAsync(await UploadAsync(client, page, "companies.csv", Encoding.UTF8.GetBytes(csv)));

        Assert.Equal("1 company can be imported; 2 rows would be left out. Nothing is written yet.", Text(checkedPage, "#report-message"));
        Assert.Equal(["3", "size_class", "Choose one of the organisation types: micro, small, medium, large, research, public-body, business-support, ngo."], checkedPage.QuerySelectorAll("#rejected tbody tr td").Select(td => td.TextContent.Trim()));
        Assert.Contains("Hamburg Maritime Analytics", Text(checkedPage, "#duplicates tbody"), StringComparison.Ordinal);
        Assert.Equal(before, await app.Companies.CountAsync());

        var importForm = checkedPage.QuerySelector("#import-form") as IHtmlFormElement;
        Assert.Equal("Import 1 company", importForm!.QuerySelector("button")!.TextContent.Trim());
        var done = await HtmlForms.ParseAsync(await client.SubmitAsync(checkedPage, "/companies/import", new Dictionary<string, string>(), "#import-form"));

        Assert.Equal("1 company imported; 2 rows left out.", Text(done, ".alert-success"));
        Assert.Equal(before + 1, await app.Companies.CountAsync());
        var list = await client.GetDocumentAsync("/companies?q=sigulda+import");
        Assert.Equal(["Sigulda Import Works"], list.QuerySelectorAll("a.company-link").Select(a => a.TextContent));
    }

    [Fact]
    public async Task A_wrong_file_gets_a_clear_error_and_evaluators_are_refused()
    {
        var client = await SignedInAsync("coordinator@tibs.example");
        var page = await client.GetDocumentAsync("/companies/import");

        var response = await UploadAsync(client, page, "report.pdf", Encoding.ASCII.GetBytes("%PDF-1.7"));
        var missing = await HtmlForms.ParseAsync(await UploadAsync(client, page, "companies.csv", Encoding.UTF8.GetBytes("name;country\r\nRīga Bio;LV\r\n")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("Choose a .csv or .xlsx file; 'report.pdf' is neither", Text(await HtmlForms.ParseAsync(response), "#file-problem"), StringComparison.Ordinal);
        Assert.Equal("The first row must name the columns; these required columns are missing: region, size_class.", Text(missing, "#file-problems li"));
        Assert.Null(missing.QuerySelector("#import-form"));

        var evaluator = await SignedInAsync("evaluator@tibs.example");
        var refused = await evaluator.GetAsync("/companies/import");
        Assert.Equal("/account/access-denied", refused.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
