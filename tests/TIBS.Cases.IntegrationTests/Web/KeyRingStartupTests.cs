using Microsoft.Extensions.DependencyInjection;
using TIBS.Cases.IntegrationTests.Infrastructure;
using TIBS.Cases.Web;

namespace TIBS.Cases.IntegrationTests.Web;

/// <summary>Outside Development the app does not start without a key file for the Data Protection key ring.</summary>
public sealed class KeyRingStartupTests
{
    private static string[] Args(string environment, params string[] settings) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--environment={environment}",
        "--Database:Provider=Sqlite",
        $"--Database:DataDirectory={Path.Combine(Path.GetTempPath(), "tibs-tests", "keyring-" + Guid.NewGuid().ToString("N"))}",
        "--Demo:Password=" + TibsWebFactory.DemoPassword,
        .. settings,
    ];

    /// <summary>Builds and starts the real application with these arguments and returns why it could not start.</summary>
    internal static string StartupFailure(string[] args)
    {
        var ex = Assert.ThrowsAny<Exception>(() =>
        {
            using var app = Program.BuildApp(args);
            app.StartAsync().GetAwaiter().GetResult();
            app.StopAsync().GetAwaiter().GetResult();
        });
        return StartupError.Describe(ex) ?? ex.ToString();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_a_missing_key_file_stops_start_up_naming_the_setting(string environment)
    {
        var message = StartupFailure(Args(environment));

        Assert.Contains($"DataProtection:KeyFile is not set. Outside Development (the environment is {environment})", message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_that_is_missing_or_not_32_bytes_is_reported()
    {
        var shortKey = Path.Combine(Path.GetTempPath(), "tibs-tests", $"short_{Guid.NewGuid():N}.key");
        File.WriteAllText(shortKey, Convert.ToBase64String(new byte[16]));

        var missing = StartupFailure(Args("Production", "--DataProtection:KeyFile=/nowhere/dataprotection.key"));
        var tooShort = StartupFailure(Args("Production", $"--DataProtection:KeyFile={shortKey}"));
        var previous = StartupFailure(Args("Production", $"--DataProtection:KeyFile={TibsWebFactory.NewKeyFile()}", "--DataProtection:PreviousKeyFiles:0=/nowhere/old.key"));

        Assert.Contains("DataProtection:KeyFile names '/nowhere/dataprotection.key', which does not exist.", missing, StringComparison.Ordinal);
        Assert.Contains("which holds 16 bytes; it must hold exactly 32", tooShort, StringComparison.Ordinal);
        Assert.Contains("DataProtection:PreviousKeyFiles:0 names '/nowhere/old.key', which does not exist.", previous, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_throttle_and_proxy_settings_are_reported_by_name()
    {
        var message = StartupFailure(Args(
            "Production",
            $"--DataProtection:KeyFile={TibsWebFactory.NewKeyFile()}",
            "--SignIn:MaxDelay=00:00:00",
            "--ForwardedHeaders:KnownProxies:0=proxy.example",
            "--ForwardedHeaders:KnownNetworks:0=10.0.0.0/99"));

        Assert.Contains("SignIn:MaxDelay must be at least SignIn:FirstDelay", message, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeaders:KnownProxies has 'proxy.example', which is not an IP address", message, StringComparison.Ordinal);
        Assert.Contains("ForwardedHeaders:KnownNetworks has '10.0.0.0/99', which is not a network in CIDR notation", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_starts_without_a_key_file_as_dotnet_run_does_on_a_fresh_clone_and_still_encrypts_the_key_ring()
    {
        var args = Args("Development");
        var dataDirectory = args.Single(a => a.StartsWith("--Database:DataDirectory=", StringComparison.Ordinal)).Split('=', 2)[1];
        await using var app = Program.BuildApp(args);

        await app.StartAsync();
        var keyFile = Path.Combine(dataDirectory, "dataprotection.key");
        Assert.True(File.Exists(keyFile), "a development key file is made in the data folder");
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(keyFile).Trim()).Length);
        var protector = app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("hello"u8.ToArray(), protector.Unprotect(protector.Protect("hello"u8.ToArray())));
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "tibs.db")}"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT xml FROM data_protection_keys";
            var xml = (string)(await command.ExecuteScalarAsync())!;
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }

        await app.StopAsync();
    }
}

/// <summary>The program run from its build output, outside Development, as an operator would try it before publishing.</summary>
public sealed class BuildOutputTests
{
    [Fact]
    public async Task Run_from_the_build_output_in_production_the_sign_in_page_gets_its_styles_and_scripts()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tibs-tests", "build-output-" + Guid.NewGuid().ToString("N"));
        await using var app = Program.BuildApp([
            "--urls=http://127.0.0.1:0", "--environment=Production", "--Database:Provider=Sqlite",
            $"--Database:DataDirectory={dataDirectory}", "--Demo:Password=" + TibsWebFactory.DemoPassword,
            $"--DataProtection:KeyFile={TibsWebFactory.NewKeyFile()}", "--Jobs:RunServer=false"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var page = await client.GetStringAsync("/account/sign-in");
        var assets = System.Text.RegularExpressions.Regex.Matches(page, "(?:href|src)=\"(/(?:lib|css|js)/[^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            var response = await client.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }

        await app.StopAsync();
    }
}
