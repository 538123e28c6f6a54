using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>
/// Several web nodes on one database (decision 0053): a node started with <c>Jobs:RunServer=false</c> runs no job
/// server, and a sign-in made at one node is accepted by another that shares the key file and the database.
/// The nodes are the real application on Kestrel, started as an operator starts them (Production, settings as arguments).
/// </summary>
public abstract partial class ScaleOutTests(DatabaseFixture fixture)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [SkippableFact]
    public async Task A_web_node_with_Jobs_RunServer_false_runs_no_job_server_while_a_node_with_the_default_does()
    {
        fixture.EnsureAvailable();
        var database = await fixture.CreateEmptyDatabaseAsync();
        var keyFile = TibsWebFactory.NewKeyFile();

        await using var web = await StartAsync(database, keyFile, "--Jobs:RunServer=false");
        var webStorage = web.Services.GetRequiredService<JobStorage>();
        await Task.Delay(TimeSpan.FromSeconds(2)); // a server would have announced itself by now
        var serversWithWebOnly = webStorage.GetMonitoringApi().Servers().Count;
        var webHostedServices = web.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        await using var node = await StartAsync(database, keyFile);
        var nodeStorage = node.Services.GetRequiredService<JobStorage>();
        var announced = await EventuallyAsync(() => nodeStorage.GetMonitoringApi().Servers().Count > 0);

        Assert.Equal(0, serversWithWebOnly);
        Assert.DoesNotContain(webHostedServices, name => name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        Assert.True(announced, "the node with the default settings announces a job server");
        Assert.Contains(node.Services.GetServices<IHostedService>(), s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_sign_in_at_one_node_is_accepted_by_another_node_sharing_the_key_file_and_the_database()
    {
        fixture.EnsureAvailable();
        var database = await fixture.CreateEmptyDatabaseAsync();
        var keyFile = TibsWebFactory.NewKeyFile();
        await using var a = await StartAsync(database, keyFile, "--Jobs:RunServer=false");
        await using var b = await StartAsync(database, keyFile, "--Jobs:RunServer=false");
        var (addressA, addressB) = (Address(a), Address(b));
        var cookiesA = new CookieContainer();
        using var atA = new HttpClient(new HttpClientHandler { CookieContainer = cookiesA, AllowAutoRedirect = false }) { BaseAddress = addressA };
        var signIn = await atA.GetStringAsync("/account/sign-in");
        using var signedIn = await atA.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "broker.lv008@tibs.example",
            ["Password"] = TibsWebFactory.DemoPassword,
            ["__RequestVerificationToken"] = Antiforgery().Match(signIn).Groups[1].Value,
        }));

        var cookiesB = new CookieContainer();
        using var atB = new HttpClient(new HttpClientHandler { CookieContainer = cookiesB, AllowAutoRedirect = false }) { BaseAddress = addressB };
        using var withoutCookie = await atB.GetAsync("/work");
        cookiesB.Add(addressB, cookiesA.GetCookies(addressA));
        using var withCookie = await atB.GetAsync("/work");
        var page = await withCookie.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("/account/sign-in", withoutCookie.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Contains("Līga Bērziņa", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
    }

    /// <summary>The application on a loopback port, Production, on the database with the demo data and the shared key file.</summary>
    private async Task<WebApplication> StartAsync(string database, string keyFile, params string[] extra)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tibs-tests", "scale-out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var auditKey = Path.Combine(folder, "audit-signing-key.pem");
        await File.WriteAllTextAsync(auditKey, TIBS.Cases.Core.Audit.AuditKeyRing.NewPrivateKeyPem());
        var app = Program.BuildApp([
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            "--Logging:LogLevel:Default=Warning",
            $"--Database:Provider={fixture.Provider}",
            $"--Database:ConnectionString={database}",
            $"--Database:DataDirectory={folder}",
            "--Demo:Enabled=true",
            $"--Demo:Password={TibsWebFactory.DemoPassword}",
            $"--DataProtection:KeyFile={keyFile}",
            $"--Audit:SigningKeyFile={auditKey}",
            "--Audit:WriteCheckpoints=false",
            "--Authentication:RequireTwoStepFor=none",
            .. extra,
        ]);
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteScaleOutTests(SqliteFixture fixture) : ScaleOutTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresScaleOutTests(PostgresFixture fixture) : ScaleOutTests(fixture);
