using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Infrastructure;

/// <summary>The real web application in memory, configured through the same settings a user would set.</summary>
public sealed class TibsWebFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Test-Demo-Password-2026";

    /// <summary>A fresh embedded database with the demo data.</summary>
    public static TibsWebFactory ForNewSqliteDatabase() => new(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), "tibs-tests", $"web_{Guid.NewGuid():N}.db")}",
        ["Demo:Password"] = DemoPassword,
    });

    public static TibsWebFactory For(DatabaseFixture fixture) => new(new Dictionary<string, string?>
    {
        ["Database:Provider"] = fixture.Provider.ToString(),
        ["Database:ConnectionString"] = fixture.ConnectionString,
        ["Demo:Enabled"] = "true",
        ["Demo:Password"] = DemoPassword,
    });

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
    }
}
