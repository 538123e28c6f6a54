using System.Net;
using AngleSharp.Html.Dom;
using Dapper;
using TIBS.Cases.IntegrationTests.Infrastructure;
using static TIBS.Cases.IntegrationTests.Web.CaseForms;

namespace TIBS.Cases.IntegrationTests.Accounts;

/// <summary>
/// A broker covering two regions (Kadri Tamm: EE008 and LV008) through the pages, on each database: sees and completes
/// the cases of both regions and not those of a third; opens a case for a company of the second region (the case takes
/// the company's region); the case list and "My work" show both regions.
/// </summary>
public abstract class BrokerRegionsTests(DatabaseFixture fixture)
{
    private const string Kadri = "broker.ee008@tibs.example";

    private async Task<TibsWebFactory> StartAsync()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        return TibsWebFactory.For(fixture);
    }

    private static async Task<(string Url, IHtmlDocument Page)> OpenCaseAsync(HttpClient client, string companyName)
    {
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == companyName).GetAttribute("value")!;
        var response = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        return (response.RequestMessage!.RequestUri!.AbsolutePath, await HtmlForms.ParseAsync(response));
    }

    /// <summary>Values for every empty input of the step form, as a broker would fill it in.</summary>
    private static Dictionary<string, string[]> Filled(IHtmlDocument page)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var e in ((IHtmlFormElement)page.QuerySelector("#step-form")!).Elements)
        {
            var name = e.GetAttribute("name");
            if (name is null || e is IHtmlButtonElement || name is "version" or "__RequestVerificationToken" || name.Contains('[', StringComparison.Ordinal) || values.ContainsKey(name))
            {
                continue;
            }

            values[name] = e switch
            {
                IHtmlSelectElement s => [s.Options.Select(o => o.Value).FirstOrDefault(v => v.Length > 0) ?? ""],
                IHtmlInputElement { Type: "radio" } => ["yes"],
                IHtmlInputElement { Type: "checkbox" } c => [c.Value],
                IHtmlInputElement { Type: "date" } => ["2026-01-10"],
                IHtmlInputElement { Type: "file" } => [],
                IHtmlInputElement i when i.GetAttribute("inputmode") == "decimal" => ["1"],
                _ => ["Filled in by the broker"],
            };
        }

        values["contact-data-consent"] = ["yes"];
        return values.Where(v => v.Value.Length > 0).ToDictionary();
    }

    private static async Task<IHtmlDocument> CompleteFirstStepAsync(HttpClient client, IHtmlDocument page)
    {
        var outcome = page.QuerySelector("#step-form button[name=outcome]")!.GetAttribute("value")!;
        return await HtmlForms.ParseAsync(await PostAsync(client, page, "#step-form", Filled(page), ("outcome", outcome)));
    }

    [SkippableFact]
    public async Task A_broker_of_two_regions_sees_opens_and_completes_cases_of_both_and_not_of_a_third()
    {
        using var factory = await StartAsync();
        var liga = await SignedInAsync(factory, "broker.lv008@tibs.example");
        var (latvianCase, _) = await OpenCaseAsync(liga, "Vidzeme Wood Solutions");
        var anna = await SignedInAsync(factory, "broker.pl84@tibs.example");
        var (polishCase, polishPage) = await OpenCaseAsync(anna, "Podlasie Dairy Tech");
        var polishReference = polishPage.QuerySelector("h1")!.TextContent.Split(' ')[0];
        await using (var c = await fixture.Factory.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO user_regions (user_id, region_code) SELECT id, 'LV008' FROM users WHERE email = @email", new { email = Kadri });
        }

        var kadri = await SignedInAsync(factory, Kadri);
        var home = await kadri.GetDocumentAsync("/work");
        Assert.EndsWith("· EE008, LV008", home.QuerySelector(".who")!.TextContent.Trim(), StringComparison.Ordinal);

        var form = await kadri.GetDocumentAsync("/cases/new");
        var companies = form.QuerySelectorAll("#company option").Select(o => o.TextContent).ToList();
        Assert.Contains("Vidzeme Wood Solutions", companies);
        Assert.Contains("Valga Smart Sensors", companies);
        Assert.DoesNotContain("Podlasie Dairy Tech", companies);
        var (ownLatvian, ownLatvianPage) = await OpenCaseAsync(kadri, "Vidzeme Wood Solutions");
        Assert.StartsWith("LV008-2", ownLatvianPage.QuerySelector("h1")!.TextContent, StringComparison.Ordinal); // the case's region is the lead company's
        var (ownEstonian, ownEstonianPage) = await OpenCaseAsync(kadri, "Valga Smart Sensors");
        Assert.StartsWith("EE008-2", ownEstonianPage.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);

        var ligasCase = await kadri.GetDocumentAsync(latvianCase);
        var done = await CompleteFirstStepAsync(kadri, ligasCase);
        Assert.Equal("First contact", done.QuerySelector("#step-heading")!.TextContent);
        Assert.Equal("First contact", (await CompleteFirstStepAsync(kadri, ownEstonianPage)).QuerySelector("#step-heading")!.TextContent);

        var polish = await kadri.GetAsync(polishCase);
        Assert.NotEqual(HttpStatusCode.OK, polish.StatusCode);
        var list = await kadri.GetDocumentAsync("/cases");
        var work = await kadri.GetDocumentAsync("/work");
        foreach (var url in (string[])[latvianCase, ownLatvian, ownEstonian])
        {
            Assert.NotNull(list.QuerySelector($"a[href='{url}']"));
            Assert.NotNull(work.QuerySelector($"a[href='{url}']"));
        }

        Assert.Null(list.QuerySelector($"a[href='{polishCase}']"));
        Assert.DoesNotContain(polishReference, list.Body!.TextContent, StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteBrokerRegionsTests(SqliteFixture fixture) : BrokerRegionsTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBrokerRegionsTests(PostgresFixture fixture) : BrokerRegionsTests(fixture);
