using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TIBS.Cases.Core.Accounts;
using TIBS.Cases.Core.Cases;
using TIBS.Cases.Data;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Testing;
using TIBS.Cases.Workflows.Definitions;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Who may read <c>/metrics</c> (administrators, a bearer token, or anyone on its own port), liveness, readiness with a
/// mail server configured, and the log records of a request: its request id (the one the error page shows), the user's
/// id and the case's id, never the user's e-mail address or name.
/// </summary>
public sealed class ObservabilityEndpointTests
{
    private static HttpClient Anonymous(TibsWebFactory factory, string baseAddress = "http://localhost") =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(baseAddress) });

    [Fact]
    public async Task Metrics_are_refused_to_anonymous_callers_and_to_other_roles_and_shown_to_administrators()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });

        var anonymous = await Anonymous(factory).GetAsync("/metrics");
        var broker = await (await factory.SignedInAsync("broker.lv008@tibs.example")).GetAsync("/metrics");
        var administrator = await factory.SignedInAsync("admin@tibs.example");
        await administrator.GetAsync("/health/ready"); // readiness reads the dispatch lag
        var admin = await MetricsScrape.ReadAsync(administrator);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("tibs_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, broker.StatusCode);
        Assert.Contains("# TYPE tibs_reminders_dispatch_lag_seconds gauge", admin.Text, StringComparison.Ordinal);
        Assert.Equal(0, admin.Value("tibs_reminders_dispatch_lag_seconds"));
    }

    [Fact]
    public async Task A_scraper_with_the_configured_token_reads_the_metrics_and_one_without_it_is_refused()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["Metrics:Token"] = "scrape-2026-secret" });
        var scraper = Anonymous(factory);
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-2026-secret");
        var guesser = Anonymous(factory);
        guesser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-2026-guess");

        var health = await scraper.GetAsync("/health/ready");
        var scrape = await MetricsScrape.ReadAsync(scraper);
        var refused = await guesser.GetAsync("/metrics");

        Assert.True(scrape.Has("tibs_reminders_dispatch_lag_seconds"), scrape.Text);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("checks", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_its_own_port_the_metrics_answer_anyone_and_elsewhere_they_are_not_found()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["Metrics:Port"] = "9464" });

        await Anonymous(factory).GetAsync("/health/ready");
        var onItsPort = await MetricsScrape.ReadAsync(Anonymous(factory, "http://localhost:9464"));
        var elsewhere = await Anonymous(factory).GetAsync("/metrics");

        Assert.True(onItsPort.Has("tibs_reminders_dispatch_lag_seconds"), onItsPort.Text);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Readiness_with_a_mail_server_configured_is_ready_while_it_accepts_connections_and_names_it_to_administrators_when_it_does_not()
    {
        var mailServer = new TcpListener(IPAddress.Loopback, 0);
        mailServer.Start();
        var port = ((IPEndPoint)mailServer.LocalEndpoint).Port;
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?>
        {
            ["Jobs:RunServer"] = "false",
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Health:Token"] = "monitor-2026-secret",
            ["Health:MailTimeout"] = "00:00:02",
        });
        var anonymous = Anonymous(factory);
        var monitor = Anonymous(factory);
        monitor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "monitor-2026-secret");
        var admin = await factory.SignedInAsync("admin@tibs.example");

        HttpResponseMessage accepting;
        string acceptingDetails;
        try
        {
            accepting = await anonymous.GetAsync("/health/ready");
            acceptingDetails = await (await admin.GetAsync("/health/ready")).Content.ReadAsStringAsync();
        }
        finally
        {
            mailServer.Stop();
        }

        var down = await anonymous.GetAsync("/health/ready");
        var downBody = await down.Content.ReadAsStringAsync();
        var forAdministrator = await admin.GetAsync("/health/ready");
        using var adminDetails = JsonDocument.Parse(await forAdministrator.Content.ReadAsStringAsync());
        using var monitorDetails = JsonDocument.Parse(await (await monitor.GetAsync("/health/ready")).Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, accepting.StatusCode);
        using (var ready = JsonDocument.Parse(acceptingDetails))
        {
            var mail = ready.RootElement.GetProperty("checks").GetProperty("mail");
            Assert.Equal("Healthy", mail.GetProperty("status").GetString());
            Assert.Equal($"The mail server 127.0.0.1:{port} accepts connections.", mail.GetProperty("description").GetString());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("""{"status":"Unhealthy"}""", downBody.Replace(" ", "", StringComparison.Ordinal).ReplaceLineEndings(""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, forAdministrator.StatusCode);
        foreach (var details in new[] { adminDetails, monitorDetails })
        {
            var checks = details.RootElement.GetProperty("checks");
            var mail = checks.GetProperty("mail");
            Assert.Equal("Unhealthy", mail.GetProperty("status").GetString());
            Assert.StartsWith($"The mail server 127.0.0.1:{port} ", mail.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(port, mail.GetProperty("data").GetProperty("port").GetInt32());
            Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
            Assert.Equal("Healthy", checks.GetProperty("dispatch").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Liveness_answers_without_touching_the_database_and_tells_anonymous_callers_only_the_status()
    {
        using var factory = TibsWebFactory.ForNewSqliteDatabase(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["Metrics:Enabled"] = "false" });
        var admin = await factory.SignedInAsync("admin@tibs.example");

        var live = await Anonymous(factory).GetAsync("/health/live");
        var metrics = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("""{"status":"Healthy"}""", (await live.Content.ReadAsStringAsync()).Replace(" ", "", StringComparison.Ordinal).ReplaceLineEndings(""));
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task Log_records_of_a_request_carry_its_request_id_the_users_id_and_the_case_id_and_the_error_page_shows_the_request_id()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = TibsWebFactory.ForNewSqliteDatabase(
            new Dictionary<string, string?>
            {
                ["Jobs:RunServer"] = "false",
                ["Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Information",
            },
            s =>
            {
                s.AddSingleton<ILoggerProvider>(logs);
                s.AddSingleton<IStartupFilter, FailingAddressFilter>();
            });
        var users = factory.Services.GetRequiredService<IUserStore>();
        var liga = (await users.FindByEmailAsync("broker.lv008@tibs.example"))!;
        await using var c = await factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var lead = await c.ExecuteScalarAsync<Guid>("SELECT id FROM companies WHERE name = 'Vidzeme Wood Solutions'");
        var opened = await new CaseCommands(factory.Services).OpenCaseAsync(lead, null, new Actor(liga.Id, WorkflowRole.Broker, "LV008"));
        var client = await factory.SignedInAsync(liga.Email);

        var casePage = await client.GetAsync($"/cases/{opened.Case!.Id}");
        var failed = await client.GetAsync(FailingAddressFilter.Path);
        var errorPage = await HtmlForms.ParseAsync(failed);
        var requestId = errorPage.QuerySelector("main p.muted code")?.TextContent;

        Assert.Equal(HttpStatusCode.OK, casePage.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Contains("Request id:", errorPage.QuerySelector("main p.muted")!.TextContent, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(requestId));
        var onCase = logs.Records.Where(r => r.Scope.GetValueOrDefault("CaseId") == opened.Case.Id.ToString()).ToList();
        Assert.NotEmpty(onCase);
        Assert.All(onCase, r => Assert.Equal(liga.Id.ToString(), r.Scope["UserId"]));
        var failure = Assert.Single(logs.Records, r => r.Level == LogLevel.Error && r.Scope.GetValueOrDefault("RequestId") == requestId);
        Assert.Equal(liga.Id.ToString(), failure.Scope["UserId"]);
        Assert.False(failure.Scope.ContainsKey("CaseId"));
        var everyScopeValue = string.Join("\n", logs.Records.SelectMany(r => r.Scope.Values));
        Assert.DoesNotContain(liga.Email, everyScopeValue, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(liga.DisplayName, everyScopeValue, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An address that fails inside the application's pipeline, as an unexpected fault would.</summary>
    private sealed class FailingAddressFilter : IStartupFilter
    {
        public const string Path = "/test-only/fails";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, nextMiddleware) => context.Request.Path == Path
                ? throw new InvalidOperationException("A fault for the test.")
                : nextMiddleware(context));
        };
    }

    /// <summary>Keeps every log record with the properties of its scopes.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Record> Records { get; } = new();

        public sealed record Record(string Category, LogLevel Level, string Message, Dictionary<string, string?> Scope);

        public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, string?>(StringComparer.Ordinal);
                provider.scopes.ForEachScope(
                    (value, into) =>
                    {
                        if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach (var (k, v) in pairs)
                            {
                                into[k] = v?.ToString();
                            }
                        }
                        else if (value is not null)
                        {
                            into["$" + into.Count] = value.ToString();
                        }
                    },
                    scope);
                provider.Records.Enqueue(new Record(category, logLevel, formatter(state, exception), scope));
            }
        }
    }
}
