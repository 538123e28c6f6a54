using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>The Hangfire dashboard at /jobs is for administrators only; the worker command checks its settings like the web app.</summary>
public sealed class JobsDashboardTests : IClassFixture<JobsDashboardTests.App>
{
    private readonly App app;

    public JobsDashboardTests(App app) => this.app = app;

    public sealed class App : IDisposable
    {
        public TibsWebFactory Factory { get; } = TibsWebFactory.ForNewSqliteDatabase();

        public void Dispose() => Factory.Dispose();
    }

    private async Task<HttpClient> ClientAsync(string? email)
    {
        var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (email is not null)
        {
            var page = await client.GetDocumentAsync("/account/sign-in");
            var response = await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = TibsWebFactory.DemoPassword });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        return client;
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("broker.lv008@tibs.example", HttpStatusCode.Forbidden)]
    [InlineData("evaluator@tibs.example", HttpStatusCode.Forbidden)]
    [InlineData("coordinator@tibs.example", HttpStatusCode.Forbidden)]
    public async Task The_dashboard_refuses_everyone_but_administrators(string? email, HttpStatusCode expected)
    {
        var client = await ClientAsync(email);

        var response = await client.GetAsync("/jobs");
        var recurring = await client.GetAsync("/jobs/recurring");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected, recurring.StatusCode);
    }

    [Fact]
    public async Task An_administrator_sees_the_recurring_reminder_dispatcher()
    {
        var client = await ClientAsync("admin@tibs.example");

        var response = await client.GetAsync("/jobs/recurring");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("dispatch-reminders", html, StringComparison.Ordinal);
        Assert.Contains("email-digests", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Jobs:WorkerCount=0", "Jobs:WorkerCount must be between 1 and 64.")]
    [InlineData("--Jobs:ClaimLease=00:05:00", "Jobs:ClaimLease must be between 00:00:01 and 00:01:00")]
    [InlineData("--Jobs:ClaimLease=00:00:00", "Jobs:ClaimLease must be between 00:00:01 and 00:01:00")]
    public async Task The_worker_refuses_a_bad_setting_with_a_message(string setting, string message)
    {
        var error = new StringWriter();
        var original = Console.Error;
        int code;
        try
        {
            Console.SetError(error);
            code = await Program.RunWorkerAsync(["--Database:Provider=Sqlite", setting]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }
}
