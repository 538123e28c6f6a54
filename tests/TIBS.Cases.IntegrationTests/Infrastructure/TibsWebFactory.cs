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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
    }
}
