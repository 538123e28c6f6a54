using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// What every response carries (security headers, a Content-Security-Policy without inline script), forwarded
/// headers believed only from known proxies (Secure cookies, HSTS), and the Origin check of posts.
/// </summary>
public sealed partial class HttpHardeningTests : IClassFixture<HttpHardeningTests.App>
{
    private const string Proxy = "10.0.0.5";
    private const string Stranger = "203.0.113.9";
    private const string PublicHost = "cases.tibs.example";

    private readonly App app;

    public HttpHardeningTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = Proxy,
            ["ForwardedHeaders:KnownNetworks:0"] = "172.30.0.0/16",
        });

        public void Dispose() => Factory.Dispose();
    }

    [GeneratedRegex(@"'nonce-([^']+)'")]
    private static partial Regex Nonce();

    private HttpClient Client(bool redirects = true) =>
        app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = redirects, HandleCookies = true });

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = Client();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.NotNull((await HtmlForms.ParseAsync(response)).QuerySelector(".who"));
        return client;
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string url)
    {
        var csp = Header(response, "Content-Security-Policy");
        Assert.True(csp is not null, $"{url} has no Content-Security-Policy");
        foreach (var directive in new[] { "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'" })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Contains("geolocation=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), $"{url} names its server");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var v) ? string.Join(", ", v)
        : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : null;

    private static string ScriptSources(string csp) => csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));

    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/account/sign-in", HttpStatusCode.OK)]
    [InlineData("/css/site.css", HttpStatusCode.OK)]
    [InlineData("/lib/mermaid/mermaid.min.js", HttpStatusCode.OK)]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/no/such/page", HttpStatusCode.NotFound)]
    [InlineData("/cases", HttpStatusCode.Redirect)]
    public async Task Anonymous_responses_carry_the_security_headers(string url, HttpStatusCode expected)
    {
        var response = await Client(redirects: false).GetAsync(url);

        Assert.Equal(expected, response.StatusCode);
        AssertSecurityHeaders(response, url);
        Assert.DoesNotContain("unsafe-inline", ScriptSources(Header(response, "Content-Security-Policy")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_pages_carry_the_headers_and_no_inline_script_runs_without_the_nonce()
    {
        var broker = await SignedInAsync("broker.lv008@tibs.example");
        var form = await broker.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").First(o => o.TextContent == "Vidzeme Wood Solutions").GetAttribute("value")!;
        var opened = await broker.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var casePage = opened.RequestMessage!.RequestUri!.AbsolutePath;
        var coordinator = await SignedInAsync("coordinator@tibs.example");
        var pages = new (HttpClient Client, string Url)[]
        {
            (broker, "/"), (broker, "/work"), (broker, "/cases"), (broker, casePage), (broker, "/companies"), (broker, "/notifications"),
            (broker, "/account/preferences"), (broker, "/account/profile"), (coordinator, "/definitions"), (coordinator, "/definitions/joint-smart-strategy/v1"),
            (coordinator, "/definitions/joint-smart-strategy/draft"), (Client(), "/account/sign-in"), (Client(), "/no/such/page"),
        };

        var scripts = 0;
        foreach (var (client, url) in pages)
        {
            var response = await client.GetAsync(url);
            AssertSecurityHeaders(response, url);
            var csp = Header(response, "Content-Security-Policy")!;
            Assert.DoesNotContain("unsafe-inline", ScriptSources(csp), StringComparison.Ordinal);
            var nonce = Nonce().Match(csp).Groups[1].Value;
            var html = await HtmlForms.ParseAsync(response);
            foreach (var script in html.QuerySelectorAll("script"))
            {
                scripts++;
                Assert.True(script.HasAttribute("src") || script.GetAttribute("nonce") == nonce, $"{url} has an inline script without this response's nonce");
            }

            var handlers = html.All.SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => a.Name).ToList();
            Assert.True(handlers.Count == 0, $"{url} has inline event handlers: {string.Join(", ", handlers)}");
            Assert.DoesNotContain(html.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        }

        Assert.True(scripts > 0, "the diagram pages load their scripts");
        Assert.NotEqual(
            Nonce().Match(Header(await broker.GetAsync("/"), "Content-Security-Policy")!).Groups[1].Value,
            Nonce().Match(Header(await broker.GetAsync("/"), "Content-Security-Policy")!).Groups[1].Value);
    }

    [Fact]
    public async Task The_jobs_dashboard_gets_a_policy_it_works_with_that_still_forbids_framing()
    {
        var admin = await SignedInAsync("admin@tibs.example");

        var response = await admin.GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response, "/jobs");
        Assert.Contains("script-src 'self' 'unsafe-inline'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Proxy)]
    [InlineData("172.30.4.2")]
    public async Task Behind_a_known_proxy_https_gives_secure_cookies_and_hsts(string proxy)
    {
        // The proxy speaks plain HTTP to the app; the browser spoke HTTPS to the proxy. The test carries the cookies
        // itself, since a cookie jar would rightly not send Secure cookies over http://.
        var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.BaseAddress = new Uri($"http://{PublicHost}/");
        client.DefaultRequestHeaders.Add(TibsWebFactory.PeerHeader, proxy);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");

        var form = await client.GetAsync("/account/sign-in");
        var (signedIn, _) = await client.SignInWithoutCookieJarAsync("broker.dk03@tibs.example", TibsWebFactory.DemoPassword);

        Assert.Equal("max-age=31536000; includeSubDomains", Header(form, "Strict-Transport-Security"));
        Assert.Contains(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tibs.af=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tibs.auth=", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_sender_are_ignored()
    {
        var client = Client(redirects: false);
        client.BaseAddress = new Uri($"http://{PublicHost}/");
        client.DefaultRequestHeaders.Add(TibsWebFactory.PeerHeader, Stranger);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var form = await client.GetAsync("/account/sign-in");

        Assert.Null(Header(form, "Strict-Transport-Security"));
        Assert.Contains(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tibs.af=", StringComparison.Ordinal) && !c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://localhost:8080")]
    [InlineData("Referer", "https://evil.example/phish.html")]
    public async Task A_post_from_another_site_is_refused_with_a_plain_message(string header, string value)
    {
        var client = Client();
        var page = await client.GetDocumentAsync("/account/sign-in");
        client.DefaultRequestHeaders.Add(header, value);

        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = "admin@tibs.example", ["Password"] = TibsWebFactory.DemoPassword });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("This form was sent from another site and was refused. Open the page on this site and send the form again.", await response.Content.ReadAsStringAsync());
        AssertSecurityHeaders(response, "/account/sign-in");
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("Origin", "http://localhost", null)]
    [InlineData("Referer", "http://localhost/account/sign-in", null)]
    [InlineData("Origin", "https://" + PublicHost, Proxy)]
    public async Task A_post_from_this_site_or_without_origin_goes_through(string? header, string? value, string? proxy)
    {
        var client = Client();
        if (proxy is not null)
        {
            // The proxy reaches the app under an internal name and says which host the browser used.
            client.BaseAddress = new Uri("https://tibs-web:8443/");
            client.DefaultRequestHeaders.Add(TibsWebFactory.PeerHeader, proxy);
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            client.DefaultRequestHeaders.Add("X-Forwarded-Host", PublicHost);
        }

        var page = await client.GetDocumentAsync("/account/sign-in");
        if (header is not null)
        {
            client.DefaultRequestHeaders.Add(header, value);
        }

        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = "evaluator@tibs.example", ["Password"] = TibsWebFactory.DemoPassword });

        Assert.NotNull((await HtmlForms.ParseAsync(response)).QuerySelector(".who"));
    }
}
