using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Styles and scripts are linked under content-fingerprinted addresses that browsers keep for a year without asking
/// again; the workflow diagram's 2.7 MB script is not part of a page until the reader opens the diagram.
/// </summary>
public sealed partial class StaticAssetTests : IClassFixture<StaticAssetTests.App>
{
    private const string OneYear = "max-age=31536000";

    private readonly App app;

    public StaticAssetTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    /// <summary>A file name that carries its content's fingerprint: <c>site.sf374wp676.css</c>.</summary>
    [GeneratedRegex(@"^/.+\.[a-z0-9]{8,}\.(css|js|ico)$")]
    private static partial Regex Fingerprinted();

    private HttpClient Client() => app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = Client();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.NotNull((await HtmlForms.ParseAsync(response)).QuerySelector(".who"));
        return client;
    }

    private static List<string> AssetUrls(IHtmlDocument page) =>
        page.QuerySelectorAll("link[href]").Select(l => l.GetAttribute("href")!)
            .Concat(page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .ToList();

    private static async Task AssertCachedForAYearAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cacheControl = response.Headers.CacheControl?.ToString() ?? "";
        Assert.True(cacheControl.Contains(OneYear, StringComparison.Ordinal) && cacheControl.Contains("immutable", StringComparison.Ordinal),
            $"{url} is served with Cache-Control '{cacheControl}', not kept for a year as immutable");
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Every_stylesheet_script_and_icon_of_a_page_has_a_versioned_address_kept_for_a_year()
    {
        var client = Client();
        var page = await client.GetDocumentAsync("/account/sign-in");

        var urls = AssetUrls(page);
        Assert.Contains(urls, u => u.Contains("/css/site.", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Contains("/lib/bootstrap/css/bootstrap.min.", StringComparison.Ordinal));
        foreach (var url in urls)
        {
            Assert.Matches(Fingerprinted(), url);
            await AssertCachedForAYearAsync(client, url);
        }
    }

    [Fact]
    public async Task A_changed_file_gets_a_new_address_while_the_plain_address_is_revalidated()
    {
        var client = Client();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var stylesheet = AssetUrls(page).Single(u => u.Contains("/css/site.", StringComparison.Ordinal));

        var plain = await client.GetAsync("/css/site.css");
        var versioned = await client.GetAsync(stylesheet);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.DoesNotContain(OneYear, plain.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.NotNull(plain.Headers.ETag);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await versioned.Content.ReadAsStringAsync());
        using var again = new HttpRequestMessage(HttpMethod.Get, "/css/site.css");
        again.Headers.IfNoneMatch.Add(plain.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task Stylesheets_and_scripts_are_sent_compressed_to_browsers_that_accept_it()
    {
        var client = Client();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var stylesheet = AssetUrls(page).Single(u => u.Contains("/lib/bootstrap/css/", StringComparison.Ordinal));

        using var request = new HttpRequestMessage(HttpMethod.Get, stylesheet);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        Assert.True(response.Content.Headers.ContentLength < new FileInfo(WebRootFile("lib/bootstrap/css/bootstrap.min.css")).Length / 3,
            "the compressed stylesheet is not much smaller than the file");
    }

    [Fact]
    public async Task The_site_has_an_icon_at_the_usual_address_and_pages_link_it()
    {
        var client = Client();

        var icon = await client.GetAsync("/favicon.ico");
        var page = await client.GetDocumentAsync("/account/sign-in");

        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/x-icon", icon.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, (await icon.Content.ReadAsByteArrayAsync())[..4]);
        var link = page.QuerySelector("link[rel=icon]")?.GetAttribute("href");
        Assert.NotNull(link);
        await AssertCachedForAYearAsync(client, link);
    }

    [Fact]
    public async Task The_case_page_loads_the_diagram_script_only_when_the_diagram_is_opened()
    {
        var broker = await SignedInAsync("broker.lv008@tibs.example");
        var form = await broker.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await broker.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var casePage = await HtmlForms.ParseAsync(opened);

        Assert.DoesNotContain(casePage.QuerySelectorAll("script[src]"), s => s.GetAttribute("src")!.Contains("mermaid", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(casePage.QuerySelectorAll("link[href]"), l => l.GetAttribute("href")!.Contains("mermaid", StringComparison.OrdinalIgnoreCase));
        var diagram = casePage.QuerySelector("details.workflow-diagram");
        Assert.NotNull(diagram);
        Assert.False(diagram.HasAttribute("open"), "the diagram is open before the reader asks for it");
        Assert.Contains("stateDiagram", diagram.QuerySelector("pre.mermaid")!.TextContent, StringComparison.Ordinal);
        var drawer = casePage.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).Single(s => s.Contains("/js/diagram.", StringComparison.Ordinal));
        await AssertCachedForAYearAsync(broker, drawer);
        var mermaid = diagram.GetAttribute("data-mermaid-src")!;
        Assert.Matches(Fingerprinted(), mermaid);
        Assert.Contains("/lib/mermaid/mermaid.min.", mermaid, StringComparison.Ordinal);
        await AssertCachedForAYearAsync(broker, mermaid);
    }

    [Fact]
    public async Task The_accessibility_checker_used_by_the_browser_tests_is_not_served()
    {
        Assert.True(File.Exists(WebRootFile("lib/axe-core/axe.min.js")), "axe-core is not vendored in wwwroot/lib/axe-core");

        var response = await Client().GetAsync("/lib/axe-core/axe.min.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string WebRootFile(string path)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TIBS.Cases.sln")))
            {
                return Path.Combine(dir.FullName, "src", "TIBS.Cases.Web", "wwwroot", path);
            }
        }

        throw new InvalidOperationException("TIBS.Cases.sln not found above " + AppContext.BaseDirectory);
    }
}
