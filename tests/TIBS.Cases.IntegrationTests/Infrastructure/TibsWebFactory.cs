using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>The real web application in memory, configured through the same settings a user would set.</summary>
public sealed class TibsWebFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Test-Demo-Password-2026";

    /// <summary>A client signed in as <paramref name="email"/> with the demo password through the sign-in page.</summary>
    public async Task<HttpClient> SignedInAsync(string email)
    {
        var client = CreateClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        var home = await HtmlForms.ParseAsync(await client.SubmitAsync(page, "/account/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = DemoPassword }));
        Assert.True(home.QuerySelector(".who") is not null, $"{email} could not sign in");
        return client;
    }

    /// <summary>A request header that sets the connection's remote address (the in-memory server has none).</summary>
    public const string PeerHeader = "X-Test-Peer";

    /// <summary>The connection's address when a test does not say: a stand-in for a browser on the network.</summary>
    public const string DefaultPeer = "192.0.2.10";

    /// <summary>A key file for the Data Protection key ring, as an operator would create it (openssl rand -base64 32).</summary>
    public static string NewKeyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "tibs-tests", $"dp_{Guid.NewGuid():N}.key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        return path;
    }

    /// <summary>A fresh embedded database with the demo data.</summary>
    public static TibsWebFactory ForNewSqliteDatabase(IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null) => new(
        With(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), "tibs-tests", $"web_{Guid.NewGuid():N}.db")}",
            ["Demo:Password"] = DemoPassword,
        }, extra),
        services);

    public static TibsWebFactory For(DatabaseFixture fixture, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null) => new(
        With(new Dictionary<string, string?>
        {
            ["Database:Provider"] = fixture.Provider.ToString(),
            ["Database:ConnectionString"] = fixture.ConnectionString,
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = DemoPassword,
        }, extra),
        services);

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, IReadOnlyDictionary<string, string?>? extra)
    {
        settings["DataProtection:KeyFile"] = NewKeyFile();

        // Test classes sign in many times from one address; the tests of the limit set their own.
        settings["SignIn:AddressPermitLimit"] = "10000";
        settings["SignIn:FreeFailuresPerAddress"] = "1000";

        // Tests sign in as the demo administrator and coordinator with their password; the tests of two-step sign-in set their own.
        settings["Authentication:RequireTwoStepFor"] = "none";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>This application's own audit signing key and anchor folder (settings given to the factory win).</summary>
    public string AuditFolder { get; } = Path.Combine(Path.GetTempPath(), "tibs-tests", $"audit_{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        Directory.CreateDirectory(AuditFolder);
        var keyFile = Path.Combine(AuditFolder, "signing-key.pem");
        if (!File.Exists(keyFile))
        {
            File.WriteAllText(keyFile, TIBS.Cases.Core.Audit.AuditKeyRing.NewPrivateKeyPem());
        }

        builder.ConfigureAppConfiguration((_, config) => config
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Audit:SigningKeyFile"] = keyFile,
                ["Audit:AnchorFolder"] = Path.Combine(AuditFolder, "anchors"),
                ["Audit:WriteCheckpoints"] = "false", // tests write checkpoints when they decide, through AuditAnchoring
            })
            .AddInMemoryCollection(settings));
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IStartupFilter, PeerAddressFilter>();
            services?.Invoke(s);
        });
    }

    /// <summary>Gives each request a remote address (from <see cref="PeerHeader"/>), as Kestrel would, before anything else runs.</summary>
    private sealed class PeerAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[PeerHeader].FirstOrDefault() ?? DefaultPeer);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
