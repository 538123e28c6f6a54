using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Every route of the route table, anonymously and as every role, gets malformed requests (broken field names, unknown
/// handlers, control characters, oversize values, the page's own forms filled with hostile values): none may answer
/// 5xx, and every 4xx says in words what is wrong. The job dashboard's pages are tried as administrator.
/// </summary>
public abstract partial class MalformedRequestTests(DatabaseFixture fixture, ITestOutputHelper output)
{
    private const string Anonymous = "anonymous";

    private static readonly (string Role, string? Email)[] Roles =
    [
        (Anonymous, null),
        ("broker", "broker.pl84@tibs.example"),
        ("coordinator", "coordinator@tibs.example"),
        ("evaluator", "evaluator@tibs.example"),
        ("administrator", "admin@tibs.example"),
    ];

    /// <summary>
    /// Hostile texts as UTF-8 bytes: NUL, another C0 control, NEL (C1), a lone surrogate, an overlong NUL, and a text
    /// far over any field's limit (but under the size of a form).
    /// </summary>
    private static readonly (string Name, byte[] Bytes)[] HostileTexts =
    [
        ("NUL", [0x00]),
        ("U+0001", [0x01]),
        ("U+0085", [0xC2, 0x85]),
        ("lone surrogate", [0xED, 0xA0, 0x80]),
        ("overlong NUL", [0xC0, 0x80]),
        ("50,000 characters", Encoding.ASCII.GetBytes(new string('x', 50_000))),
    ];

    /// <summary>Percent-encoding of every byte but letters and digits.</summary>
    private static string Encoded(byte[] bytes, int maxBytes = int.MaxValue) =>
        string.Concat(bytes.Take(maxBytes).Select(b => char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}"));

    /// <summary>Names of the filters and fields that pages read from the query string or a form.</summary>
    private static readonly string[] FieldNames =
    [
        "q", "stage", "step", "status", "region", "broker", "overdue", "after", "country", "s3", "nace", "minScore", "size",
        "company", "title", "ReturnUrl", "code", "body", "reason", "action", "outcome", "version", "Email", "Password",
        "Input.Name", "Input.Contacts[0].Name", "Yaml", "checkIn", "occurrence", "participantId", "notificationId", "from", "count",
        "draftForm", "discardDraft", "forStep",
    ];

    private static readonly string[] DashboardPages =
    [
        "/jobs", "/jobs/stats", "/jobs/recurring", "/jobs/servers", "/jobs/retries", "/jobs/jobs/enqueued", "/jobs/jobs/scheduled",
        "/jobs/jobs/processing", "/jobs/jobs/succeeded", "/jobs/jobs/failed", "/jobs/jobs/deleted", "/jobs/jobs/awaiting",
        "/jobs/jobs/enqueued/fetched/default", "/jobs/jobs/details/1", "/jobs/jobs/details/%01", "/jobs/queues",
        "/jobs/jobs/succeeded?from=%00&count=-1", "/jobs/jobs/failed?from=99999999999999999999&count=x",
    ];

    [GeneratedRegex(@"[A-Za-z]{3,} [A-Za-z]{2,} [A-Za-z]{2,}")]
    private static partial Regex Sentence();

    [SkippableFact]
    public async Task No_malformed_request_to_any_route_answers_5xx()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var ids = await SeedAsync(factory);
        var routes = PageRoutes(factory);
        Assert.Equal(RouteAccessTests.Rules.Keys.Where(r => !RouteAccessTests.NotPages.Contains(r)).Order(StringComparer.Ordinal), routes.Order(StringComparer.Ordinal));

        var failures = new List<string>();
        var tried = 0;
        foreach (var (role, email) in Roles)
        {
            var client = await ClientAsync(factory, email);
            var token = await AntiforgeryTokenAsync(client);
            foreach (var route in routes.Where(r => r != "/account/sign-out"))
            {
                var url = route.Replace("{id:guid}", route.StartsWith("/companies", StringComparison.Ordinal) ? ids.Company : ids.Case, StringComparison.Ordinal)
                    .Replace("{key}", "joint-smart-strategy", StringComparison.Ordinal)
                    .Replace("{number}", "1", StringComparison.Ordinal);
                foreach (var (name, request) in Requests(url, token))
                {
                    tried++;
                    await CheckAsync(client, request(), $"{role} {name}", failures);
                }

                foreach (var (name, request) in await FormsWithHostileValuesAsync(client, url))
                {
                    tried++;
                    await CheckAsync(client, request(), $"{role} {name}", failures);
                }
            }

            // Signing out last: the malformed sign-out requests must not fail either.
            foreach (var (name, request) in Requests("/account/sign-out", token))
            {
                tried++;
                await CheckAsync(client, request(), $"{role} {name}", failures);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} requests failed:\n" + string.Join("\n", failures.Take(40)));
        Assert.True(tried > routes.Count * Roles.Length * 40, $"only {tried} requests were tried");
        output.WriteLine($"{fixture.Provider}: {routes.Count} routes, {tried} malformed requests over {Roles.Length} roles (anonymous included), 0 answered 5xx.");
    }

    [SkippableFact]
    public async Task Every_page_of_the_job_dashboard_answers_an_administrator()
    {
        fixture.EnsureAvailable();
        await fixture.ResetAsync();
        using var factory = TibsWebFactory.For(fixture);
        var client = await ClientAsync(factory, "admin@tibs.example");
        var failures = new List<string>();

        foreach (var page in DashboardPages)
        {
            await CheckAsync(client, new HttpRequestMessage(HttpMethod.Get, page), $"GET {page}", failures);
            await CheckAsync(client, new HttpRequestMessage(HttpMethod.Post, page) { Content = new StringContent("{}", Encoding.UTF8, "application/json") }, $"POST json {page}", failures);
            await CheckAsync(client, new HttpRequestMessage(HttpMethod.Post, page) { Content = Form(("a[", "1"), ("metrics[]", "%00")) }, $"POST a[ {page}", failures);
        }

        var stats = await client.GetAsync("/jobs/stats");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal("application/json", stats.Content.Headers.ContentType?.MediaType);
    }

    [SkippableFact]
    public async Task The_error_page_appears_when_the_database_is_gone()
    {
        fixture.EnsureAvailable();
        var connectionString = await fixture.CreateEmptyDatabaseAsync();
        using var factory = TibsWebFactory.For(fixture, new Dictionary<string, string?> { ["Database:ConnectionString"] = connectionString });
        var client = await ClientAsync(factory, "broker.pl84@tibs.example");

        await DropAsync(fixture, connectionString);
        var page = await client.GetAsync("/cases");
        var missing = await client.GetAsync("/no-such-page");
        var malformed = await client.PostAsync("/account/sign-in", Form(("a[", "1")));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Contains("<h1>Something went wrong</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Nothing you entered before this page was lost.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.True(missing.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError, $"{(int)missing.StatusCode}");
        Assert.Contains("<h1>", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((int)malformed.StatusCode is 400 or 500, $"{(int)malformed.StatusCode}");
        Assert.Matches(Sentence(), await malformed.Content.ReadAsStringAsync());
    }

    /// <summary>The malformed requests every route gets.</summary>
    private static IEnumerable<(string Name, Func<HttpRequestMessage> Request)> Requests(string url, string token)
    {
        HttpRequestMessage Get(string query) => new(HttpMethod.Get, url + query);
        HttpRequestMessage Post(string query, params (string Key, string Value)[] fields) =>
            new(HttpMethod.Post, url + query) { Content = Form([.. fields, ("__RequestVerificationToken", token)]) };
        HttpRequestMessage PostRaw(string query, string body) =>
            new(HttpMethod.Post, url + query) { Content = new StringContent(body + "&__RequestVerificationToken=" + Uri.EscapeDataString(token), Encoding.ASCII, "application/x-www-form-urlencoded") };

        var longKey = new string('k', 5000);
        yield return ($"GET {url}", () => Get(""));
        yield return ($"GET {url}?a[", () => Get("?a[=1"));
        yield return ($"GET {url}?]&[[", () => Get("?]=1&[[=2&a]b[=3"));
        yield return ($"GET {url} long key", () => Get($"?{longKey}=1"));
        yield return ($"GET {url}?handler=nope", () => Get("?handler=nope"));
        yield return ($"GET {url}?handler=odd", () => Get("?handler=%3Cscript%3E%2F..%5C%22"));
        yield return ($"GET {url}?handler=NUL", () => Get("?handler=%00"));
        yield return ($"HEAD {url}", () => new HttpRequestMessage(HttpMethod.Head, url));
        yield return ($"PUT {url}", () => new HttpRequestMessage(HttpMethod.Put, url) { Content = Form(("a", "1")) });
        foreach (var (name, bytes) in HostileTexts)
        {
            var text = Encoded(bytes, 1500);
            yield return ($"GET {url} {name} in every filter", () => Get("?" + string.Join("&", FieldNames.Select(f => $"{Uri.EscapeDataString(f)}={text}"))));
            if (bytes[0] != 0)
            {
                // (A NUL in the path is refused by the server before the application: Kestrel answers 400, and the
                // in-memory test server cannot even carry it.)
                yield return ($"GET {url} {name} in the path", () => new HttpRequestMessage(HttpMethod.Get, url.TrimEnd('/') + "/" + text));
            }
        }

        yield return ($"POST {url} a[ without token", () => new HttpRequestMessage(HttpMethod.Post, url) { Content = Form(("a[", "1")) });
        yield return ($"POST {url} a[", () => Post("", ("a[", "1")));
        yield return ($"POST {url} ]", () => Post("", ("]", "1")));
        yield return ($"POST {url} [[", () => Post("", ("[[", "1")));
        yield return ($"POST {url} a]b[ and x[0", () => Post("", ("a]b[", "1"), ("x[0", "2"), ("Input.Contacts[", "3")));
        yield return ($"POST {url} long key", () => Post("", (longKey, "1")));
        yield return ($"POST {url} 3,000 keys", () => PostRaw("", string.Join("&", Enumerable.Range(0, 3000).Select(i => $"k{i}=v"))));
        yield return ($"POST {url} malformed body", () => PostRaw("", "%%%=&=&&==%ZZ"));
        yield return ($"POST {url} no handler", () => Post(""));
        yield return ($"POST {url} unknown handler", () => Post("?handler=nope"));
        yield return ($"POST {url} handler odd", () => Post("?handler=%3Cscript%3E%2F..%5C%22"));
        yield return ($"POST {url} handler in form", () => Post("", ("handler", "nope")));
        yield return ($"POST {url} handler NUL", () => Post("", ("handler", "\0")));
        yield return ($"POST {url} multipart a[", () => new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new MultipartFormDataContent { { new StringContent("1"), "a[" }, { new StringContent(token), "__RequestVerificationToken" } },
        });
        yield return ($"POST {url} json", () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{\"a[\":1}", Encoding.UTF8, "application/json") });
        yield return ($"POST {url} 3 MB", () => Post("", ("body", new string('x', 3 * 1024 * 1024))));
        foreach (var (name, bytes) in HostileTexts)
        {
            var text = Encoded(bytes);
            yield return ($"POST {url} {name} in every field", () => PostRaw("", string.Join("&", FieldNames.Select(f => $"{Uri.EscapeDataString(f)}={text}"))));
            yield return ($"POST {url} {name} in a field name", () => PostRaw("", $"a{Encoded(bytes, 100)}=1"));
        }
    }

    /// <summary>Every form the page shows this user, posted with each hostile text in every text field it has.</summary>
    private static async Task<IEnumerable<(string Name, Func<HttpRequestMessage> Request)>> FormsWithHostileValuesAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
        {
            return [];
        }

        var page = await HtmlForms.ParseAsync(response);
        var requests = new List<(string, Func<HttpRequestMessage>)>();
        var forms = page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
            .Where(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase) && !(f.GetAttribute("action") ?? "").Contains("sign-out", StringComparison.OrdinalIgnoreCase));
        // Each form goes to its own action with its first named button, and to the action of every button that posts
        // it elsewhere (formaction, such as "Save draft") with that button.
        var targets = forms.SelectMany(f => new[] { (Form: f, Action: f.GetAttribute("action") is { Length: > 0 } a ? a : url, Button: f.QuerySelector("button[name]")) }
            .Concat(f.QuerySelectorAll("button[formaction]").Select(b => (Form: f, Action: b.GetAttribute("formaction")!, Button: (AngleSharp.Dom.IElement?)b))));
        foreach (var ((form, action, button), n) in targets.Select((t, i) => (t, i)))
        {
            var fields = form.Elements.Select(e => (e.GetAttribute("name"), e)).Where(p => !string.IsNullOrEmpty(p.Item1)).ToList();
            var buttons = button?.GetAttribute("name") is { } buttonName ? new List<(string, string)> { (buttonName, button.GetAttribute("value") ?? "") } : [];
            var token = fields.FirstOrDefault(f => f.Item1 == "__RequestVerificationToken").e?.GetAttribute("value") ?? "";
            requests.Add(($"POST form {n} of {url} to {action} with no fields", () =>
                new HttpRequestMessage(HttpMethod.Post, action) { Content = Form(("__RequestVerificationToken", token)) }));
            requests.Add(($"POST form {n} of {url} to {action} with every field empty", () =>
                new HttpRequestMessage(HttpMethod.Post, action)
                {
                    Content = Form([.. fields.Select(f => (f.Item1!, f.Item1 == "__RequestVerificationToken" ? token : "")), .. buttons]),
                }));
            foreach (var (name, value) in HostileTexts)
            {
                requests.Add(($"POST form {n} of {url} to {action} with {name}", () =>
                {
                    var content = new MultipartFormDataContent();
                    foreach (var (field, element) in fields)
                    {
                        var kept = field == "__RequestVerificationToken" ? element.GetAttribute("value") ?? ""
                            : element is IHtmlInputElement { Type: "hidden" or "checkbox" or "radio" or "file" } input ? input.Value
                            : null;
                        content.Add(kept is null ? new ByteArrayContent(value) : new StringContent(kept), field!);
                    }

                    foreach (var (b, v) in buttons)
                    {
                        content.Add(new StringContent(v), b);
                    }

                    return new HttpRequestMessage(HttpMethod.Post, action) { Content = content };
                }
                ));
            }
        }

        return requests;
    }

    private static async Task CheckAsync(HttpClient client, HttpRequestMessage request, string name, List<string> failures)
    {
        var description = name.Length > 200 ? name[..200] + "…" : name;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failures.Add($"{description}: {ex.GetType().Name} {ex.Message}");
            return;
        }

        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            failures.Add($"{description}: {status}");
        }
        else if (status >= 400 && request.Method != HttpMethod.Head && (!Sentence().IsMatch(body) || body.Contains("Exception", StringComparison.Ordinal)))
        {
            failures.Add($"{description}: {status} without a plain message: {(body.Length > 200 ? body[..200] : body)}");
        }
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static IReadOnlyList<string> PageRoutes(TibsWebFactory factory) =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(r => r != "/Index")
            .Distinct()];

    private static async Task<HttpClient> ClientAsync(TibsWebFactory factory, string? email)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (email is not null)
        {
            var page = await client.GetDocumentAsync("/account/sign-in");
            var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        return client;
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var page = await client.GetDocumentAsync("/account/sign-in");
        return page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    /// <summary>A case of the Polish broker (with the demo companies) and a company, to put real ids into the routes.</summary>
    private static async Task<(string Case, string Company)> SeedAsync(TibsWebFactory factory)
    {
        var client = await CaseForms.SignedInAsync(factory, "broker.pl84@tibs.example");
        var form = await client.GetDocumentAsync("/cases/new");
        var company = form.QuerySelectorAll("#company option").Select(o => o.GetAttribute("value")).First(v => !string.IsNullOrEmpty(v))!;
        var response = await client.SubmitAsync(form, "/cases/new", new Dictionary<string, string> { ["company"] = company, ["title"] = "" });
        var caseId = response.RequestMessage!.RequestUri!.AbsolutePath.Split('/')[^1];
        Assert.True(Guid.TryParse(caseId, out _), $"no case was opened: {response.RequestMessage.RequestUri}");
        return (caseId, company);
    }

    private static async Task DropAsync(DatabaseFixture fixture, string connectionString)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (fixture.Provider == TIBS.Cases.Data.DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            foreach (var f in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(f);
            }

            return;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        await using var connection = new Npgsql.NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        // FORCE may not end a server's own worker (autovacuum) on the new database: 42501 until it finishes; try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == "42501" && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteMalformedRequestTests(SqliteFixture fixture, ITestOutputHelper output) : MalformedRequestTests(fixture, output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresMalformedRequestTests(PostgresFixture fixture, ITestOutputHelper output) : MalformedRequestTests(fixture, output);
