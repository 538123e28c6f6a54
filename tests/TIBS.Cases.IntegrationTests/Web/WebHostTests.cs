using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The web application on the embedded default: start-up, health, sign-in.</summary>
public sealed class WebHostTests : IClassFixture<WebHostTests.App>
{
    private readonly App app;

    public WebHostTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    private static async Task SignInAsync(HttpClient client, string email)
    {
        var page = await client.GetDocumentAsync("/account/sign-in");
        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
        Assert.NotEqual("/account/sign-in", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private HttpClient NewClient() => app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });

    [Fact]
    public async Task Anonymous_health_answers_only_the_status()
    {
        var response = await NewClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"Healthy"}""", (await response.Content.ReadAsStringAsync()).Replace(" ", "", StringComparison.Ordinal).ReplaceLineEndings(""));
    }

    [Fact]
    public async Task Health_shows_administrators_a_reachable_database_with_an_up_to_date_schema()
    {
        var client = NewClient();
        await SignInAsync(client, "admin@tibs.example");
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var db = json.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Sqlite", db.GetProperty("data").GetProperty("provider").GetString());
        Assert.Equal(0, db.GetProperty("data").GetProperty("pendingScripts").GetInt32());
        Assert.Equal(14, db.GetProperty("data").GetProperty("users").GetInt32());
    }

    [Fact]
    public async Task The_sign_in_page_has_labelled_fields_and_an_antiforgery_token()
    {
        var page = await NewClient().GetDocumentAsync("/account/sign-in");

        Assert.Equal("Sign in · TIBS.Cases", page.Title);
        Assert.NotNull(page.QuerySelector("label[for=Email]"));
        Assert.NotNull(page.QuerySelector("label[for=Password]"));
        Assert.False(string.IsNullOrEmpty(page.QuerySelector("main form input[name=__RequestVerificationToken]")?.GetAttribute("value")));
    }

    [Fact]
    public async Task A_demo_broker_signs_in_and_out()
    {
        var client = NewClient();
        var page = await client.GetDocumentAsync("/account/sign-in");

        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = "broker.lv008@tibs.example",
            ["Password"] = TibsWebFactory.DemoPassword,
        });
        var home = await HtmlForms.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/work", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Līga Bērziņa", home.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("LV008", home.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);

        var signedOut = await client.SubmitAsync(home, "/", new Dictionary<string, string>(), "header form");
        var after = await HtmlForms.ParseAsync(signedOut);
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Null(after.QuerySelector(".who"));
        Assert.NotNull(after.QuerySelector("a[href='/account/sign-in']"));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_the_email_kept()
    {
        var client = NewClient();
        var page = await client.GetDocumentAsync("/account/sign-in");

        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string>
        {
            ["Email"] = "coordinator@tibs.example",
            ["Password"] = "not-the-password",
        });
        var result = await HtmlForms.ParseAsync(response);

        Assert.Equal("The e-mail address or password is not correct.", result.QuerySelector(".alert.error")!.TextContent.Trim());
        Assert.Equal("coordinator@tibs.example", result.QuerySelector("input[name=Email]")!.GetAttribute("value"));
        Assert.Null(result.QuerySelector(".who"));
    }

    [Fact]
    public async Task Empty_fields_get_a_message_each()
    {
        var client = NewClient();
        var page = await client.GetDocumentAsync("/account/sign-in");

        var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = "", ["Password"] = "" });
        var result = await HtmlForms.ParseAsync(response);

        Assert.Equal("Enter your e-mail address.", result.QuerySelector("[data-valmsg-for=Email]")!.TextContent.Trim());
        Assert.Equal("Enter your password.", result.QuerySelector("[data-valmsg-for=Password]")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var response = await NewClient().PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "admin@tibs.example",
            ["Password"] = TibsWebFactory.DemoPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_addresses_answer_404_with_the_site_layout()
    {
        var response = await NewClient().GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await HtmlForms.ParseAsync(response);
        Assert.Equal("Not found", page.QuerySelector("h1")!.TextContent);
    }
}

/// <summary>Bad configuration stops start-up with a message that names the setting.</summary>
public sealed class StartupConfigurationTests
{
    /// <summary>Builds and starts the real application with command-line settings, as `dotnet run -- --Key=value` would.</summary>
    private static string StartupFailure(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Audit:SigningKeyFile", TestAuditKeyFile.Value);
        return KeyRingStartupTests.StartupFailure([
            .. settings.Select(kv => $"--{kv.Key}={kv.Value}"), "--urls=http://127.0.0.1:0", "--environment=Testing",
            $"--DataProtection:KeyFile={TibsWebFactory.NewKeyFile()}"]);
    }

    private static readonly Lazy<string> TestAuditKeyFile = new(() =>
    {
        var file = Path.Combine(Path.GetTempPath(), "tibs-tests", $"audit_key_{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, TIBS.Cases.Core.Audit.AuditKeyRing.NewPrivateKeyPem());
        return file;
    });

    [Fact]
    public void Outside_development_a_server_database_without_an_audit_signing_key_refuses_to_start_naming_the_setting()
    {
        var message = StartupFailure(new()
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=tibs;Username=tibs;Password=x;Timeout=2",
            ["Audit:SigningKeyFile"] = "",
        });

        Assert.StartsWith("Audit:SigningKeyFile is required outside Development", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audit_signing_key_file_that_is_not_a_key_is_refused()
    {
        var file = Path.Combine(Path.GetTempPath(), "tibs-tests", $"not_a_key_{Guid.NewGuid():N}.pem");
        File.WriteAllText(file, "hello");

        var message = StartupFailure(new() { ["Audit:SigningKeyFile"] = file });

        Assert.StartsWith($"Audit:SigningKeyFile: '{file}' is not a readable ECDSA P-256 key in PEM form", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_names_Database_Provider_and_the_choices()
    {
        var message = StartupFailure(new() { ["Database:Provider"] = "Oracle" });

        Assert.Contains("Database:Provider has the value 'Oracle', which is not one of Sqlite, Postgres, SqlServer.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_provider_without_a_connection_string_names_Database_ConnectionString()
    {
        var message = StartupFailure(new() { ["Database:Provider"] = "SqlServer", ["Database:ConnectionString"] = "" });

        Assert.Contains("Database:ConnectionString is required when Database:Provider is SqlServer.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_reported()
    {
        var message = StartupFailure(new() { ["Database:Provider"] = "Postgres", ["Database:ConnectionString"] = "Hots=nowhere;Colour=blue" });

        Assert.Contains("Database:ConnectionString is not a valid Postgres connection string", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_server_names_the_server_and_the_setting()
    {
        var message = StartupFailure(new()
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=tibs;Username=tibs;Password=x;Timeout=2",
            ["Database:StartupRetrySeconds"] = "0",
        });

        Assert.Contains("Cannot connect to the PostgreSQL database 'tibs' on 127.0.0.1:1 set in Database:ConnectionString", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_exits_with_code_1_and_prints_the_reason()
    {
        var error = new StringWriter();
        var original = Console.Error;
        int code;
        try
        {
            Console.SetError(error);
            code = await Program.Main(["--Database:Provider=Access", "--urls=http://127.0.0.1:0"]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, code);
        Assert.Contains("TIBS.Cases could not start: Database:Provider has the value 'Access'", error.ToString(), StringComparison.Ordinal);
    }
}
