using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Core.Companies;
using TIBS.Cases.IntegrationTests.Api;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// The company identity pages and endpoints on the embedded database with the demo data: the duplicate warning and
/// "Register anyway", the same number linked, the coordinator's merge, de minimis aid, and brokers kept out of merges.
/// </summary>
public sealed class CompanyCompliancePagesTests : IClassFixture<CompanyCompliancePagesTests.App>
{
    private readonly App app;

    public CompanyCompliancePagesTests(App app) => this.app = app;

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
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {email} answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>Posts the fields given with the antiforgery token of the page's form found by <paramref name="formSelector"/>.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, IHtmlDocument page, string formSelector, IEnumerable<KeyValuePair<string, string>> values)
    {
        var form = (IHtmlFormElement)page.QuerySelector(formSelector)!;
        var token = ((IHtmlInputElement)form.QuerySelector("input[name=__RequestVerificationToken]")!).Value;
        return await client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent([.. values, new("__RequestVerificationToken", token)]));
    }

    private static Dictionary<string, string> Registration(string name, string number = "") => new()
    {
        ["Input.Name"] = name,
        ["Input.CountryCode"] = "LV",
        ["Input.RegionCode"] = "LV008",
        ["Input.SizeClass"] = SizeClasses.Small,
        ["Input.RegisterNumber"] = number,
    };

    private async Task<Company> DemoCompanyAsync(string name) =>
        (await app.Companies.GetAsync((await app.Companies.SearchAsync(new CompanySearch { Text = name })).Items.Single(c => c.Name == name).Id))!;

    [Fact]
    public async Task A_close_name_is_a_warning_with_register_anyway_and_the_same_number_links_the_company_that_has_it()
    {
        var client = await SignedInAsync("broker.lv008@tibs.example");
        var existing = await DemoCompanyAsync("Vidzeme Wood Solutions");
        var form = await client.GetDocumentAsync("/companies/new");
        Assert.Equal("Organisation type", form.QuerySelector("label[for=Input_SizeClass]")!.TextContent.Replace("*", "", StringComparison.Ordinal).Trim());
        Assert.NotNull(form.QuerySelector("label[for=Input_RegisterNumber]"));

        var warned = await HtmlForms.ParseAsync(await PostAsync(client, form, "main form.company-form", Registration("Vidzeme Wood Solution SIA", "LV 4000 3521 600")));

        Assert.Contains("is a probable duplicate of Vidzeme Wood Solutions in the same region", warned.QuerySelector("#probable-duplicates")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/companies/{existing.Id}", warned.QuerySelector("#probable-duplicates a")!.GetAttribute("href"));
        Assert.NotNull(warned.QuerySelector("#register-anyway"));
        Assert.Equal("LV 4000 3521 600", ((IHtmlInputElement)warned.QuerySelector("#Input_RegisterNumber")!).Value);

        var anyway = await PostAsync(client, warned, "main form.company-form", [.. Registration("Vidzeme Wood Solution SIA", "LV 4000 3521 600"), new("RegisterAnyway", "true")]);
        var registered = await HtmlForms.ParseAsync(anyway);
        Assert.Equal("Vidzeme Wood Solution SIA is registered.", registered.QuerySelector(".alert-success")!.TextContent.Trim());
        Assert.Equal("40003521600", registered.QuerySelector("[data-field=register-number]")!.TextContent.Trim());
        var newId = Guid.Parse(anyway.RequestMessage!.RequestUri!.AbsolutePath["/companies/".Length..]);

        var again = await HtmlForms.ParseAsync(await PostAsync(client, await client.GetDocumentAsync("/companies/new"), "main form.company-form", Registration("Gauja Wood", "40003521600")));
        Assert.Equal("This number is already registered for Vidzeme Wood Solution SIA: open that company instead of registering it again.", again.QuerySelector("#Input_RegisterNumber-error")!.TextContent.Trim());
        Assert.Equal($"/companies/{newId}", again.QuerySelector("#same-number a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_coordinator_merges_a_duplicate_and_its_old_address_shows_the_survivor_while_brokers_may_not_merge()
    {
        var broker = await SignedInAsync("broker.lv008@tibs.example");
        var brokerApi = app.Factory.ApiClient(await app.Factory.TokenAsync("broker.lv008@tibs.example"));
        var survivor = await DemoCompanyAsync("Valga Smart Sensors");
        var fields = new CompanyFields { Name = "Valga Smart Sensors OÜ", CountryCode = "EE", RegionCode = "EE008", SizeClass = SizeClasses.Micro };
        var warned = await brokerApi.PostAsJsonAsync("/api/v1/companies", fields);
        Assert.Equal(HttpStatusCode.Conflict, warned.StatusCode);
        Assert.Equal(survivor.Id, (await warned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("probableDuplicates")[0].GetProperty("id").GetGuid());
        var duplicate = await brokerApi.PostAsJsonAsync("/api/v1/companies?registerAnyway=true", fields);
        Assert.Equal(HttpStatusCode.Created, duplicate.StatusCode);
        var duplicateId = (await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await broker.GetAsync($"/companies/{survivor.Id}/merge")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await brokerApi.PostAsJsonAsync($"/api/v1/companies/{survivor.Id}/merge", new { duplicateId })).StatusCode);

        var coordinator = await SignedInAsync("coordinator@tibs.example");
        var search = await coordinator.GetDocumentAsync($"/companies/{survivor.Id}/merge?q=valga");
        Assert.Contains($"/companies/{survivor.Id}/merge?duplicate={duplicateId}", search.QuerySelectorAll("#merge-candidates a").Select(a => a.GetAttribute("href")));
        var review = await coordinator.GetDocumentAsync($"/companies/{survivor.Id}/merge?duplicate={duplicateId}");
        Assert.Contains("Valga Smart Sensors OÜ", review.QuerySelector("#merge-review")!.TextContent, StringComparison.Ordinal);
        var merged = await PostAsync(coordinator, review, "main form[method=post]",
            review.QuerySelectorAll("main form[method=post] input[type=hidden]").Cast<IHtmlInputElement>().Where(i => i.Name != "__RequestVerificationToken").Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)));
        var page = await HtmlForms.ParseAsync(merged);

        Assert.StartsWith("Valga Smart Sensors OÜ is merged into Valga Smart Sensors:", page.QuerySelector(".alert-success")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(await app.Companies.GetAsync(duplicateId));
        var old = await coordinator.GetDocumentAsync($"/companies/{duplicateId}");
        Assert.Equal("Valga Smart Sensors", old.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("Valga Smart Sensors OÜ was merged into Valga Smart Sensors", old.QuerySelector("#reached-through")!.TextContent, StringComparison.Ordinal);
        var againApi = await app.Factory.ApiClient(await app.Factory.TokenAsync("coordinator@tibs.example")).PostAsJsonAsync($"/api/v1/companies/{survivor.Id}/merge", new { duplicateId });
        Assert.Equal(HttpStatusCode.Conflict, againApi.StatusCode);
    }

    [Fact]
    public async Task A_broker_records_de_minimis_aid_and_sees_the_three_year_sum_and_the_warning_over_the_ceiling()
    {
        var client = await SignedInAsync("broker.lv008@tibs.example");
        var company = await DemoCompanyAsync("Vidzeme Wood Solutions");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var page = await client.GetDocumentAsync($"/companies/{company.Id}");

        var recorded = await HtmlForms.ParseAsync(await PostAsync(client, page, "#de-minimis-form",
            new Dictionary<string, string> { ["AidInput.GrantedOn"] = today, ["AidInput.GrantingBody"] = "LIAA", ["AidInput.AmountEur"] = "250000", ["AidInput.Description"] = "Advice" }));
        Assert.Contains("EUR 250,000.00", recorded.QuerySelector("#de-minimis-records")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("EUR 50,000.00 remains", recorded.QuerySelector("#de-minimis-status")!.TextContent.Replace("\n", " ", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);

        var over = await HtmlForms.ParseAsync(await PostAsync(client, recorded, "#de-minimis-form",
            new Dictionary<string, string> { ["AidInput.GrantedOn"] = today, ["AidInput.GrantingBody"] = "LIAA", ["AidInput.AmountEur"] = "60000" }));
        Assert.Contains("over the de minimis ceiling of EUR 300,000.00", over.QuerySelector("#de-minimis-warning")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(over.QuerySelector("#record-anyway"));

        var api = await app.Factory.ApiClient(await app.Factory.TokenAsync("evaluator@tibs.example")).GetFromJsonAsync<JsonElement>($"/api/v1/companies/{company.Id}/de-minimis");
        Assert.Equal(250000m, api.GetProperty("sumEur").GetDecimal());
        Assert.Equal(1, api.GetProperty("records").GetArrayLength());
    }
}
