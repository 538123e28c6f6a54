using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.IntegrationTests.Web;

namespace TIBS.Cases.IntegrationTests.Api;

/// <summary>The OpenAPI document describes every endpoint of the API and is valid; its reference page is for signed-in users.</summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.App app) : IClassFixture<OpenApiDocumentTests.App>
{
    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    [Fact]
    public async Task The_document_is_valid_OpenAPI_3_1_and_describes_every_mapped_api_endpoint_with_its_security_and_errors()
    {
        var response = await app.Factory.ApiClient(null).GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();

        var read = OpenApiDocument.Parse(json, "json");

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        var document = read.Document!;
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        var scheme = Assert.Single(document.Components!.SecuritySchemes!);
        Assert.Equal(SecuritySchemeType.Http, scheme.Value.Type);
        Assert.Equal("bearer", scheme.Value.Scheme);
        Assert.NotEmpty(document.Security!);
        Assert.Contains("ProblemDetails", document.Components.Schemas!.Keys);
        Assert.Contains("HttpValidationProblemDetails", document.Components.Schemas.Keys);

        var endpoints = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: Normalize(e.RoutePattern.RawText!), Method: m)))
            .ToList();
        Assert.True(endpoints.Count >= 8, $"Only {endpoints.Count} API endpoints are mapped.");
        foreach (var (path, method) in endpoints)
        {
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{method} {path} is not in the document.");
            var operation = Assert.Single(item!.Operations!, o => o.Key.Method == method).Value;
            Assert.False(string.IsNullOrWhiteSpace(operation.Summary), $"{method} {path} has no summary.");
            Assert.True(operation.Responses!.ContainsKey("401"), $"{method} {path} does not describe its 401.");
            Assert.True(operation.Responses.ContainsKey("429"), $"{method} {path} does not describe its 429.");
            Assert.Contains(operation.Responses, r => r.Key.StartsWith('2'));
        }

        var markRead = document.Paths["/api/v1/notifications/{id}/read"].Operations![HttpMethod.Post];
        Assert.Equal("application/problem+json", Assert.Single(markRead.Responses!["404"].Content!).Key);
        Assert.True(markRead.Responses.ContainsKey("403"));

        var complete = document.Paths["/api/v1/cases/{id}/steps/current/complete"].Operations![HttpMethod.Post];
        Assert.True(complete.Responses!.ContainsKey("412") && complete.Responses.ContainsKey("428") && complete.Responses.ContainsKey("422"));
        Assert.NotEmpty(document.Components.Schemas["CompleteStepBody"].Examples!);
        Assert.Contains("application/octet-stream", document.Paths["/api/v1/cases/{id}/attachments/{attachmentId}"].Operations![HttpMethod.Get].Responses!["200"].Content!.Keys);
    }

    [Fact]
    public async Task The_reference_page_is_for_signed_in_users_and_its_script_comes_from_this_site()
    {
        var anonymous = await app.Factory.ApiClient(null).GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/account/sign-in", anonymous.Headers.Location!.AbsolutePath);

        var browser = await CaseForms.SignedInAsync(app.Factory, "broker.fi19@tibs.example");
        var page = await browser.GetAsync("/scalar/v1");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"scalar.js\"", html, StringComparison.Ordinal);
        var script = await browser.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.Ordinal);
        var nonce = page.Headers.GetValues("Content-Security-Policy").Single().Split("'nonce-")[1].Split('\'')[0];
        // The page may write the nonce HTML-encoded ('+' as &#x2B;); the browser reads the attribute decoded.
        Assert.Contains($"nonce=\"{nonce}\"", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    /// <summary>A route pattern as OpenAPI writes it: constraints dropped (<c>{id:guid}</c> → <c>{id}</c>).</summary>
    private static string Normalize(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern.TrimEnd('/'), @"\{([^}:?]+)[^}]*\}", "{$1}");
}
